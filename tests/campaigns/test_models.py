"""Pledge state changes and the counters they own."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign, CampaignCountryCount, Pledge, PledgeStateError
from tests.campaigns.counting import counters, true_counts
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_confirm_counts_pledge_once():
    pledge = PledgeFactory(country="SY")

    assert pledge.confirm() is True
    assert pledge.confirm() is False

    assert counters(pledge.campaign) == (1, {"SY": 1})


def test_unconfirmed_pledge_is_not_counted():
    pledge = PledgeFactory()

    assert counters(pledge.campaign) == (0, {})


def test_withdraw_confirmed_pledge_uncounts_and_deletes():
    pledge = PledgeFactory(country="SY")
    other = PledgeFactory(campaign=pledge.campaign, country="SY")
    pledge.confirm()
    other.confirm()

    assert pledge.withdraw() is True
    assert pledge.withdraw() is False

    assert counters(pledge.campaign) == (1, {"SY": 1})
    assert list(Pledge.objects.all()) == [other]


def test_withdraw_unconfirmed_pledge_leaves_counters():
    confirmed = PledgeFactory(country="BE")
    confirmed.confirm()
    unconfirmed = PledgeFactory(campaign=confirmed.campaign, country="BE")

    unconfirmed.withdraw()

    assert counters(confirmed.campaign) == (1, {"BE": 1})


def test_withdraw_erases_emails_to_the_person(client):
    pledge = PledgeFactory(email="amina@example.org")
    pledge.send_email("pledge_confirm")
    OutboundEmail.objects.create(to="other@example.org", subject="s", text_body="b")

    pledge.withdraw()

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["other@example.org"]


def test_counters_match_truth_after_mixed_changes():
    campaign = CampaignFactory(is_active=True)
    pledges = [
        PledgeFactory(campaign=campaign, country=code) for code in ["BE", "BE", "SY", "FR", "SY", "BE"]
    ]
    for pledge in pledges:
        pledge.confirm()
    pledges[0].withdraw()
    pledges[2].withdraw()
    pledges[3].confirm()

    assert counters(campaign) == true_counts(campaign) == (4, {"BE": 2, "SY": 1, "FR": 1})


def test_repair_command_fixes_and_reports_wrong_counters(capsys):
    campaign = CampaignFactory(is_active=True, slug="together")
    for code in ["BE", "SY", "SY"]:
        PledgeFactory(campaign=campaign, country=code).confirm()
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_pledges=7)
    CampaignCountryCount.objects.filter(campaign=campaign, country="SY").update(count=5)
    CampaignCountryCount.objects.filter(campaign=campaign, country="BE").delete()
    CampaignCountryCount.objects.create(campaign=campaign, country="FR", count=2)

    call_command("repair_pledge_counts")

    assert capsys.readouterr().out.splitlines() == [
        "Fixed together: total 7 -> 3",
        "Fixed together: BE 0 -> 1",
        "Fixed together: FR 2 -> 0",
        "Fixed together: SY 5 -> 2",
        "4 counter(s) repaired.",
    ]
    assert counters(campaign) == true_counts(campaign) == (3, {"BE": 1, "SY": 2})


def test_repair_command_with_correct_counters_changes_nothing(capsys):
    PledgeFactory().confirm()

    call_command("repair_pledge_counts")

    assert capsys.readouterr().out == "All pledge counters are correct.\n"


def test_counters_stay_right_after_repair_then_more_changes():
    campaign = CampaignFactory(is_active=True)
    first = PledgeFactory(campaign=campaign, country="BE")
    first.confirm()
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_pledges=0)
    campaign.repair_pledge_counts()

    PledgeFactory(campaign=campaign, country="BE").confirm()
    first.withdraw()

    assert counters(campaign) == true_counts(campaign) == (1, {"BE": 1})


def test_approve_message_records_who_and_when(admin_user):
    pledge = PledgeFactory(message="Welcome, neighbours")
    pledge.confirm()

    pledge.approve_message(by=admin_user)

    pledge.refresh_from_db()
    assert pledge.message_approved_by == admin_user
    assert pledge.message_approved_at is not None


@pytest.mark.parametrize(
    ("message", "confirm"),
    [("", True), ("Welcome", False)],
    ids=["no-message", "unconfirmed"],
)
def test_approve_message_refused_when_illegal(admin_user, message, confirm):
    pledge = PledgeFactory(message=message)
    if confirm:
        pledge.confirm()

    with pytest.raises(PledgeStateError):
        pledge.approve_message(by=admin_user)

    pledge.refresh_from_db()
    assert pledge.message_approved_at is None


def test_approve_message_twice_is_refused(admin_user):
    pledge = PledgeFactory(message="Welcome")
    pledge.confirm()
    pledge.approve_message(by=admin_user)

    with pytest.raises(PledgeStateError, match="already approved"):
        pledge.approve_message(by=admin_user)


def test_delete_expired_pledges_removes_only_expired_unconfirmed(capsys):
    old = timezone.now() - timedelta(days=8)
    expired = PledgeFactory(confirmation_sent_at=old, email="expired@example.org")
    expired.send_email("pledge_confirm")
    confirmed_old = PledgeFactory(confirmation_sent_at=old)
    confirmed_old.confirm()
    recent = PledgeFactory(confirmation_sent_at=timezone.now() - timedelta(days=6))

    call_command("delete_expired_pledges")

    assert capsys.readouterr().out == "Deleted 1 expired unconfirmed pledge(s).\n"
    assert set(Pledge.objects.all()) == {confirmed_old, recent}
    assert not OutboundEmail.objects.filter(to="expired@example.org").exists()
    assert counters(confirmed_old.campaign)[0] == 1


def test_delete_expired_pledges_twice_is_harmless(capsys):
    PledgeFactory(confirmation_sent_at=timezone.now() - timedelta(days=8))
    call_command("delete_expired_pledges")

    call_command("delete_expired_pledges")

    assert capsys.readouterr().out.splitlines()[-1] == "Deleted 0 expired unconfirmed pledge(s)."


def test_one_pledge_per_normalised_email_is_enforced_by_database():
    pledge = PledgeFactory(email="amina@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(campaign=pledge.campaign, email="Amina@Example.org")


def test_a_pledge_sent_again_with_another_country_after_its_link_was_read_is_counted_in_the_new_country():
    campaign = CampaignFactory(is_active=True)
    pledge = PledgeFactory(campaign=campaign, email="amira@example.org", country="BE")
    opened = Pledge.from_confirm_token(pledge.confirm_token())  # the page with the button
    submit_as_amira(campaign, country="FR")

    assert opened.confirm() is True

    assert counters(campaign) == true_counts(campaign) == (1, {"FR": 1})


def submit_as_amira(campaign, **changes):
    details = {"name": "Amira", "email": "amira@example.org", "country": "JO", "show_publicly": False}
    details |= {"keep_informed": False, "message": "", "source": "campaign_page", "language": "en"}
    return Pledge.submit(campaign=campaign, **details | changes)


def test_a_second_submission_of_an_unconfirmed_pledge_takes_its_new_details_and_keeps_its_links():
    campaign = CampaignFactory(is_active=True)
    first = submit_as_amira(campaign)

    again = submit_as_amira(campaign, email="Amira@Example.org ", country="FR", name="Amira K.")

    (stored,) = Pledge.objects.all()
    assert (again.pk, again.secret) == (stored.pk, stored.secret) == (first.pk, first.secret)
    assert (stored.email, stored.country.code, stored.name) == ("Amira@Example.org", "FR", "Amira K.")
    assert [message.to for message in OutboundEmail.objects.order_by("pk")] == [
        "amira@example.org",
        "Amira@Example.org",
    ]


def test_a_submission_of_a_confirmed_pledge_changes_nothing_and_tells_its_owner():
    campaign = CampaignFactory(is_active=True)
    submit_as_amira(campaign).confirm()

    submit_as_amira(campaign, country="FR", name="Someone else")

    stored = Pledge.objects.get()
    assert (stored.country.code, stored.name, stored.is_confirmed) == ("JO", "Amira", True)
    last = OutboundEmail.objects.order_by("pk").last()
    assert (last.to, last.subject) == ("amira@example.org", f"You have already pledged to {campaign.title}")
