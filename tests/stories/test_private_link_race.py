"""Replacing a private link while the story is withdrawn, at the same
instant: the withdrawal wins or comes after, and nothing is left behind."""

import pytest

from stories.models import STORYTELLER, IllegalTransition, Story
from tests.stories.factories import StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_replacing_the_link_and_withdrawing_at_once_leaves_a_withdrawn_story():
    story = StoryFactory()

    outcomes = at_once(
        lambda: Story.objects.get(pk=story.pk).replace_manage_link(by=STORYTELLER),
        lambda: Story.objects.get(pk=story.pk).withdraw(),
    )

    assert outcomes[1] is None
    assert outcomes[0] is None or isinstance(outcomes[0], IllegalTransition)
    story.refresh_from_db()
    assert (story.status, story.email) == (Story.Status.WITHDRAWN, "")
    assert story.log_entries.order_by("created_at", "pk").last().action == "withdraw"
