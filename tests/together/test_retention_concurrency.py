"""Erasing and a person's own action on the same row at the same instant:
each row is changed once, and nothing answers with an error. Real threads
and connections against PostgreSQL (tests/together/racing.py)."""

from datetime import timedelta

import pytest

from campaigns.models import Campaign, Pledge
from stories.models import STORYTELLER, ModerationLogEntry, Story
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_two_purges_of_one_declined_story_erase_it_once():
    story = StoryFactory()
    story.decline(by=ModeratorFactory(), reason_code="spam")
    later = story.decided_at + timedelta(days=365)

    outcomes = at_once(
        lambda: Story.objects.get(pk=story.pk).erase_declined(now=later),
        lambda: Story.objects.get(pk=story.pk).erase_declined(now=later),
    )

    assert sorted(outcomes) == [False, True]
    assert story.log_entries.filter(action=ModerationLogEntry.Action.ERASE_DECLINED).count() == 1


def test_a_withdrawal_racing_the_purge_leaves_one_clear_outcome():
    story = StoryFactory()
    story.decline(by=ModeratorFactory(), reason_code="spam")
    later = story.decided_at + timedelta(days=365)

    erased, withdrawn = at_once(
        lambda: Story.objects.get(pk=story.pk).erase_declined(now=later),
        lambda: Story.objects.get(pk=story.pk).withdraw(),
    )

    story.refresh_from_db()
    # Erased then withdrawn, or withdrawn first (the purge then skips it).
    assert (story.status, story.title, story.email) == ("withdrawn", "", "")
    assert erased in {True, False}
    assert withdrawn is None


def test_two_changes_of_sharing_at_once_are_both_logged_and_the_last_stays():
    story = StoryFactory(published=True, sharing=Story.Sharing.PRESS)

    befores = at_once(
        lambda: Story.objects.get(pk=story.pk).change_sharing("site", by=STORYTELLER),
        lambda: Story.objects.get(pk=story.pk).change_sharing("partners", by=STORYTELLER),
    )

    story.refresh_from_db()
    # Each saw what the other left (the row lock): one started from "press".
    assert "press" in befores
    assert set(befores) - {"press"} <= {"site", "partners"}
    assert story.sharing in {"site", "partners"}
    assert story.log_entries.filter(action=ModerationLogEntry.Action.CHANGE_SHARING).count() == 2


def test_anonymising_a_pledge_racing_its_withdrawal_keeps_the_counters_exact():
    campaign = CampaignFactory(ends_on=None)
    pledge = PledgeFactory(campaign=campaign)
    pledge.confirm()
    Campaign.objects.filter(pk=campaign.pk).update(starts_on="2020-01-01", ends_on="2020-02-01")

    at_once(
        lambda: Pledge.objects.get(pk=pledge.pk).anonymise(),
        lambda: Pledge.objects.get(pk=pledge.pk).withdraw(),
    )

    campaign.refresh_from_db()
    assert campaign.confirmed_pledges == Pledge.objects.confirmed().filter(campaign=campaign).count()
    assert campaign.repair_pledge_counts() == []
