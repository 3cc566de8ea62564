"""Count the privacy hints of the stories saved before the queue counted them
(``Story.privacy_hint_count`` is NULL for those). Safe to run again: it only
touches the stories not counted yet."""

from django.core.management.base import BaseCommand

from stories.models import PRIVACY_CHECKED_FIELDS, Story


class Command(BaseCommand):
    help = "Count the privacy hints of the stories not counted yet (after the moderation queue migration)."

    def handle(self, *args, **options):
        counted = 0
        uncounted = Story.objects.filter(privacy_hint_count__isnull=True).only("pk", *PRIVACY_CHECKED_FIELDS)
        for story in uncounted.iterator():
            # update(), not save(): nothing else of the story changes.
            Story.objects.filter(pk=story.pk).update(privacy_hint_count=story.count_privacy_hints())
            counted += 1
        self.stdout.write(f"{counted} story(ies) counted.")
