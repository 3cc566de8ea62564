"""Helpers of the flood tests: reports sent as a browser sends them, or
through the steps of the report view, from a given address, and the emails
of the outbox by kind."""

from django.test import RequestFactory
from django.urls import reverse

from stories.floods import file_report
from stories.forms import ReportForm
from together.abuse import RateLimited, check_rate_limit, client_ip
from together.models import OutboundEmail

DIGEST_SUBJECT = "new report"
ALERT_SUBJECT = "Surge:"


def report_data(**data):
    """A filled-in report form with a fresh single-use stamp."""
    return {"started": ReportForm.issue_stamp(), "reason": "hate", **data}


def send_report(client, story, address, **data):
    """A reader's report through the page, from ``address``."""
    return client.post(
        reverse("stories:story_report", args=[story.slug]), report_data(**data), REMOTE_ADDR=address
    )


def file_report_from(story, address, reason="hate"):
    """What the report view does with a valid form (its rate limit, then
    :func:`stories.floods.file_report`), without rendering: the report, or
    None when the address is over its limit."""
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    try:
        check_rate_limit(request, "report")
    except RateLimited:
        return None
    return file_report(story=story, reason=reason, address=client_ip(request))


def outbox(containing):
    """(recipient, subject) of every stored email whose subject contains ``containing``."""
    return sorted(OutboundEmail.objects.filter(subject__contains=containing).values_list("to", "subject"))
