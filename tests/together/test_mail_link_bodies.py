"""No private link at rest: a delivered email loses its body a day after
delivery (recipient, subject and dates stay for the log): the retention rule
of sent emails that ``purge_personal_data`` runs."""

from datetime import timedelta

import pytest

from tests.campaigns.factories import PledgeFactory, SignUpFactory
from tests.stories.factories import StoryFactory
from together.mail import queue_email
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


# What the private links' addresses contain (the routes with a token).
PRIVATE_PATHS = ["/stories/manage/", "/pledge/confirm/", "/pledge/withdraw/", "/confirm/", "/cancel/"]


def emails_with_links():
    """A story's, a pledge's and a sign-up's emails, delivered (the
    immediate task backend sends at once)."""
    story = StoryFactory()
    story.email_storyteller("stories/email/received")
    pledge = PledgeFactory()
    pledge.send_email("pledge_confirm")
    signup = SignUpFactory()
    signup.send_email("confirm")


# RETENTION_SENT_EMAIL_HOURS, the setting's default.
LINK_BODY_KEPT_FOR = timedelta(hours=24)


def erase_sensitive_bodies(now):
    """What purge_personal_data's rule for sent emails does at ``now``."""
    return OutboundEmail.objects.bodies_past_retention(now).erase_bodies()


def holds_a_private_link(email):
    return any(path in email.text_body or path in email.html_body for path in PRIVATE_PATHS)


def latest_delivery():
    return OutboundEmail.objects.order_by("-sent_at").values_list("sent_at", flat=True).first()


def test_no_outbox_body_holds_a_private_link_24_hours_after_delivery():
    emails_with_links()
    assert all(holds_a_private_link(email) for email in OutboundEmail.objects.all())
    a_day_later = latest_delivery() + timedelta(hours=24)

    erased = erase_sensitive_bodies(now=a_day_later)

    assert erased == 3
    assert not any(holds_a_private_link(email) for email in OutboundEmail.objects.all())


def test_the_erased_emails_keep_their_recipient_subject_and_dates():
    emails_with_links()
    before = list(OutboundEmail.objects.values_list("to", "subject", "created_at", "sent_at").order_by("pk"))

    erase_sensitive_bodies(now=latest_delivery() + LINK_BODY_KEPT_FOR)

    assert (
        list(OutboundEmail.objects.values_list("to", "subject", "created_at", "sent_at").order_by("pk"))
        == before
    )
    assert set(OutboundEmail.objects.values_list("text_body", "html_body")) == {("", "")}
    assert OutboundEmail.objects.filter(body_erased_at__isnull=True).count() == 0


def test_a_body_stays_until_a_day_after_delivery():
    emails_with_links()
    earliest = OutboundEmail.objects.order_by("sent_at").values_list("sent_at", flat=True).first()

    erased = erase_sensitive_bodies(now=earliest + LINK_BODY_KEPT_FOR - timedelta(seconds=1))

    assert erased == 0
    assert all(holds_a_private_link(email) for email in OutboundEmail.objects.all())


def test_an_undelivered_email_keeps_its_body_to_be_delivered():
    story = StoryFactory()
    story.email_storyteller("stories/email/received")
    OutboundEmail.objects.update(sent_at=None)

    assert erase_sensitive_bodies(now=OutboundEmail.objects.get().created_at + timedelta(days=30)) == 0
    assert story.manage_token() in OutboundEmail.objects.get().text_body


def test_an_email_without_a_private_link_loses_its_body_too():
    # It quotes what a storyteller wrote: kept no longer than the links.
    queue_email(
        to="moderators@example.org",
        template="stories/email/moderator_reply",
        context={"story": StoryFactory(declined=True, storyteller_reply="Please read it again.")},
    )

    erase_sensitive_bodies(now=latest_delivery() + LINK_BODY_KEPT_FOR)

    assert OutboundEmail.objects.get().text_body == ""


def test_erasing_twice_erases_nothing_more():
    emails_with_links()
    later = latest_delivery() + timedelta(days=2)
    erase_sensitive_bodies(now=later)

    assert erase_sensitive_bodies(now=later) == 0
