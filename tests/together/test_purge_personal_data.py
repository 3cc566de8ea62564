"""manage.py purge_personal_data: the cron-safe command over together.retention."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command

from campaigns.models import SignUp
from tests.campaigns.factories import EventFactory, SignUpFactory
from tests.together.clock import FakeClock

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def past_signup(monkeypatch):
    signup = SignUpFactory(
        event=EventFactory(), name="Amina Haddad", email="amina@example.org", confirmed=True
    )
    FakeClock(monkeypatch).now = signup.event.ends_at + timedelta(days=31)
    return signup


def test_a_dry_run_prints_what_it_would_erase_and_erases_nothing(past_signup):
    output = run("--dry-run")

    assert "Would erase 1: event sign-ups after the event" in output
    assert "Would erase 0: declined stories after the answer window" in output
    assert SignUp.objects.get().name == "Amina Haddad"


def test_the_command_erases_and_prints_the_counts(past_signup):
    assert "Erased 1: event sign-ups after the event" in run()
    assert SignUp.objects.get().name == ""


def test_running_the_command_again_erases_nothing_more(past_signup):
    run()

    assert "Erased 0: event sign-ups after the event" in run()


def test_the_log_holds_counts_and_no_personal_data(past_signup, caplog):
    with caplog.at_level(logging.INFO, logger="together.retention"):
        run()

    assert "Personal data erased: event sign-ups after the event: 1" in caplog.messages
    assert not any("amina" in message.lower() for message in caplog.messages)
