from django.core.management.base import BaseCommand

from campaigns.models import Pledge


class Command(BaseCommand):
    help = (
        "Delete unconfirmed pledges whose confirmation link has expired, with the emails sent "
        "about them. Safe to run from cron at any time: confirmed pledges are never touched."
    )

    def handle(self, *args, **options):
        deleted = Pledge.delete_expired()
        self.stdout.write(f"Deleted {deleted} expired unconfirmed pledge(s).")
