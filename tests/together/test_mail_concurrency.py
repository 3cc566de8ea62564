"""Two workers delivering the same email at the same moment: it is sent once.

Real threads with their own connections against PostgreSQL, where the
outbox row lock works as in production; SQLite serialises writers, so the
race cannot happen there."""

import pytest
from django.core import mail
from django.utils import timezone

from tests.together.racing import at_once, needs_postgresql
from together.mail import DELIVERY_LEASE, deliver_email
from together.models import OutboundEmail

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_email_delivered_by_two_workers_at_once_is_sent_once(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    message = OutboundEmail.objects.create(to="amina@example.org", subject="Confirm", text_body="Hi")

    outcomes = at_once(*[lambda: deliver_email.call(message.pk)] * 4)

    message.refresh_from_db()
    assert outcomes == [None] * 4
    assert [sent.subject for sent in mail.outbox] == ["Confirm"]
    assert (message.attempts, message.sent_at is not None) == (1, True)


def test_a_message_whose_lease_lapsed_is_claimed_by_one_of_eight_workers_at_once():
    lapsed = timezone.now() - DELIVERY_LEASE / 10
    message = OutboundEmail.objects.create(
        to="amina@example.org", subject="Confirm", text_body="Hi", attempts=1, next_attempt_at=lapsed
    )

    outcomes = at_once(*[lambda: OutboundEmail.claim_attempt(message.pk, lease=DELIVERY_LEASE)] * 8)

    claimed = [outcome for outcome in outcomes if outcome is not None]
    assert [(outcome.pk, outcome.attempts) for outcome in claimed] == [(message.pk, 2)]
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, claimed[0].next_attempt_at)
