"""Places are never overbooked, even when everyone confirms at once.

Real threads with their own database connections against PostgreSQL, the
production database: only there do row locks and concurrent transactions
behave as they will in production. SQLite runs one writer at a time, so the
test would prove nothing there."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from campaigns.models import Event, SignUp
from tests.campaigns.factories import EventFactory, SignUpFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so concurrent confirmations cannot race there "
        "(make test runs this on PostgreSQL when TEST_DATABASE_URL is set)",
    ),
]


def confirm_all_at_once(signups):
    """Every confirmation in its own thread and connection, released together."""
    start = threading.Barrier(len(signups))
    errors = []

    def confirm(signup):
        try:
            start.wait()
            signup.confirm()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(signup,)) for signup in signups]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_sixty_simultaneous_confirmations_fill_fifty_places_and_wait_ten():
    event = EventFactory(places=50)
    signups = SignUpFactory.create_batch(60, event=event)

    errors = confirm_all_at_once(signups)

    assert errors == []
    event.refresh_from_db()
    assert event.places_taken == 50
    assert SignUp.objects.filter(event=event, status="confirmed").count() == 50
    assert SignUp.objects.filter(event=event, status="waiting").count() == 10
    assert sorted(subject.split(":")[0] for subject in (m.subject for m in mail.outbox)) == (
        ["You are on the waiting list"] * 10 + ["Your place is booked"] * 50
    )


def test_waiting_list_after_a_rush_is_in_confirmation_order():
    event = EventFactory(places=5)
    confirm_all_at_once(SignUpFactory.create_batch(12, event=event))

    confirmed_times = list(
        SignUp.objects.filter(event=event, status__in=["confirmed", "waiting"])
        .order_by("confirmed_at")
        .values_list("status", flat=True)
    )

    assert confirmed_times == ["confirmed"] * 5 + ["waiting"] * 7
    assert Event.objects.get(pk=event.pk).places_taken == 5
