"""Helpers of the flood tests: reports sent as a browser sends them, from a
given address, and the emails of the moderators' outbox by kind."""

from django.urls import reverse

from stories.forms import ReportForm
from together.models import OutboundEmail

DIGEST_SUBJECT = "new report"
ALERT_SUBJECT = "Surge:"


def report_data(**data):
    """A filled-in report form with a fresh single-use stamp."""
    return {"started": ReportForm.issue_stamp(), "reason": "hate", **data}


def send_report(client, story, address, **data):
    return client.post(
        reverse("stories:story_report", args=[story.slug]), report_data(**data), REMOTE_ADDR=address
    )


def outbox_subjects(containing):
    """(recipient, subject) of every stored email whose subject contains ``containing``."""
    return sorted(
        OutboundEmail.objects.filter(subject__contains=containing).values_list("to", "subject")
    )
