"""Each retention rule (together/retention.py), with a fake clock: what is
erased once its period has passed, what is kept before, and what stays so
that the public figures stay exact."""

from datetime import date, timedelta

import pytest

from campaigns.models import Campaign, CampaignCountryCount, Pledge, SignUp
from campaigns.models.pledge import months_before
from stories.models import ModerationLogEntry, Story
from stories.transparency import monthly_moderation_figures
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.clock import FakeClock
from together.models import OutboundEmail
from together.retention import purge

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return FakeClock(monkeypatch)


# --- Event sign-ups ------------------------------------------------------------------


@pytest.fixture
def signed_up():
    event = EventFactory()
    signup = SignUpFactory(event=event, nationality="SY", confirmed=True)
    signup.send_email("confirmed")  # an email holding its private links
    return signup


def test_a_sign_up_keeps_its_name_until_the_period_after_the_event_ends(clock, signed_up, settings):
    settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT = 30
    clock.now = signed_up.event.ends_at + timedelta(days=30) - timedelta(minutes=1)

    purge()

    signed_up.refresh_from_db()
    assert (signed_up.name, signed_up.email, signed_up.erased_at) != ("", "", None)
    assert signed_up.name.startswith("Person")


def test_a_sign_up_is_erased_once_the_period_after_the_event_has_passed(clock, signed_up, settings):
    settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT = 30
    address, old_secret = signed_up.email, signed_up.secret
    clock.now = signed_up.event.ends_at + timedelta(days=30, minutes=1)

    purge()

    signed_up.refresh_from_db()
    assert (signed_up.name, signed_up.email) == ("", "")
    assert signed_up.erased_at is not None
    assert signed_up.secret != old_secret  # its private links no longer work
    assert not OutboundEmail.objects.filter(to__iexact=address).exists()


def test_an_erased_sign_up_keeps_the_event_figures_exact(clock, signed_up):
    clock.now = signed_up.event.ends_at + timedelta(days=31)

    purge()

    signed_up.refresh_from_db()
    assert (signed_up.status, signed_up.role, signed_up.nationality.code) == ("confirmed", "runner", "SY")
    signed_up.event.refresh_from_db()
    assert signed_up.event.places_taken == 1


def test_the_sign_up_period_is_the_setting(clock, signed_up, settings):
    settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT = 2
    clock.now = signed_up.event.ends_at + timedelta(days=2, minutes=1)

    purge()

    assert SignUp.objects.get().erased_at is not None


# --- Declined stories ----------------------------------------------------------------


@pytest.fixture
def declined(clock):
    story = StoryFactory(title="Our street", body="A long story.", name="Amina", city_or_region="Liège")
    story.decline(by=ModeratorFactory(), reason_code="not_personal", note="Not a personal story.")
    return story


def test_a_declined_story_is_kept_during_the_answer_window(clock, declined, settings):
    settings.RETENTION_DECLINED_STORY_DAYS = 30
    clock.advance(days=30, minutes=-1)

    purge()

    declined.refresh_from_db()
    assert (declined.title, declined.erased_at) == ("Our street", None)
    assert declined.storyteller_can_reply


def test_a_declined_story_is_erased_after_the_answer_window(clock, declined, settings):
    settings.RETENTION_DECLINED_STORY_DAYS = 30
    address = declined.email
    clock.advance(days=30, minutes=1)

    purge()

    declined.refresh_from_db()
    assert (declined.title, declined.body, declined.name, declined.email, declined.city_or_region) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert declined.decline_note == ""
    assert declined.erased_at > declined.decided_at + timedelta(days=30)
    assert not declined.storyteller_can_reply
    assert not OutboundEmail.objects.filter(to__iexact=address).exists()


def test_an_erased_declined_story_keeps_its_decision_for_the_figures(clock, declined):
    before = [(month.received, month.declined_by_reason) for month in monthly_moderation_figures()]
    clock.advance(days=31)

    purge()

    declined.refresh_from_db()
    assert (declined.status, declined.decline_reason_code) == ("declined", "not_personal")
    after = [(month.received, month.declined_by_reason) for month in monthly_moderation_figures()]
    assert after == before
    entry = declined.log_entries.get(action=ModerationLogEntry.Action.ERASE_DECLINED)
    assert (entry.actor, entry.by_storyteller, entry.note) == (None, False, "")


def test_the_answer_window_counts_from_the_last_decline(clock, declined):
    moderator = ModeratorFactory()
    clock.advance(days=20)
    declined.reopen(by=moderator)
    declined.decline(by=moderator, reason_code="not_personal")
    # The log's default date is the real clock's (see tests.together.clock).
    declined.log_entries.filter(pk=declined.log_entries.latest("pk").pk).update(created_at=clock.now)
    clock.advance(days=20)  # 40 days after the first decline, 20 after the last

    purge()

    declined.refresh_from_db()
    assert declined.erased_at is None


def test_a_reopened_story_is_not_erased(clock, declined):
    declined.reopen(by=ModeratorFactory())
    clock.advance(days=60)

    purge()

    declined.refresh_from_db()
    assert (declined.status, declined.title) == ("pending", "Our street")


