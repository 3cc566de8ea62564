"""StoryTranslation: its state changes, their checks and log, the database
constraints, what is public, and what happens to translations when their
story is withdrawn, unpublished or corrected."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stories.models import TRANSLATORS_GROUP, ModerationLogEntry, StoryTranslation
from tests.stories.factories import (
    StoryFactory,
    StoryTranslationFactory,
    TranslatorFactory,
)

pytestmark = pytest.mark.django_db

Action = ModerationLogEntry.Action
Status = StoryTranslation.Status


def new_translation(story, language="fr", **fields):
    return StoryTranslation(
        story=story, language=language, title="Le titre", body="Le texte traduit.", **fields
    )


# --- Submitting ------------------------------------------------------------------


def test_submit_saves_a_pending_translation_by_the_translator():
    translator = TranslatorFactory()
    translation = new_translation(StoryFactory(published=True))

    translation.submit(by=translator)

    translation.refresh_from_db()
    assert (translation.status, translation.translated_by, translation.published_at) == (
        Status.PENDING,
        translator,
        None,
    )


def test_submit_is_logged_on_the_story_with_the_language():
    translator = TranslatorFactory()
    story = StoryFactory(published=True)
    translation = new_translation(story, "es")

    translation.submit(by=translator)

    entry = story.log_entries.get()
    assert (entry.action, entry.translation, entry.translation_language, entry.actor, entry.to_status) == (
        Action.SUBMIT_TRANSLATION,
        translation,
        "es",
        translator,
        "pending",
    )


@pytest.mark.parametrize("trait", ["pending", "unpublished", "declined"])
def test_submit_for_a_story_that_is_not_published_is_refused(trait):
    story = StoryFactory(**({trait: True} if trait != "pending" else {}))

    with pytest.raises(ValidationError, match="Only a published story can be translated"):
        new_translation(story).submit(by=TranslatorFactory())

    assert not StoryTranslation.objects.exists()


def test_submit_into_the_story_own_language_is_refused():
    story = StoryFactory(published=True, language="fr")

    with pytest.raises(ValidationError, match="already written in this language"):
        new_translation(story, "fr").submit(by=TranslatorFactory())


def test_submit_into_a_language_the_site_is_not_in_is_refused():
    with pytest.raises(ValidationError) as error:
        new_translation(StoryFactory(published=True), "de").submit(by=TranslatorFactory())

    assert "language" in error.value.message_dict


def test_submit_of_a_second_translation_into_the_same_language_is_refused():
    existing = StoryTranslationFactory(language="fr")

    with pytest.raises(ValidationError, match="already has a translation into this language"):
        new_translation(existing.story, "fr").submit(by=TranslatorFactory())


# --- Publishing ------------------------------------------------------------------


def test_publish_by_a_moderator_publishes_and_records_the_reviewer(moderator):
    translation = StoryTranslationFactory()

    translation.publish(by=moderator)

    translation.refresh_from_db()
    assert (translation.status, translation.reviewed_by) == (Status.PUBLISHED, moderator)
    assert translation.published_at is not None


def test_publish_is_logged(moderator):
    translation = StoryTranslationFactory()

    translation.publish(by=moderator)

    entry = translation.log_entries.get()
    assert (entry.action, entry.actor, entry.from_status, entry.to_status, entry.story_id) == (
        Action.PUBLISH_TRANSLATION,
        moderator,
        "pending",
        "published",
        translation.story_id,
    )


def test_publish_of_their_own_translation_by_a_moderator_is_refused(moderator):
    translation = StoryTranslationFactory(translated_by=moderator)

    with pytest.raises(ValidationError, match="someone other than its translator"):
        translation.publish(by=moderator)

    translation.refresh_from_db()
    assert translation.status == Status.PENDING


def test_publish_by_a_translator_without_the_permission_is_refused():
    translation = StoryTranslationFactory()

    with pytest.raises(ValidationError, match="not allowed to publish translations"):
        translation.publish(by=TranslatorFactory())

    translation.refresh_from_db()
    assert translation.status == Status.PENDING


def test_publish_when_the_story_was_unpublished_since_is_refused(moderator):
    translation = StoryTranslationFactory()
    translation.story.unpublish(by=moderator)

    with pytest.raises(ValidationError, match="Publish the story before its translation"):
        translation.publish(by=moderator)


def test_publish_of_a_published_translation_is_refused(moderator):
    translation = StoryTranslationFactory(published=True)

    with pytest.raises(ValidationError, match="cannot be changed this way") as error:
        translation.publish(by=moderator)

    assert error.value.code == "illegal_transition"


def test_publish_again_keeps_the_first_publication_date(moderator):
    first = timezone.now() - timedelta(days=30)
    translation = StoryTranslationFactory(published=True, published_at=first)
    translation.return_for_changes(by=moderator, note="Un contresens au deuxième paragraphe.")
    translation.edit(by=translation.translated_by, body="Le texte corrigé.")

    translation.publish(by=moderator)

    translation.refresh_from_db()
    assert translation.published_at == first


# --- Returning, editing ------------------------------------------------------------


def test_return_for_changes_without_a_note_is_refused(moderator):
    translation = StoryTranslationFactory()

    with pytest.raises(ValidationError, match="Say what should change"):
        translation.return_for_changes(by=moderator, note=" ")


def test_return_for_changes_takes_a_published_translation_off_and_logs_the_note(moderator):
    translation = StoryTranslationFactory(published=True)

    translation.return_for_changes(by=moderator, note="Le titre est trop libre.")

    translation.refresh_from_db()
    assert translation.status == Status.CHANGES_REQUESTED
    assert not StoryTranslation.objects.published().exists()
    entry = translation.log_entries.get()
    assert (entry.action, entry.note, entry.from_status) == (
        Action.RETURN_TRANSLATION,
        "Le titre est trop libre.",
        "published",
    )


def test_return_for_changes_by_a_translator_is_refused():
    translation = StoryTranslationFactory()

    with pytest.raises(ValidationError, match="not allowed to review"):
        translation.return_for_changes(by=TranslatorFactory(), note="Non.")


def test_edit_of_a_returned_translation_sends_it_back_to_review(moderator):
    translation = StoryTranslationFactory()
    translation.return_for_changes(by=moderator, note="Un contresens.")

    translation.edit(by=translation.translated_by, body="Le texte corrigé.")

    translation.refresh_from_db()
    assert (translation.status, translation.body) == (Status.PENDING, "Le texte corrigé.")
    entry = translation.log_entries.first()
    assert (entry.action, entry.from_status, entry.to_status) == (
        Action.EDIT_TRANSLATION,
        "changes_requested",
        "pending",
    )


def test_edit_of_another_field_is_refused():
    translation = StoryTranslationFactory()

    with pytest.raises(ValueError, match="language"):
        translation.edit(by=translation.translated_by, language="es")


# --- Database constraints ------------------------------------------------------------


def test_database_refuses_a_published_translation_without_date():
    translation = StoryTranslationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StoryTranslation.objects.filter(pk=translation.pk).update(status=Status.PUBLISHED)


def test_database_refuses_a_reviewer_who_is_the_translator():
    translation = StoryTranslationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StoryTranslation.objects.filter(pk=translation.pk).update(reviewed_by=translation.translated_by)


def test_database_refuses_two_translations_into_the_same_language():
    existing = StoryTranslationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StoryTranslation.objects.create(
            story=existing.story, language="fr", title="Encore", body="Encore.", translated_by=None
        )


def test_database_refuses_an_unknown_status():
    translation = StoryTranslationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StoryTranslation.objects.filter(pk=translation.pk).update(status="declined")


# --- What is public --------------------------------------------------------------------


def test_published_includes_a_published_translation_of_a_published_story():
    translation = StoryTranslationFactory(published=True)

    assert list(StoryTranslation.objects.published()) == [translation]


def test_published_excludes_a_pending_translation():
    StoryTranslationFactory()

    assert not StoryTranslation.objects.published().exists()


def test_published_excludes_the_translation_of_an_unpublished_story(moderator):
    translation = StoryTranslationFactory(published=True)

    translation.story.unpublish(by=moderator)

    assert not StoryTranslation.objects.published().exists()
    translation.refresh_from_db()
    assert translation.status == Status.PUBLISHED  # back with the story if it is published again


def test_published_includes_the_translation_again_when_its_story_is_republished(moderator):
    translation = StoryTranslationFactory(published=True)
    translation.story.unpublish(by=moderator)

    translation.story.publish(by=moderator)

    assert list(StoryTranslation.objects.published()) == [translation]


# --- The story's own changes -------------------------------------------------------------


def test_storyteller_withdrawal_deletes_the_translations():
    translation = StoryTranslationFactory(published=True)
    StoryTranslationFactory(story=translation.story, language="es")

    translation.story.withdraw()

    assert not StoryTranslation.objects.exists()


def test_storyteller_withdrawal_keeps_the_translations_log_without_notes(moderator):
    translation = StoryTranslationFactory()
    translation.return_for_changes(by=moderator, note="Le prénom de la voisine apparaît.")
    story = translation.story

    story.withdraw()

    entry = story.log_entries.get(action=Action.RETURN_TRANSLATION)
    assert (entry.translation, entry.translation_language, entry.note) == (None, "fr", "")


def test_redacting_the_story_text_sends_published_translations_back_to_review(moderator):
    translation = StoryTranslationFactory(published=True)

    translation.story.redact(by=moderator, body="We arrived in winter.\n\nA neighbour brought soup.")

    translation.refresh_from_db()
    assert translation.status == Status.PENDING
    assert not StoryTranslation.objects.published().exists()


def test_redacting_the_story_text_logs_the_translation_back_to_review(moderator):
    translation = StoryTranslationFactory(published=True)

    translation.story.redact(by=moderator, title="A new home")

    entry = translation.log_entries.get()
    assert (entry.action, entry.actor, entry.from_status, entry.to_status) == (
        Action.REVIEW_TRANSLATION,
        moderator,
        "published",
        "pending",
    )


def test_redacting_another_field_keeps_the_translations_published(moderator):
    translation = StoryTranslationFactory(published=True)

    translation.story.redact(by=moderator, city_or_region="")

    translation.refresh_from_db()
    assert translation.status == Status.PUBLISHED


def test_redacting_leaves_pending_translations_pending_without_log(moderator):
    translation = StoryTranslationFactory()

    translation.story.redact(by=moderator, body="We arrived in winter.\n\nA neighbour brought soup.")

    translation.refresh_from_db()
    assert translation.status == Status.PENDING
    assert not translation.log_entries.exists()


# --- The Translators group -----------------------------------------------------------------


def test_translators_group_has_exactly_the_translation_permissions():
    group = Group.objects.get(name=TRANSLATORS_GROUP)

    permissions = sorted(group.permissions.values_list("content_type__app_label", "codename"))

    assert permissions == [
        ("stories", "add_storytranslation"),
        ("stories", "change_storytranslation"),
        ("stories", "view_storytranslation"),
    ]


def test_story_translation_str_names_the_language():
    translation = StoryTranslationFactory(title="La clé", story=StoryFactory(published=True, language="ar"))

    assert str(translation) == "La clé (French)"
