from django.core.management.base import BaseCommand

from stories.floods import send_due_digest


class Command(BaseCommand):
    help = (
        "Send the moderators' digest of new reports if one is due and no queued task sent it "
        "(a backend that cannot defer tasks, a lost task). Safe to run from cron at any interval."
    )

    def handle(self, *args, **options):
        listed = send_due_digest()
        self.stdout.write(f"{listed} report(s) in the digest sent.")
