"""The translations in the admin: volunteer translators add and correct
their own translations beside the original's public text and nothing more;
moderators see all of them and publish or return them through the model."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from stories.models import ModerationLogEntry, StoryTranslation
from tests.stories.factories import (
    StoryFactory,
    StoryTranslationFactory,
    TranslatorFactory,
)

pytestmark = pytest.mark.django_db

Status = StoryTranslation.Status
ADD = "admin:stories_storytranslation_add"
CHANGELIST = "admin:stories_storytranslation_changelist"


@pytest.fixture
def translator():
    return TranslatorFactory()


@pytest.fixture
def translator_client(client, translator):
    client.force_login(translator)
    return client


def change_url(translation):
    return reverse("admin:stories_storytranslation_change", args=[translation.pk])


def review_url(translation, action):
    return reverse("admin:stories_storytranslation_review", args=[translation.pk, action])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed(response):
    return list(response.context["cl"].result_list)


# --- Adding ------------------------------------------------------------------------


def test_story_chooser_offers_only_published_stories(translator_client):
    published = StoryFactory(published=True, title="Public")
    StoryFactory(title="Pending")
    StoryFactory(unpublished=True, title="Unpublished")

    response = translator_client.get(reverse(ADD))

    assert list(response.context["adminform"].form.fields["story"].queryset) == [published]


def test_add_page_shows_the_original_public_title_and_text(translator_client):
    story = StoryFactory(published=True, language="ar", title="مفتاح البيت", body="صار في جيبي مفتاحان.")

    html = translator_client.get(reverse(ADD), {"story": story.pk}).content.decode()

    assert '<h3 lang="ar" dir="auto">مفتاح البيت</h3>' in html
    assert (
        '<div class="translation-original__text" lang="ar" dir="auto"><p>صار في جيبي مفتاحان.</p></div>'
        in html
    )


def test_add_page_never_shows_the_storyteller_email_or_name(translator_client):
    story = StoryFactory(published=True, email="private.teller@example.org", name="Private Name")

    html = translator_client.get(reverse(ADD), {"story": story.pk}).content.decode()

    assert "private.teller@example.org" not in html
    assert "Private Name" not in html


def test_add_page_does_not_show_a_story_that_is_not_published(translator_client):
    story = StoryFactory(title="Pending secret", body="Not public yet, with private details.")

    html = translator_client.get(reverse(ADD), {"story": story.pk}).content.decode()

    assert "Not public yet" not in html


def test_adding_a_translation_submits_it_for_review(translator_client, translator):
    story = StoryFactory(published=True)

    response = translator_client.post(
        reverse(ADD), {"story": story.pk, "language": "fr", "title": "Le titre", "body": "Le texte."}
    )

    assert response.status_code == 302
    translation = StoryTranslation.objects.get()
    assert (translation.status, translation.translated_by, translation.title) == (
        Status.PENDING,
        translator,
        "Le titre",
    )
    assert translation.log_entries.get().action == ModerationLogEntry.Action.SUBMIT_TRANSLATION


def test_adding_a_translation_into_the_story_language_shows_an_error(translator_client):
    story = StoryFactory(published=True, language="fr")

    response = translator_client.post(
        reverse(ADD), {"story": story.pk, "language": "fr", "title": "Le titre", "body": "Le texte."}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["language"] == [
        "The story is already written in this language."
    ]
    assert not StoryTranslation.objects.exists()


# --- What a translator sees and changes ---------------------------------------------------


def test_translator_cannot_open_stories_where_the_email_is(translator_client):
    story = StoryFactory(published=True, email="private.teller@example.org")

    response = translator_client.get(reverse("admin:stories_story_change", args=[story.pk]))

    assert response.status_code == 403


def test_translation_page_never_shows_the_storyteller_email(translator_client, translator):
    translation = StoryTranslationFactory(
        translated_by=translator, story=StoryFactory(published=True, email="private.teller@example.org")
    )

    html = translator_client.get(change_url(translation)).content.decode()

    assert translation.story.body.split("\n")[0] in html
    assert "private.teller@example.org" not in html


def test_translator_lists_only_their_own_unpublished_translations(translator_client, translator):
    own = StoryTranslationFactory(translated_by=translator)
    StoryTranslationFactory(translated_by=translator, published=True, language="es")
    StoryTranslationFactory(language="nl")  # another translator's

    response = translator_client.get(reverse(CHANGELIST))

    assert listed(response) == [own]


def test_translator_cannot_open_another_translator_translation(translator_client):
    other = StoryTranslationFactory()

    response = translator_client.get(change_url(other))

    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert messages_of(response)[0].endswith("Perhaps it was deleted?")


def test_translator_edit_goes_through_the_model_and_is_logged(translator_client, translator):
    translation = StoryTranslationFactory(translated_by=translator)

    translator_client.post(change_url(translation), {"title": "Nouveau titre", "body": translation.body})

    translation.refresh_from_db()
    assert translation.title == "Nouveau titre"
    assert translation.log_entries.get().action == ModerationLogEntry.Action.EDIT_TRANSLATION


def test_returned_translation_shows_the_reviewer_note(translator_client, translator, moderator):
    translation = StoryTranslationFactory(translated_by=translator)
    translation.return_for_changes(by=moderator, note="Le deuxième paragraphe manque.")

    html = translator_client.get(change_url(translation)).content.decode()

    assert "Le deuxième paragraphe manque." in html


def test_translator_cannot_publish_through_the_review_page(translator_client, translator):
    translation = StoryTranslationFactory(translated_by=translator)

    response = translator_client.post(review_url(translation, "publish"))

    assert response.status_code == 403
    translation.refresh_from_db()
    assert translation.status == Status.PENDING


def test_translator_is_not_offered_the_bulk_publish_action(translator_client, translator):
    StoryTranslationFactory(translated_by=translator)

    response = translator_client.get(reverse(CHANGELIST))

    assert response.context["action_form"] is None  # publishing is the list's only action


def test_translator_cannot_delete_a_translation(translator_client, translator):
    translation = StoryTranslationFactory(translated_by=translator)

    translator_client.post(
        reverse("admin:stories_storytranslation_delete", args=[translation.pk]), {"post": "yes"}
    )

    assert StoryTranslation.objects.filter(pk=translation.pk).exists()


# --- Moderators ----------------------------------------------------------------------


def test_moderator_lists_every_translation(moderator_client):
    translations = {
        StoryTranslationFactory(),
        StoryTranslationFactory(published=True, language="es"),
    }

    response = moderator_client.get(reverse(CHANGELIST))

    assert set(listed(response)) == translations


@pytest.mark.parametrize(("params", "expected"), [({"status": "pending"}, "fr"), ({"language": "es"}, "es")])
def test_list_filters_by_status_and_language(moderator_client, params, expected):
    StoryTranslationFactory(language="fr")
    StoryTranslationFactory(published=True, language="es")

    response = moderator_client.get(reverse(CHANGELIST), params)

    assert [translation.language for translation in listed(response)] == [expected]


def test_moderator_publishes_through_the_review_page(moderator_client, moderator):
    translation = StoryTranslationFactory()

    response = moderator_client.post(review_url(translation, "publish"))

    assert response.status_code == 302
    translation.refresh_from_db()
    assert (translation.status, translation.reviewed_by) == (Status.PUBLISHED, moderator)


def test_moderator_cannot_publish_their_own_translation(moderator_client, moderator):
    translation = StoryTranslationFactory(translated_by=moderator)

    response = moderator_client.post(review_url(translation, "publish"))

    assert messages_of(response) == [
        "A translation must be reviewed and published by someone other than its translator."
    ]
    translation.refresh_from_db()
    assert translation.status == Status.PENDING


def test_moderator_returns_a_translation_with_a_note(moderator_client):
    translation = StoryTranslationFactory(published=True)

    moderator_client.post(review_url(translation, "return"), {"note": "Le titre est trop libre."})

    translation.refresh_from_db()
    assert translation.status == Status.CHANGES_REQUESTED
    assert translation.log_entries.get().note == "Le titre est trop libre."


def test_review_page_get_changes_nothing(moderator_client):
    translation = StoryTranslationFactory()

    response = moderator_client.get(review_url(translation, "publish"))

    assert response.status_code == 200
    translation.refresh_from_db()
    assert translation.status == Status.PENDING


def test_bulk_publish_publishes_each_and_reports_the_refused(moderator_client, moderator):
    other = StoryTranslationFactory()
    own = StoryTranslationFactory(translated_by=moderator, language="es")

    moderator_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [other.pk, own.pk]}
    )

    other.refresh_from_db()
    own.refresh_from_db()
    assert (other.status, own.status) == (Status.PUBLISHED, Status.PENDING)


def test_story_change_page_links_to_add_a_translation(moderator_client):
    story = StoryFactory(published=True)

    html = moderator_client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()

    assert f'href="{reverse(ADD)}?story={story.pk}">Add a translation</a>' in html


def test_story_change_page_has_no_translation_link_before_publication(moderator_client):
    story = StoryFactory()

    html = moderator_client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()

    assert "Add a translation" not in html
