"""The median waiting time told to storytellers matches the moderation log
(stories/waiting.py; issue 15, acceptance point 4), with a fake clock."""

from datetime import timedelta
from statistics import median

import pytest
from django.urls import reverse

from stories.models import ModerationLogEntry, Story
from stories.waiting import DECISIONS, RoundedWait, current_median_wait
from tests.stories.clock import fake_clock
from tests.stories.factories import ModeratorFactory, StoryFactory, StoryTranslationFactory

pytestmark = pytest.mark.django_db

THANKS = "stories:story_thanks"


@pytest.fixture
def clock(monkeypatch):
    return fake_clock(monkeypatch)


def decide_after(clock, moderator, hours, decision="publish"):
    """A story submitted now and first decided ``hours`` later (the clock
    then stays there)."""
    story = StoryFactory()
    clock.advance(hours=hours)
    if decision == "publish":
        story.publish(by=moderator)
    elif decision == "decline":
        story.decline(by=moderator, reason_code=Story.DeclineReason.SPAM)
    else:
        story.request_changes(by=moderator, note="Please remove the street name.")
    return story


def median_from_the_log():
    """The median, computed here from the log rows themselves."""
    firsts = {}
    for entry in ModerationLogEntry.objects.filter(
        translation__isnull=True, action__in=DECISIONS
    ).select_related("story"):
        wait = entry.created_at - entry.story.submitted_at
        firsts[entry.story_id] = min(firsts.get(entry.story_id, wait), wait)
    return timedelta(seconds=median(wait.total_seconds() for wait in firsts.values()))


def test_the_thank_you_page_tells_the_median_wait_of_the_log(client, clock, moderator):
    for hours, decision in [
        (20, "publish"),
        (45, "decline"),
        (50, "request_changes"),
        (70, "publish"),
        (100, "publish"),
    ]:
        decide_after(clock, moderator, hours, decision)
    clock.advance(days=5)

    html = client.get(reverse(THANKS)).content.decode()

    assert median_from_the_log() == timedelta(hours=50)
    assert current_median_wait() == timedelta(hours=50)
    assert "half of the stories we receive get an answer within about 2 days." in html


def test_only_the_first_decision_of_a_story_counts(clock, moderator):
    for hours in (10, 12):
        decide_after(clock, moderator, hours)
    story = decide_after(clock, moderator, 14, "request_changes")
    clock.advance(days=9)
    story.edit_by_storyteller(title="Changed")
    story.publish(by=moderator)

    assert current_median_wait() == median_from_the_log() == timedelta(hours=12)


def test_decisions_older_than_30_days_and_translations_do_not_count(clock, moderator):
    for hours in (200, 300, 400):
        decide_after(clock, moderator, hours)
    clock.advance(days=31)
    for hours in (3, 4, 5):
        decide_after(clock, moderator, hours)
    translation = StoryTranslationFactory()
    clock.advance(days=3)
    translation.publish(by=moderator)

    assert current_median_wait() == timedelta(hours=4)
    assert RoundedWait.of(current_median_wait()) == RoundedWait(hours=4)


def test_hours_are_told_in_hours(client, clock, moderator):
    for hours in (2, 3, 5):
        decide_after(clock, moderator, hours)

    assert "within about 3 hours." in client.get(reverse(THANKS)).content.decode()


def test_with_too_few_decisions_nothing_is_told(client, clock, moderator):
    decide_after(clock, moderator, 30)

    html = client.get(reverse(THANKS)).content.decode()

    assert current_median_wait() is None
    assert 'class="moderation-wait"' not in html


def test_the_figure_is_kept_a_few_minutes(clock, moderator):
    for hours in (10, 20, 30):
        decide_after(clock, moderator, hours)
    assert current_median_wait() == timedelta(hours=20)

    for hours in (40, 50):
        decide_after(clock, moderator, hours)

    assert current_median_wait() == timedelta(hours=20)


def test_the_private_page_of_a_waiting_story_tells_the_median_wait(client, clock):
    moderator = ModeratorFactory()
    for hours in (30, 48, 60):
        decide_after(clock, moderator, hours)
    waiting = StoryFactory()

    html = client.get(reverse("stories:story_manage", args=[waiting.manage_token()])).content.decode()

    assert "within about 2 days." in html


def test_the_private_page_of_a_decided_story_does_not(client, clock):
    moderator = ModeratorFactory()
    for hours in (30, 48, 60):
        decide_after(clock, moderator, hours)
    published = decide_after(clock, moderator, 10)

    html = client.get(reverse("stories:story_manage", args=[published.manage_token()])).content.decode()

    assert 'class="moderation-wait"' not in html
