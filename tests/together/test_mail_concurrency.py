"""Two workers delivering the same email at the same moment: it is sent once.

Real threads with their own connections against PostgreSQL, where the
outbox row lock works as in production; SQLite serialises writers, so the
race cannot happen there."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from together.mail import deliver_email
from together.models import OutboundEmail

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so two deliveries cannot race there "
        "(make test runs this on PostgreSQL when TEST_DATABASE_URL is set)",
    ),
]


def deliver_at_once(message_id, times):
    start = threading.Barrier(times)
    errors = []

    def deliver():
        try:
            start.wait()
            deliver_email.call(message_id)
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_email_delivered_by_two_workers_at_once_is_sent_once(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    message = OutboundEmail.objects.create(to="amina@example.org", subject="Confirm", text_body="Hi")

    errors = deliver_at_once(message.pk, times=4)

    message.refresh_from_db()
    assert errors == []
    assert [sent.subject for sent in mail.outbox] == ["Confirm"]
    assert (message.attempts, message.sent_at is not None) == (1, True)
