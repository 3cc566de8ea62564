"""Two actions on one object at the same instant each get one clear answer.

Confirm and withdraw of a pledge, confirm and cancel (or removal) of a
sign-up, promotion and cancellation, publication and withdrawal of a story:
whichever wins, the other is told plainly, nothing answers 500, and the
counters stay equal to the truth. Real threads and connections against
PostgreSQL (see tests/together/racing.py); each pair is raced several times,
so that both orders happen."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Event, Pledge, PledgeStateError, SignUp, SignUpError
from stories.models import IllegalTransition, ModerationLogEntry, Story
from tests.campaigns.counting import counters, true_counts
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

ROUNDS = 8


def post(path):
    """POST as a person's browser would: the status code, or the exception."""
    return lambda: Client().post(path).status_code


def signup_path(signup, purpose):
    return reverse(f"campaigns:signup_{purpose}", args=[signup.event.slug, signup.token(purpose)])


def test_confirm_and_withdraw_of_one_pledge_at_once_answer_clearly_and_keep_counts_exact():
    campaign = CampaignFactory(is_active=True)
    pledges = PledgeFactory.create_batch(ROUNDS, campaign=campaign)

    answers = [
        at_once(
            post(reverse("campaigns:pledge_confirm", args=[pledge.confirm_token()])),
            post(reverse("campaigns:pledge_withdraw", args=[pledge.withdraw_token()])),
        )
        for pledge in pledges
    ]

    # Confirmed then withdrawn (302, 302), or withdrawn first: the
    # confirmation link then no longer works (404 page), as after any withdrawal.
    assert {confirm for confirm, _withdraw in answers} <= {302, 404}
    assert {withdraw for _confirm, withdraw in answers} == {302}
    assert not Pledge.objects.filter(campaign=campaign).exists()
    assert counters(campaign) == true_counts(campaign) == (0, {})


def test_confirm_of_a_pledge_withdrawn_meanwhile_is_refused_with_a_reason():
    pledge = PledgeFactory()
    stale = Pledge.objects.get(pk=pledge.pk)
    pledge.withdraw()

    with pytest.raises(PledgeStateError, match=r"^This pledge has been withdrawn\.$"):
        stale.confirm()


def test_approving_the_message_of_a_pledge_withdrawn_meanwhile_is_refused_with_a_reason():
    pledge = PledgeFactory(message="Welcome!")
    pledge.confirm()
    stale = Pledge.objects.get(pk=pledge.pk)
    pledge.withdraw()

    with pytest.raises(PledgeStateError, match=r"^This pledge has been withdrawn\.$"):
        stale.approve_message(by=ModeratorFactory())


def test_confirm_and_cancel_of_one_sign_up_at_once_answer_clearly_and_count_places_exactly():
    event = EventFactory(places=ROUNDS)
    signups = SignUpFactory.create_batch(ROUNDS, event=event)

    answers = [at_once(post(signup_path(s, "confirm")), post(signup_path(s, "cancel"))) for s in signups]

    assert answers == [[302, 302]] * ROUNDS
    statuses = set(SignUp.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {"cancelled"}
    assert Event.objects.get(pk=event.pk).places_taken == 0


def test_confirm_and_removal_of_one_sign_up_at_once_answer_clearly():
    event = EventFactory(places=ROUNDS)
    signups = SignUpFactory.create_batch(ROUNDS, event=event)

    answers = [
        at_once(post(signup_path(s, "confirm")), SignUp.objects.get(pk=s.pk).remove) for s in signups
    ]

    # Removed before the link was read: the link no longer works (404).
    assert {confirm for confirm, _remove in answers} <= {302, 404}
    assert {remove for _confirm, remove in answers} == {None}
    assert not SignUp.objects.filter(event=event).exists()
    assert Event.objects.get(pk=event.pk).places_taken == 0


def test_two_removals_of_one_sign_up_at_once_both_end_quietly():
    event = EventFactory(places=ROUNDS)
    signups = SignUpFactory.create_batch(ROUNDS, event=event, confirmed=True)

    answers = [
        at_once(SignUp.objects.get(pk=s.pk).remove, SignUp.objects.get(pk=s.pk).remove) for s in signups
    ]

    assert answers == [[None, None]] * ROUNDS
    assert Event.objects.get(pk=event.pk).places_taken == 0


def test_promotion_and_cancellation_at_once_leave_one_clear_answer_and_places_exact():
    organiser = ModeratorFactory()
    event = EventFactory(places=1)
    holder = SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)
    event.places = 2
    event.save(update_fields=["places"])

    promote, cancel = at_once(
        lambda: SignUp.objects.get(pk=waiting.pk).promote(by=organiser),
        SignUp.objects.get(pk=waiting.pk).cancel,
    )

    assert cancel is None
    assert promote is None or isinstance(promote, SignUpError)
    assert SignUp.objects.get(pk=waiting.pk).status == "cancelled"
    assert SignUp.objects.get(pk=holder.pk).status == "confirmed"
    assert Event.objects.get(pk=event.pk).places_taken == 1


def test_publication_and_withdrawal_of_one_story_at_once_end_withdrawn_with_a_true_log():
    moderator = ModeratorFactory()
    stories = StoryFactory.create_batch(ROUNDS)

    answers = [
        at_once(
            lambda pk=story.pk: Story.objects.get(pk=pk).publish(by=moderator),
            Story.objects.get(pk=story.pk).withdraw,
        )
        for story in stories
    ]

    for publish, withdraw in answers:
        assert withdraw is None
        # Story.publish answers True once it published (False is a minor's
        # first approval, not made here), or is refused.
        assert publish is True or isinstance(publish, IllegalTransition)
    assert set(Story.objects.values_list("status", flat=True)) == {"withdrawn"}
    for story in stories:
        log = ModerationLogEntry.objects.filter(story=story).order_by("pk")
        assert list(log.values_list("to_status", flat=True)) in (["withdrawn"], ["published", "withdrawn"])
