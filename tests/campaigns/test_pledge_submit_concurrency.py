"""The same address pledging several times at the same instant (a double
click, a retried request) makes one pledge, and every submission emails it.

Real threads with their own connections against PostgreSQL, where the
partial unique index makes the later inserts wait for the first; SQLite
serialises writers, so the race cannot happen there."""

import pytest
from django.core import mail

from campaigns.models import Pledge
from tests.campaigns.attribution import pledge_through
from tests.campaigns.factories import CampaignFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def submit(campaign, email, country):
    return lambda: pledge_through(campaign, email, country=country)


def test_six_submissions_of_one_address_at_once_make_one_pledge_and_six_confirmation_emails(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    campaign = CampaignFactory(is_active=True)
    spellings = ["amina@example.org", "Amina@example.org", " amina@example.org"] * 2

    outcomes = at_once(*[submit(campaign, email, "JO") for email in spellings])

    (pledge,) = Pledge.objects.all()
    assert [type(outcome) for outcome in outcomes] == [Pledge] * 6
    assert {outcome.pk for outcome in outcomes} == {pledge.pk}
    assert (pledge.email_normalised, pledge.confirmed_at) == ("amina@example.org", None)
    assert len(mail.outbox) == 6
    assert {message.subject for message in mail.outbox} == {mail.outbox[0].subject}


def test_a_submission_racing_another_of_a_different_address_makes_two_pledges():
    campaign = CampaignFactory(is_active=True)

    at_once(submit(campaign, "amina@example.org", "JO"), submit(campaign, "omar@example.org", "SY"))

    assert sorted(Pledge.objects.values_list("email_normalised", "country")) == [
        ("amina@example.org", "JO"),
        ("omar@example.org", "SY"),
    ]
