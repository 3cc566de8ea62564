"""One supporter, one pledge (and one sign-up): spellings of one mailbox are
one person, while every email goes to the address as it was typed."""

import importlib

import pytest
from django.apps import apps
from django.core import mail

from campaigns.models import Pledge, SignUp
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.campaigns.helpers import link_from_last_email, submit_pledge
from tests.campaigns.signups import post_signup
from together.mail import normalise_email
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

GMAIL_SPELLINGS = ["amina.haddad@gmail.com", "aminahaddad+together@gmail.com", "Amina.Haddad@googlemail.com"]


@pytest.fixture
def campaign():
    return CampaignFactory(is_active=True, slug="together")


def test_three_gmail_spellings_make_one_pledge(client, campaign):
    for spelling in GMAIL_SPELLINGS:
        assert submit_pledge(client, campaign, email=spelling).status_code == 302

    pledge = Pledge.objects.get()
    assert pledge.email_normalised == "aminahaddad@gmail.com"
    assert [message.to for message in mail.outbox] == [[spelling] for spelling in GMAIL_SPELLINGS]


def test_a_pledge_confirmed_from_one_spelling_is_counted_once(client, campaign):
    submit_pledge(client, campaign, email=GMAIL_SPELLINGS[0])
    client.post(link_from_last_email("confirm"))

    for spelling in GMAIL_SPELLINGS[1:]:
        submit_pledge(client, campaign, email=spelling)

    campaign.refresh_from_db()
    assert (Pledge.objects.count(), campaign.confirmed_pledges) == (1, 1)
    # The owner is told, at the address they confirmed (the same mailbox).
    assert mail.outbox[-1].to == [GMAIL_SPELLINGS[0]]
    assert "already" in mail.outbox[-1].subject.lower()


def test_withdrawing_erases_the_emails_sent_to_every_spelling(client, campaign):
    for spelling in GMAIL_SPELLINGS:
        submit_pledge(client, campaign, email=spelling)
    OutboundEmail.objects.create(to="someone.else@gmail.com", subject="Kept", text_body="Not Amina's")

    client.post(link_from_last_email("withdraw"))

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["someone.else@gmail.com"]


def test_three_gmail_spellings_make_one_signup(client):
    event = EventFactory()

    for spelling in GMAIL_SPELLINGS:
        assert post_signup(client, event, email=spelling).status_code == 302

    signup = SignUp.objects.get()
    assert (signup.email, signup.email_normalised) == (GMAIL_SPELLINGS[0], "aminahaddad@gmail.com")
    assert [message.to for message in mail.outbox] == [[GMAIL_SPELLINGS[0]]] * 3


# The data migration's merge of rows that the new canonical form makes one ----

migration = importlib.import_module("campaigns.migrations.0008_paper_pledges_canonical_emails")


def old_style_pledge(campaign, email, *, confirmed, country="BE"):
    """A pledge as stored before: only trimmed and lower-cased."""
    pledge = PledgeFactory(
        campaign=campaign, email=email, email_normalised=email.strip().lower(), country=country
    )
    if confirmed:
        pledge.confirm()
    return pledge


def test_the_migration_keeps_the_earliest_confirmed_pledge_and_counts_the_person_once():
    campaign = CampaignFactory()
    unconfirmed = old_style_pledge(campaign, "amina.haddad@gmail.com", confirmed=False)
    first = old_style_pledge(campaign, "aminahaddad@googlemail.com", confirmed=True, country="SY")
    second = old_style_pledge(campaign, "amina.haddad+x@gmail.com", confirmed=True, country="BE")
    other = old_style_pledge(campaign, "jonas@example.org", confirmed=True, country="BE")

    migration.recompute_pledge_emails(apps, None)

    assert set(Pledge.objects.values_list("pk", "email_normalised")) == {
        (first.pk, "aminahaddad@gmail.com"),
        (other.pk, "jonas@example.org"),
    }
    assert not Pledge.objects.filter(pk__in=[unconfirmed.pk, second.pk]).exists()
    campaign.refresh_from_db()
    assert campaign.confirmed_pledges == 2
    assert {row.country.code: row.count for row in campaign.country_counts.all()} == {"SY": 1, "BE": 1}
    assert campaign.repair_pledge_counts() == []


def test_the_migration_keeps_the_earliest_pledge_when_none_is_confirmed():
    campaign = CampaignFactory()
    first = old_style_pledge(campaign, "amina.haddad@gmail.com", confirmed=False)
    old_style_pledge(campaign, "aminahaddad@gmail.com", confirmed=False)

    migration.recompute_pledge_emails(apps, None)

    assert list(Pledge.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_migration_keeps_the_signup_holding_a_place_and_frees_the_others():
    event = EventFactory(places=10)
    pending = SignUpFactory(event=event, email="amina.haddad@gmail.com", email_normalised="a")
    holding = SignUpFactory(event=event, email="aminahaddad@gmail.com", email_normalised="b", confirmed=True)
    also = SignUpFactory(event=event, email="aminahaddad+x@gmail.com", email_normalised="c", confirmed=True)
    other = SignUpFactory(event=event, email="jonas@example.org", email_normalised="d", confirmed=True)

    migration.recompute_signup_emails(apps, None)

    assert set(SignUp.objects.values_list("pk", "email_normalised")) == {
        (holding.pk, "aminahaddad@gmail.com"),
        (other.pk, "jonas@example.org"),
    }
    assert not SignUp.objects.filter(pk__in=[pending.pk, also.pk]).exists()
    event.refresh_from_db()
    assert event.places_taken == 2


@pytest.mark.parametrize(
    "address",
    [
        *GMAIL_SPELLINGS,
        " Zoë@Bücher.example. ",
        "a.b+x@hotmail.com",
        "a-b@yahoo.com",
        "+x@gmail.com",
        "no at sign",
    ],
)
def test_the_migrations_frozen_rules_agree_with_the_live_ones(address):
    outbox_migration = importlib.import_module("together.migrations.0002_outbox_canonical_address")

    assert (
        migration.normalise_email(address)
        == outbox_migration.normalise_email(address)
        == normalise_email(address)
    )
