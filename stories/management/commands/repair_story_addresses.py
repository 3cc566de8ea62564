"""Put every story's canonical address (``Story.email_normalised``) in step
with its address, for the stories the older version saved while the release
that added the column (stories 0017) rolled out: it knows nothing of the
column, so a story it received has none (its teller's "my data" page and
"send my links" miss it) and a story it withdrew or erased keeps one (the
address it no longer holds). Run once after that release; safe to run again:
it touches only the stories out of step, and prints how many."""

from django.core.management.base import BaseCommand
from django.db.models import Case, F, Value, When

from stories.models import Story
from together.mail import normalise_email

# Stories written per UPDATE statement.
BATCH = 500


class Command(BaseCommand):
    help = "Put the canonical address of every story in step with its address (once, after stories 0017)."

    def handle(self, *args, **options):
        emptied = Story.objects.filter(email="").exclude(email_normalised="").update(email_normalised="")
        filled = 0
        missing = Story.objects.exclude(email="").filter(email_normalised="").values_list("pk", "email")
        batch = []
        for row in missing.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                filled += self._write(batch)
        filled += self._write(batch)
        self.stdout.write(f"{filled} story(ies) filled, {emptied} emptied.")

    @staticmethod
    def _write(batch):
        """One UPDATE for ``batch`` (``(pk, email)`` pairs). A story whose
        address went since it was read (withdrawn meanwhile) is neither
        written nor counted: the conditions are checked on the row being
        written (the CASE's per story; the WHERE's, ``email__in``, for the
        count, an address never changing but to empty). Empties ``batch``;
        returns how many stories were filled."""
        if not batch:
            return 0
        still = {"pk__in": [pk for pk, _email in batch], "email__in": {email for _pk, email in batch}}
        filled = Story.objects.filter(**still, email_normalised="").update(
            email_normalised=Case(
                *(When(pk=pk, email=email, then=Value(normalise_email(email))) for pk, email in batch),
                default=F("email_normalised"),
            )
        )
        batch.clear()
        return filled