def test_the_private_page_of_an_erased_declined_story_says_so(client, clock, declined):
    token = declined.manage_token()
    clock.advance(days=31)
    purge()

    html = client.get(f"/en/stories/manage/{token}/").content.decode()

    assert "The time to answer this decision is over" in html
    assert "Your answer to the moderators" in html
    assert 'name="text"' not in html  # no reply form any more


# --- Pledges ---------------------------------------------------------------------------


@pytest.fixture
def closed_campaign(clock):
    today = clock.now.date()
    return CampaignFactory(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1))


def confirmed_pledge(campaign, **fields):
    pledge = PledgeFactory(campaign=campaign, **fields)
    pledge.confirm()
    return pledge


def test_a_confirmed_pledge_keeps_its_name_until_months_after_the_campaign(clock, closed_campaign, settings):
    settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN = 6
    pledge = confirmed_pledge(closed_campaign, name="Jan Peeters")
    clock.advance(days=150)

    purge()

    pledge.refresh_from_db()
    assert (pledge.name, pledge.anonymised_at) == ("Jan Peeters", None)


def test_a_confirmed_pledge_is_anonymised_months_after_the_campaign_ends(clock, closed_campaign, settings):
    settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN = 6
    pledge = confirmed_pledge(
        closed_campaign, name="Jan Peeters", message="Welcome!", show_publicly=True, country="NL"
    )
    pledge.send_email("pledge_already")
    address = pledge.email
    clock.advance(days=190)

    purge()

    pledge.refresh_from_db()
    assert (pledge.name, pledge.email, pledge.email_normalised, pledge.message) == ("", "", "", "")
    assert (pledge.show_publicly, pledge.country.code) == (False, "NL")
    assert pledge.is_confirmed
    assert not OutboundEmail.objects.filter(to__iexact=address).exists()


def test_anonymising_pledges_keeps_the_counters_exact(clock, closed_campaign):
    for country in ["BE", "BE", "SY"]:
        confirmed_pledge(closed_campaign, country=country)
    clock.advance(days=200)

    purge()

    campaign = Campaign.objects.get(pk=closed_campaign.pk)
    assert campaign.confirmed_pledges == 3
    assert dict(CampaignCountryCount.objects.values_list("country", "count")) == {"BE": 2, "SY": 1}
    assert campaign.repair_pledge_counts() == []
    assert Pledge.objects.filter(anonymised_at__isnull=False).count() == 3


def test_a_campaign_without_an_end_keeps_its_pledges(clock):
    pledge = confirmed_pledge(CampaignFactory(ends_on=None))
    clock.advance(days=1000)

    purge()

    pledge.refresh_from_db()
    assert pledge.anonymised_at is None


def test_an_unconfirmed_pledge_is_deleted_once_its_link_expired(clock):
    PledgeFactory()
    clock.advance(days=Pledge.CONFIRMATION_VALID_FOR.days, minutes=1)

    assert dict(purge())["unconfirmed pledges after their link expired"] == 1
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 5), 6, date(2026, 6, 5)),
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 3, 1), 0, date(2026, 3, 1)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


# --- Delivered emails ---------------------------------------------------------------------


def test_a_delivered_email_keeps_its_text_until_the_period_has_passed(clock, settings):
    settings.RETENTION_SENT_EMAIL_HOURS = 24
    story = StoryFactory()
    story.email_storyteller("stories/email/received")
    clock.advance(hours=23)

    purge()

    assert story.manage_token() in OutboundEmail.objects.get().text_body


def test_a_delivered_email_loses_its_text_after_the_period(clock, settings):
    settings.RETENTION_SENT_EMAIL_HOURS = 24
    story = StoryFactory()
    story.email_storyteller("stories/email/received")
    clock.advance(hours=24, minutes=1)

    purge()

    message = OutboundEmail.objects.get()
    assert (message.text_body, message.html_body) == ("", "")
    assert (message.to, message.sent_at is not None) == (story.email, True)
    assert message.subject


def test_an_undelivered_email_keeps_its_text(clock, settings):
    story = StoryFactory()
    message = OutboundEmail.objects.create(to=story.email, subject="Waiting", text_body="Link inside")
    clock.advance(days=30)

    purge()

    message.refresh_from_db()
    assert message.text_body == "Link inside"


# --- Every rule at once -------------------------------------------------------------------------


def test_a_dry_run_counts_and_changes_nothing(clock, signed_up, declined):
    clock.advance(days=90)

    counts = dict(purge(dry_run=True))

    assert counts["event sign-ups after the event"] == 1
    assert counts["declined stories after the answer window"] == 1
    signed_up.refresh_from_db()
    declined.refresh_from_db()
    assert signed_up.erased_at is None
    assert declined.erased_at is None


def test_purging_twice_erases_each_row_once(clock, signed_up, declined):
    clock.advance(days=90)

    first, second = dict(purge()), dict(purge())

    assert first["event sign-ups after the event"] == first["declined stories after the answer window"] == 1
    assert set(second.values()) == {0}
    assert declined.log_entries.filter(action=ModerationLogEntry.Action.ERASE_DECLINED).count() == 1


def test_a_story_withdrawn_after_the_purge_listed_it_is_skipped(clock, declined):
    clock.advance(days=31)
    listed = Story.objects.get(pk=declined.pk)
    declined.withdraw()

    assert listed.erase_declined() is False
    assert not declined.log_entries.filter(action=ModerationLogEntry.Action.ERASE_DECLINED).exists()
