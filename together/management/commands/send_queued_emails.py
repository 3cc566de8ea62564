from django.core.management.base import BaseCommand

from together.mail import deliver_email
from together.models import OutboundEmail


class Command(BaseCommand):
    help = (
        "Enqueue delivery of every outbox message that is due (never sent, or failed and "
        "due for a retry). Safe to run from cron at any interval."
    )

    def handle(self, *args, **options):
        due = list(OutboundEmail.objects.due().values_list("pk", flat=True))
        for message_id in due:
            deliver_email.enqueue(message_id)
        self.stdout.write(f"{len(due)} message(s) queued for delivery.")
