import pytest
from django.core.exceptions import ValidationError

from campaigns.models import PledgeStateError, SignUpError, SignUpGone
from stories.models import IllegalTransition, Story
from tests.stories.factories import StoryFactory
from together.refusals import Refusal


@pytest.mark.parametrize("refusal", [SignUpError, SignUpGone, PledgeStateError, IllegalTransition])
def test_every_refusal_of_the_site_is_a_refusal(refusal):
    assert issubclass(refusal, Refusal)


def test_a_refusal_carries_its_message_as_it_is():
    refusal = SignUpError("Sign-up for this event closed.")

    assert refusal.message == "Sign-up for this event closed."
    assert str(refusal) == "Sign-up for this event closed."


def test_an_illegal_transition_is_still_a_validation_error_with_its_message():
    story = StoryFactory.build(status=Story.Status.WITHDRAWN)

    refusal = IllegalTransition(story, "publish", Story.Status.PUBLISHED)

    assert isinstance(refusal, ValidationError)
    assert refusal.code == "illegal_transition"
    assert refusal.messages == [refusal.message]
