"""The moderation queue in the model: claims, the second approval a minor's
story needs, answered declines, the stored waiting time and privacy hints."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from stories.models import ModerationLogEntry, ModerationRefused, ModeratorPreferences, Story
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def actions_of(story):
    return list(story.log_entries.order_by("created_at", "pk").values_list("action", "actor__username"))


# --- Claims ---------------------------------------------------------------------------------


def test_a_claim_is_logged_and_names_its_holder():
    story, moderator = StoryFactory(), ModeratorFactory(username="amal")

    story.claim(by=moderator)

    story.refresh_from_db()
    assert story.holder() == moderator
    assert actions_of(story) == [("claim", "amal")]


def test_a_claim_lapses_after_the_set_time_without_activity(settings):
    settings.MODERATION_CLAIM_EXPIRES_AFTER = timedelta(minutes=30)
    moderator = ModeratorFactory()
    story = StoryFactory(claimed_by=moderator, claimed_at=ago(minutes=31))

    assert story.holder() is None
    assert Story.objects.unclaimed().filter(pk=story.pk).exists()


def test_the_holders_correction_renews_the_claim():
    moderator = ModeratorFactory()
    story = StoryFactory(claimed_by=moderator, claimed_at=ago(minutes=29))

    story.redact(by=moderator, title="A corrected title")

    story.refresh_from_db()
    assert story.claimed_at > ago(minutes=1)


def test_someone_elses_correction_does_not_renew_the_claim():
    holder, other = ModeratorFactory(), ModeratorFactory()
    claimed_at = ago(minutes=29)
    story = StoryFactory(claimed_by=holder, claimed_at=claimed_at)

    story.redact(by=other, title="A corrected title")

    story.refresh_from_db()
    assert story.claimed_at == claimed_at


def test_a_decision_ends_the_claim():
    moderator = ModeratorFactory()
    story = StoryFactory(claimed_by=moderator, claimed_at=ago(minutes=5))

    story.publish(by=moderator)

    story.refresh_from_db()
    assert (story.claimed_by, story.claimed_at) == (None, None)


def test_releasing_someone_elses_claim_is_refused():
    holder, other = ModeratorFactory(), ModeratorFactory()
    story = StoryFactory(claimed_by=holder, claimed_at=ago(minutes=5))

    with pytest.raises(ModerationRefused):
        story.release(by=other)

    story.refresh_from_db()
    assert story.claimed_by == holder


def test_taking_over_a_claim_logs_whose_it_was():
    holder, other = ModeratorFactory(username="amal"), ModeratorFactory(username="bo")
    story = StoryFactory(claimed_by=holder, claimed_at=ago(minutes=5))

    story.claim(by=other)

    assert story.log_entries.get(action="claim").note == "Taken over from amal."


def test_claim_next_takes_the_first_story_of_the_queue_nobody_else_holds():
    holder, moderator = ModeratorFactory(), ModeratorFactory()
    StoryFactory(published=True, title="Published, nothing to do")
    StoryFactory(
        title="Held by someone", submitted_at=ago(days=9), claimed_by=holder, claimed_at=ago(minutes=1)
    )
    StoryFactory(title="Newer", submitted_at=ago(days=1))
    StoryFactory(title="Older", submitted_at=ago(days=3))

    story = Story.claim_next(by=moderator)

    assert story.title == "Older"
    assert Story.objects.get(pk=story.pk).claimed_by == moderator


def test_claim_next_puts_an_answered_decline_first():
    moderator = ModeratorFactory()
    StoryFactory(title="Pending for long", submitted_at=ago(days=9))
    StoryFactory(
        title="Answered", declined=True, storyteller_reply="Please look again.", replied_at=ago(hours=1)
    )

    assert Story.claim_next(by=moderator).title == "Answered"


def test_claim_next_finds_nothing_when_everything_is_held():
    holder = ModeratorFactory()
    StoryFactory(claimed_by=holder, claimed_at=ago(minutes=1))

    assert Story.claim_next(by=ModeratorFactory()) is None


# --- Two moderators for a minor's story --------------------------------------------------------


def test_the_first_publication_of_a_minors_story_is_an_approval():
    story, first = StoryFactory(minor=True), ModeratorFactory(username="amal")

    published = story.publish(by=first)

    story.refresh_from_db()
    assert published is False
    assert (story.status, story.approved_by) == (Story.Status.PENDING, first)
    assert actions_of(story) == [("approve", "amal")]


def test_the_same_moderator_cannot_give_both_approvals():
    story, first = StoryFactory(minor=True), ModeratorFactory()
    story.publish(by=first)

    with pytest.raises(ModerationRefused, match="second, different moderator"):
        story.publish(by=first)

    story.refresh_from_db()
    assert story.status == Story.Status.PENDING


def test_a_second_moderator_publishes_a_minors_story_and_both_approvals_are_logged():
    story = StoryFactory(minor=True)
    first, second = ModeratorFactory(username="amal"), ModeratorFactory(username="bo")
    story.publish(by=first)

    published = story.publish(by=second)

    story.refresh_from_db()
    assert published is True
    assert (story.status, story.approved_by) == (Story.Status.PUBLISHED, None)
    assert actions_of(story) == [("approve", "amal"), ("publish", "bo")]
    assert story.log_entries.get(action="publish").note == "Second approval."


def test_the_storytellers_edit_voids_a_first_approval():
    story, first = StoryFactory(minor=True), ModeratorFactory()
    story.publish(by=first)

    story.edit_by_storyteller(body="We arrived in spring.")

    story.refresh_from_db()
    assert story.approved_by is None


def test_an_adults_story_is_published_by_one_moderator():
    story = StoryFactory()

    assert story.publish(by=ModeratorFactory()) is True
    assert Story.objects.get(pk=story.pk).status == Story.Status.PUBLISHED


# --- Answers to a decline ----------------------------------------------------------------------


def test_a_reply_to_a_decline_waits_and_restarts_the_wait():
    story = StoryFactory(declined=True, waiting_since=ago(days=5))

    story.reply_to_decline("It is my own story, please look again.")

    story.refresh_from_db()
    assert story.reply_waiting
    assert story.waiting_since > ago(minutes=1)


def test_keeping_the_decline_handles_the_reply():
    story = StoryFactory(declined=True, storyteller_reply="Please.", replied_at=ago(hours=2))

    story.keep_declined(by=ModeratorFactory(), note="Still not a personal story.")

    story.refresh_from_db()
    assert not story.reply_waiting
    assert story.status == Story.Status.DECLINED
    assert story.log_entries.get(action="keep_declined").note == "Still not a personal story."


def test_keeping_a_decline_without_a_reply_is_refused():
    story = StoryFactory(declined=True)

    with pytest.raises(ModerationRefused):
        story.keep_declined(by=ModeratorFactory())


def test_reopening_handles_the_reply():
    story = StoryFactory(declined=True, storyteller_reply="Please.", replied_at=ago(hours=2))

    story.reopen(by=ModeratorFactory())

    story.refresh_from_db()
    assert story.reply_handled_at is not None


def test_the_storytellers_edit_restarts_the_wait():
    story = StoryFactory(changes_requested=True, waiting_since=ago(days=4))

    story.edit_by_storyteller(body="Without the street name.")

    story.refresh_from_db()
    assert story.waiting_since > ago(minutes=1)


# --- Stored counts -----------------------------------------------------------------------------


def test_privacy_hints_are_counted_on_save():
    story = StoryFactory(body="Write to me at amina@example.org or call +32 470 12 34 56.")

    assert Story.objects.get(pk=story.pk).privacy_hint_count == 2


def test_a_correction_recounts_the_privacy_hints():
    story = StoryFactory(body="Write to me at amina@example.org.")

    story.redact(by=ModeratorFactory(), body="Write to me through the site.")

    assert Story.objects.get(pk=story.pk).privacy_hint_count == 0


def test_the_command_counts_the_stories_not_counted_yet():
    story = StoryFactory(body="Call +32 470 12 34 56.")
    Story.objects.filter(pk=story.pk).update(privacy_hint_count=None)

    call_command("count_privacy_hints", stdout=None)

    assert Story.objects.get(pk=story.pk).privacy_hint_count == 1


def test_overdue_stories_are_those_waiting_longer_than_the_setting(settings):
    settings.MODERATION_OVERDUE_AFTER = timedelta(hours=48)
    StoryFactory(title="Waiting 3 days", waiting_since=ago(days=3))
    StoryFactory(title="Waiting 1 day", waiting_since=ago(days=1))
    StoryFactory(title="Published long ago", published=True, waiting_since=ago(days=30))

    assert [story.title for story in Story.objects.overdue()] == ["Waiting 3 days"]


def test_decisions_today_count_decisions_not_claims():
    moderator = ModeratorFactory()
    for story in StoryFactory.create_batch(2):
        story.claim(by=moderator)
        story.publish(by=moderator)
    ModerationLogEntry.objects.filter(action="publish").update(created_at=ago(days=1))
    StoryFactory().decline(by=moderator, reason_code="spam")

    assert ModeratorPreferences.decisions_today(moderator) == 1
