"""The transitions test: the moderation buttons of the admin and the
transitions the models accept are the same, for stories and translations.

A button is what a moderator sees on the change page; a transition is legal
when the model's method, called on a story in that state, goes through and
changes it (featuring a story that is already featured changes nothing and
has no button)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stories.admin.actions import MODERATION_ACTIONS
from stories.admin.translation import TRANSLATION_ACTIONS
from stories.models import (
    STORY_TRANSITIONS,
    TRANSLATION_TRANSITIONS,
    IllegalTransition,
    IllegalTranslationChange,
    ModerationRefused,
    Story,
    StoryTranslation,
)
from tests.stories.factories import StoryFactory, StoryTranslationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()

STORY_STATES = {
    "pending": {},
    "changes_requested": {"changes_requested": True},
    "published": {"published": True},
    "featured": {"featured": True},
    "declined": {"declined": True},
    "unpublished": {"unpublished": True},
    "withdrawn": {"status": Story.Status.WITHDRAWN},
    "declined, answered": {"declined": True, "storyteller_reply": "Please reconsider.", "replied_at": NOW},
    "minor, pending": {"minor": True},
}
TRANSLATION_STATES = {
    "pending": {},
    "changes_requested": {"status": StoryTranslation.Status.CHANGES_REQUESTED},
    "published": {"published": True},
}
# What each button's confirmation form would send.
FORM_DATA = {
    "decline": {"reason_code": Story.DeclineReason.SPAM, "note": ""},
    "request_changes": {"note": "Please leave out the street name."},
    "unpublish": {"note": ""},
    "reopen": {"note": ""},
    "keep_declined": {"note": ""},
    "return": {"note": "The second paragraph is missing."},
}


def offered_buttons(client, url, url_name, pk):
    """The action names of the moderation buttons on the change page at ``url``."""
    html = client.get(url).content.decode()
    prefix = reverse(url_name, args=[pk, "ACTION"]).replace("ACTION/", "")
    return set(re.findall(re.escape(prefix) + r"(\w+)/", html))


def accepted(action, make, moderator, refusal, state_of):
    """Whether the model accepts ``action`` on a new object from ``make()``
    and changes it."""
    obj = make()
    before = state_of(obj)
    try:
        action.perform(obj, moderator, FORM_DATA.get(action.name, {}))
    except refusal:
        return False
    obj.refresh_from_db()
    return state_of(obj) != before


@pytest.mark.parametrize("state", STORY_STATES)
def test_story_buttons_are_exactly_the_moderation_transitions_the_model_accepts(
    state, moderator, moderator_client
):
    shown = StoryFactory(**STORY_STATES[state])
    buttons = offered_buttons(
        moderator_client,
        reverse("admin:stories_story_change", args=[shown.pk]),
        "admin:stories_story_moderate",
        shown.pk,
    )

    legal = {
        name
        for name, action in MODERATION_ACTIONS.items()
        if accepted(
            action,
            lambda: StoryFactory(**STORY_STATES[state]),
            moderator,
            (IllegalTransition, ModerationRefused),
            # The private link's secret: replacing it changes nothing else.
            lambda story: (
                story.status,
                story.is_featured,
                story.claimed_by_id,
                story.approved_by_id,
                story.reply_handled_at,
                story.manage_secret,
            ),
        )
    }

    assert buttons == legal


@pytest.mark.parametrize("state", TRANSLATION_STATES)
def test_translation_buttons_are_exactly_the_review_transitions_the_model_accepts(
    state, moderator, moderator_client
):
    shown = StoryTranslationFactory(**TRANSLATION_STATES[state])
    buttons = offered_buttons(
        moderator_client,
        reverse("admin:stories_storytranslation_change", args=[shown.pk]),
        "admin:stories_storytranslation_review",
        shown.pk,
    )

    legal = {
        name
        for name, action in TRANSLATION_ACTIONS.items()
        if accepted(
            action,
            lambda: StoryTranslationFactory(**TRANSLATION_STATES[state]),
            moderator,
            IllegalTranslationChange,
            lambda translation: translation.status,
        )
    }

    assert buttons == legal


def test_each_button_transition_of_the_tables_has_one_admin_action():
    story_buttons = [transition for transition in STORY_TRANSITIONS.values() if transition.button]
    translation_buttons = [transition for transition in TRANSLATION_TRANSITIONS.values() if transition.button]

    assert sorted(MODERATION_ACTIONS) == sorted(
        name for name, transition in STORY_TRANSITIONS.items() if transition.button
    )
    assert all(action.transition is STORY_TRANSITIONS[name] for name, action in MODERATION_ACTIONS.items())
    assert len(TRANSLATION_ACTIONS) == len(translation_buttons)
    assert all(
        sum(action.transition is transition for action in TRANSLATION_ACTIONS.values()) == 1
        for transition in translation_buttons
    )
    assert len(story_buttons) == len(MODERATION_ACTIONS)
