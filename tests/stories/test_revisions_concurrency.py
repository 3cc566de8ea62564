"""A proposed change decided while the storyteller acts on the same story:
whichever comes first, the other gets a clear refusal or applies on top, and
the story never ends in a state that neither order could give (issue 14).

Real threads and connections against PostgreSQL (tests/together/racing.py);
each pair is raced several times so that both orders happen."""

from functools import partial

import pytest

from stories.models import STORYTELLER, IllegalRevisionChange, IllegalTransition, Story, StoryRevision
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

ROUNDS = 6


def test_approval_and_withdrawal_at_once_leave_a_withdrawn_story_with_nothing_kept():
    moderator = ModeratorFactory()
    for _round in range(ROUNDS):
        story = StoryFactory(published=True, title="Bread")
        revision = StoryRevision.propose(story, by=STORYTELLER, changes={"title": "Bread and salt"})
        approver, withdrawer = StoryRevision.objects.get(pk=revision.pk), Story.objects.get(pk=story.pk)

        approved, withdrawn = at_once(partial(approver.approve, by=moderator), withdrawer.withdraw)

        assert withdrawn is None
        # Approved first, then erased; or refused because the story was withdrawn.
        assert approved is None or isinstance(approved, IllegalTransition)
        stored = Story.objects.get(pk=story.pk)
        assert (stored.status, stored.title) == ("withdrawn", "")
        assert not StoryRevision.objects.filter(story=story).exists()


def test_approval_and_a_newer_proposal_at_once_keep_one_pending_proposal():
    moderator = ModeratorFactory()
    for _round in range(ROUNDS):
        story = StoryFactory(published=True, title="Bread")
        revision = StoryRevision.propose(story, by=STORYTELLER, changes={"title": "First idea"})
        approver, proposer = StoryRevision.objects.get(pk=revision.pk), Story.objects.get(pk=story.pk)

        approved, proposed = at_once(
            partial(approver.approve, by=moderator),
            partial(StoryRevision.propose, proposer, by=STORYTELLER, changes={"title": "Second idea"}),
        )

        assert isinstance(proposed, StoryRevision)
        statuses = dict(StoryRevision.objects.filter(story=story).values_list("pk", "status"))
        assert statuses[proposed.pk] == "pending"
        title = Story.objects.get(pk=story.pk).title
        if approved is None:  # approved first: the newer proposal waits on top
            assert (statuses[revision.pk], title) == ("approved", "First idea")
        else:  # superseded first: the approval is refused, the story unchanged
            assert isinstance(approved, IllegalRevisionChange)
            assert (statuses[revision.pk], title) == ("superseded", "Bread")


def test_two_moderators_deciding_one_proposal_at_once_decide_it_once():
    first, second = ModeratorFactory(), ModeratorFactory()
    for _round in range(ROUNDS):
        story = StoryFactory(published=True, title="Bread")
        revision = StoryRevision.propose(story, by=STORYTELLER, changes={"title": "Bread and salt"})
        one, other = StoryRevision.objects.get(pk=revision.pk), StoryRevision.objects.get(pk=revision.pk)

        outcomes = at_once(partial(one.approve, by=first), partial(other.reject, by=second, note="No."))

        assert sorted(type(outcome).__name__ for outcome in outcomes) == ["IllegalRevisionChange", "NoneType"]
        status = StoryRevision.objects.get(pk=revision.pk).status
        assert Story.objects.get(pk=story.pk).title == ("Bread and salt" if status == "approved" else "Bread")
