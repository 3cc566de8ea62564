"""Count the privacy hints of the stories saved before the queue counted them
(``Story.privacy_hint_count`` is NULL for those). Safe to run again: it only
touches the stories not counted yet."""

from django.core.management.base import BaseCommand

from stories.models import PRIVACY_CHECKED_FIELDS, Story

# Stories written per UPDATE statement.
BATCH = 500


class Command(BaseCommand):
    help = "Count the privacy hints of the stories not counted yet (after the moderation queue migration)."

    def handle(self, *args, **options):
        counted = 0
        uncounted = Story.objects.filter(privacy_hint_count__isnull=True).only("pk", *PRIVACY_CHECKED_FIELDS)
        batch = []
        for story in uncounted.iterator(chunk_size=BATCH):
            story.privacy_hint_count = story.count_privacy_hints()
            batch.append(story)
            if len(batch) == BATCH:
                counted += self._write(batch)
        counted += self._write(batch)
        self.stdout.write(f"{counted} story(ies) counted.")

    @staticmethod
    def _write(batch):
        """bulk_update, not save(): nothing else of the stories changes (one
        statement per batch, not one per story). Empties ``batch``."""
        written = len(batch)
        Story.objects.bulk_update(batch, ["privacy_hint_count"])
        batch.clear()
        return written
