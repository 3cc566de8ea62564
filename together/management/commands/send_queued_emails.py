from django.core.management.base import BaseCommand

from together.mail import requeue_due_emails


class Command(BaseCommand):
    help = (
        "Enqueue delivery of every outbox message that is due (never sent, or failed and "
        "due for a retry) and not already queued. Safe to run from cron at any interval."
    )

    def handle(self, *args, **options):
        queued = requeue_due_emails()
        self.stdout.write(f"{queued} message(s) queued for delivery.")
