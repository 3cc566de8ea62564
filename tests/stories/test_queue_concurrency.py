"""Moderators clicking at the same moment on the queue: "claim the next
story" gives each a different story, and a minor's story never gets its
two approvals from one moderator. Real threads and connections against
PostgreSQL (see tests/together/racing.py)."""

import pytest

from stories.models import ModerationLogEntry, ModerationRefused, Story
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_two_moderators_claiming_the_next_story_at_once_get_different_stories():
    first, second = ModeratorFactory(), ModeratorFactory()
    stories = StoryFactory.create_batch(3)

    claimed = at_once(lambda: Story.claim_next(by=first), lambda: Story.claim_next(by=second))

    assert all(isinstance(story, Story) for story in claimed), claimed
    assert claimed[0].pk != claimed[1].pk
    holders = dict(Story.objects.filter(claimed_by__isnull=False).values_list("pk", "claimed_by"))
    assert holders == {claimed[0].pk: first.pk, claimed[1].pk: second.pk}
    assert {story.pk for story in stories} >= set(holders)


def test_ten_moderators_claiming_two_stories_at_once_leave_eight_without_one():
    moderators = ModeratorFactory.create_batch(10)
    StoryFactory.create_batch(2)

    claimed = at_once(
        *[lambda moderator=moderator: Story.claim_next(by=moderator) for moderator in moderators]
    )

    assert sorted(story is None for story in claimed) == [False] * 2 + [True] * 8
    assert ModerationLogEntry.objects.filter(action="claim").count() == 2


def test_one_moderator_approving_a_minors_story_twice_at_once_gives_one_approval():
    story, moderator = StoryFactory(minor=True), ModeratorFactory()

    outcomes = at_once(
        lambda: Story.objects.get(pk=story.pk).publish(by=moderator),
        lambda: Story.objects.get(pk=story.pk).publish(by=moderator),
    )

    assert sum(outcome is False for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ModerationRefused) for outcome in outcomes) == 1
    assert Story.objects.get(pk=story.pk).status == Story.Status.PENDING
    assert list(story.log_entries.values_list("action", flat=True)) == ["approve"]


def test_two_moderators_approving_a_minors_story_at_once_publish_it_with_both_approvals():
    story = StoryFactory(minor=True)
    first, second = ModeratorFactory(), ModeratorFactory()

    outcomes = at_once(
        lambda: Story.objects.get(pk=story.pk).publish(by=first),
        lambda: Story.objects.get(pk=story.pk).publish(by=second),
    )

    assert sorted(outcomes) == [False, True]
    assert Story.objects.get(pk=story.pk).status == Story.Status.PUBLISHED
    logged = sorted(story.log_entries.values_list("action", "actor"))
    assert {action for action, actor in logged} == {"approve", "publish"}
    assert {actor for action, actor in logged} == {first.pk, second.pk}
