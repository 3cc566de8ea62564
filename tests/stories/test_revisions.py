"""Changes a storyteller proposes to their published story (StoryRevision),
and the changes that make a story less identifying at once (issue 14)."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from stories.models import (
    REVISION_TRANSITIONS,
    STORYTELLER,
    IllegalRevisionChange,
    IllegalTransition,
    ModerationLogEntry,
    Story,
    StoryRevision,
)
from tests.stories.factories import ModeratorFactory, StoryFactory, StoryTranslationFactory
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


def propose(story, tags=None, **changes):
    return StoryRevision.propose(story, by=STORYTELLER, changes=changes, tags=tags)


# --- Proposing -----------------------------------------------------------------------------


def test_a_proposal_leaves_the_published_story_unchanged():
    story = StoryFactory(published=True, title="Bread", body="Old text.", tags=["bakery"])

    revision = propose(story, tags=["work"], title="Bread and salt", body="New text.")

    stored = Story.objects.get(pk=story.pk)
    assert (stored.title, stored.body, list(stored.tags.names())) == ("Bread", "Old text.", ["bakery"])
    assert not Story.objects.published().search("salt").exists()
    assert (revision.status, revision.changes, revision.tags) == (
        "pending",
        {"title": "Bread and salt", "body": "New text."},
        ["work"],
    )


def test_a_proposal_is_logged_with_the_names_of_the_fields_not_their_contents():
    story = StoryFactory(published=True)

    propose(story, title="A secret new title")

    entry = ModerationLogEntry.objects.get(story=story)
    assert (entry.action, entry.by_storyteller, entry.actor, entry.from_status, entry.to_status) == (
        "propose_revision",
        True,
        None,
        "published",
        "published",
    )
    assert entry.note == "Changed: title."


@pytest.mark.parametrize(
    "traits", [{}, {"changes_requested": True}, {"declined": True}, {"unpublished": True}]
)
def test_only_a_published_story_takes_a_proposal(traits):
    story = StoryFactory(**traits)

    with pytest.raises(IllegalTransition):
        propose(story, title="Changed")

    assert not StoryRevision.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused():
    with pytest.raises(ValidationError) as refusal:
        propose(StoryFactory(published=True))

    assert refusal.value.code == "no_change"


def test_a_proposal_of_a_field_the_storyteller_cannot_edit_is_a_programming_error():
    with pytest.raises(ValueError, match="email"):
        propose(StoryFactory(published=True), email="someone@example.org")


def test_a_newer_proposal_supersedes_the_pending_one():
    story = StoryFactory(published=True)
    first = propose(story, title="First idea")

    second = propose(story, title="Second idea")

    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "pending")
    assert first.decided_at is None


def test_the_database_refuses_two_pending_proposals_for_one_story():
    story = StoryFactory(published=True)
    StoryRevision.objects.create(story=story, changes={"title": "One"})

    with pytest.raises(IntegrityError), transaction.atomic():
        StoryRevision.objects.create(story=story, changes={"title": "Two"})


def test_the_one_pending_proposal_rule_reads_as_a_sentence():
    story = StoryFactory(published=True)
    StoryRevision.objects.create(story=story, changes={"title": "One"})

    with pytest.raises(ValidationError) as refusal:
        StoryRevision(story=story, changes={"title": "Two"}).validate_constraints()

    assert refusal.value.messages == ["This story already has a proposed change waiting for review."]


def test_the_transitions_table_names_every_decision():
    assert {name for name, transition in REVISION_TRANSITIONS.items() if transition.button} == {
        "approve",
        "reject",
    }
    assert all(transition.sources == {"pending"} for transition in REVISION_TRANSITIONS.values())


# --- Approving --------------------------------------------------------------------------


def test_approving_applies_the_change_to_the_public_story():
    story = StoryFactory(published=True, title="Bread", body="We baked bread.", tags=["bakery"])
    revision = propose(story, tags=["salt", "work"], title="Bread and salt", body="We baked bread with salt.")

    revision.approve(by=ModeratorFactory())

    public = Story.objects.published().get(pk=story.pk)
    assert (public.title, public.body) == ("Bread and salt", "We baked bread with salt.")
    assert sorted(public.tags.names()) == ["salt", "work"]
    assert revision.status == "approved"


def test_approving_keeps_the_search_column_in_step():
    story = StoryFactory(published=True, title="Bread", body="We baked bread every morning.")
    revision = propose(story, body="We grew tomatoes in the garden every summer.")

    revision.approve(by=ModeratorFactory())

    found = Story.objects.published().search("tomatoes")
    assert list(found) == [story]
    assert not Story.objects.published().search("baked").exists()


def test_approving_records_who_decided_when_and_logs_it():
    story = StoryFactory(published=True)
    revision = propose(story, title="New title")
    moderator = ModeratorFactory()

    revision.approve(by=moderator)

    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("approved", moderator)
    assert revision.decided_at is not None
    entry = ModerationLogEntry.objects.filter(story=story).first()
    assert (entry.action, entry.actor, entry.note) == ("approve_revision", moderator, "Changed: title.")


def test_approving_emails_the_storyteller_in_the_language_they_used():
    story = StoryFactory(published=True, site_language="fr", email="amina@example.org")
    revision = propose(story, title="Du pain et du sel")
    mail.outbox.clear()

    revision.approve(by=ModeratorFactory())

    (message,) = mail.outbox
    assert message.to == ["amina@example.org"]
    with translation.override("fr"):
        assert message.subject == translation.gettext("Your change is published")
    assert story.manage_url() in message.body


def test_approving_a_title_sends_a_published_translation_back_to_review():
    story_translation = StoryTranslationFactory(published=True)
    revision = propose(story_translation.story, title="A corrected title")

    revision.approve(by=ModeratorFactory())

    story_translation.refresh_from_db()
    assert story_translation.status == "pending"


def test_approving_a_change_that_would_break_a_rule_is_refused_and_changes_nothing():
    story = StoryFactory(published=True, with_photo=True)
    # A proposal made before the rules were checked by a form (say, by a script).
    revision = StoryRevision.objects.create(story=story, changes={"is_minor": True, "guardian_consent": True})

    with pytest.raises(ValidationError):
        revision.approve(by=ModeratorFactory())

    stored = Story.objects.get(pk=story.pk)
    assert stored.is_minor is False
    assert StoryRevision.objects.get().status == "pending"


def test_a_superseded_proposal_cannot_be_approved():
    story = StoryFactory(published=True)
    old = propose(story, title="Old idea")
    propose(story, title="New idea")

    with pytest.raises(IllegalRevisionChange):
        old.approve(by=ModeratorFactory())

    assert Story.objects.get(pk=story.pk).title != "Old idea"


def test_a_decided_proposal_cannot_be_decided_again():
    story = StoryFactory(published=True)
    revision = propose(story, title="New idea")
    revision.approve(by=ModeratorFactory())

    with pytest.raises(IllegalRevisionChange):
        StoryRevision.objects.get(pk=revision.pk).reject(by=ModeratorFactory(), note="No.")


# --- Rejecting --------------------------------------------------------------------------


def test_rejecting_keeps_the_story_and_tells_the_storyteller_why():
    story = StoryFactory(published=True, title="Bread", email="amina@example.org")
    revision = propose(story, title="Bread at 12 Baker Street")
    mail.outbox.clear()
    moderator = ModeratorFactory()

    revision.reject(by=moderator, note="A street address could identify you.")

    assert Story.objects.get(pk=story.pk).title == "Bread"
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by, revision.note) == (
        "rejected",
        moderator,
        "A street address could identify you.",
    )
    (message,) = mail.outbox
    assert message.subject == "Your proposed change was not made"
    assert "A street address could identify you." in message.body
    entry = ModerationLogEntry.objects.filter(story=story).first()
    assert (entry.action, entry.note) == ("reject_revision", "A street address could identify you.")


def test_rejecting_needs_a_note():
    revision = propose(StoryFactory(published=True), title="New")

    with pytest.raises(ValidationError) as refusal:
        revision.reject(by=ModeratorFactory(), note="  ")

    assert refusal.value.code == "note_required"
    assert StoryRevision.objects.get().status == "pending"


# --- Withdrawal erases proposals ---------------------------------------------------------


def test_withdrawing_the_story_erases_its_proposals():
    story = StoryFactory(published=True)
    propose(story, title="My new title", body="Everything I wrote again.")

    story.withdraw()

    assert not StoryRevision.objects.exists()


# --- Less identifying, at once ----------------------------------------------------------


@pytest.mark.parametrize("traits", [{"published": True}, {}, {"changes_requested": True}])
def test_removing_the_photo_erases_it_at_once(traits, settings, django_capture_on_commit_callbacks):
    story = StoryFactory(with_photo=True, **traits)
    files = [Path(settings.MEDIA_ROOT, rendition.name) for rendition in story.renditions]

    with django_capture_on_commit_callbacks(execute=True):
        story.make_less_identifying(by=STORYTELLER, what="photo")

    stored = Story.objects.get(pk=story.pk)
    assert (stored.photo_renditions, stored.photo_alt_text, stored.photo_people_consented) == ([], "", False)
    assert stored.status == story.status
    assert not any(path.exists() for path in files)


def test_hiding_the_city_erases_it_and_keeps_the_countries():
    story = StoryFactory(published=True, city_or_region="Ghent", country_of_residence="BE")

    story.make_less_identifying(by=STORYTELLER, what="city")

    stored = Story.objects.get(pk=story.pk)
    assert (stored.city_or_region, stored.country_of_residence.code) == ("", "BE")


def test_publishing_anonymously_makes_the_public_name_anonymous():
    story = StoryFactory(published=True, naming="full_name", name="Amina Haddad")

    story.make_less_identifying(by=STORYTELLER, what="name")

    stored = Story.objects.get(pk=story.pk)
    assert (stored.naming, stored.display_name) == ("anonymous", "Anonymous")


def test_a_less_identifying_change_is_logged_as_the_storytellers():
    story = StoryFactory(published=True, city_or_region="Ghent")

    story.make_less_identifying(by=STORYTELLER, what="city")

    entry = ModerationLogEntry.objects.get(story=story)
    assert (entry.action, entry.by_storyteller, entry.note) == (
        "less_identifying",
        True,
        "Changed: city or region.",
    )
    assert (entry.from_status, entry.to_status) == ("published", "published")


def test_a_less_identifying_change_with_nothing_to_remove_changes_and_logs_nothing():
    story = StoryFactory(published=True, city_or_region="")

    assert story.make_less_identifying(by=STORYTELLER, what="city") == []

    assert not ModerationLogEntry.objects.exists()


def test_a_withdrawn_story_cannot_be_changed_any_more():
    story = StoryFactory(published=True)
    story.withdraw()

    with pytest.raises(IllegalTransition):
        story.make_less_identifying(by=STORYTELLER, what="name")


def test_hiding_the_city_also_takes_it_out_of_a_pending_proposal():
    story = StoryFactory(published=True, city_or_region="Ghent")
    revision = propose(story, title="New title", city_or_region="Ghent, near the station")

    story.make_less_identifying(by=STORYTELLER, what="city")
    StoryRevision.objects.get(pk=revision.pk).approve(by=ModeratorFactory())

    stored = Story.objects.get(pk=story.pk)
    assert (stored.title, stored.city_or_region) == ("New title", "")


def test_publishing_anonymously_also_takes_the_name_out_of_a_pending_proposal():
    story = StoryFactory(published=True, naming="first_name", name="Amina")
    revision = propose(story, naming="full_name", name="Amina Haddad", title="New title")

    story.make_less_identifying(by=STORYTELLER, what="name")

    revision.refresh_from_db()
    assert revision.changes == {"title": "New title"}


def test_no_email_is_sent_for_a_less_identifying_change():
    story = StoryFactory(published=True, with_photo=True)
    before = OutboundEmail.objects.count()

    story.make_less_identifying(by=STORYTELLER, what="photo")

    assert OutboundEmail.objects.count() == before
