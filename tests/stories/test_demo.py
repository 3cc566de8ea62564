from collections import Counter
from pathlib import Path

import pytest

from stories.forms import BODY_MIN_LENGTH
from stories.models import MODERATORS_GROUP, TRANSLATORS_GROUP, Story, StoryTranslation

pytestmark = pytest.mark.django_db


def test_demo_stories_cover_the_cases_worth_seeing(demo_content):
    stories = Story.objects.all()

    assert stories.count() >= 20
    statuses = Counter(stories.values_list("status", flat=True))
    assert statuses["published"] >= 14
    assert statuses["pending"] >= 3
    assert (statuses["changes_requested"], statuses["declined"]) == (1, 1)
    assert Story.objects.featured().count() == 1
    assert {"en", "fr", "ar", "es"} <= set(stories.values_list("language", flat=True))
    assert {"refugee", "migrant", "host", "about_another"} <= set(
        stories.values_list("teller_role", flat=True)
    )
    assert stories.filter(naming="anonymous").count() >= 3


def test_demo_stories_respect_the_form_rules(demo_content):
    for story in Story.objects.all():
        assert len(story.body) >= BODY_MIN_LENGTH, story.slug
        assert story.tags.count() <= 5, story.slug
        assert not story.has_photo or (story.photo_alt_text and story.photo_people_consented), story.slug
        assert not story.is_minor or (story.guardian_consent and not story.has_photo), story.slug


def test_demo_photos_are_stored_renditions(demo_content, settings):
    with_photo = [story for story in Story.objects.all() if story.has_photo]

    assert len(with_photo) >= 5
    assert all(Path(settings.MEDIA_ROOT, r.name).is_file() for story in with_photo for r in story.renditions)


def test_demo_moderation_is_logged_with_decision_after_submission(demo_content):
    for story in Story.objects.published():
        entry = story.log_entries.get(action="publish")
        assert entry.actor.username == "moderator"
        assert story.submitted_at < story.decided_at == story.published_at == entry.created_at
    declined = Story.objects.get(status="declined")
    assert declined.decline_reason_code == "not_personal"


def test_demo_moderator_is_in_the_moderators_group(demo_content, django_user_model):
    moderator = django_user_model.objects.get(username="moderator")

    assert list(moderator.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]


def test_demo_arabic_story_has_a_published_french_translation(demo_content):
    arabic = Story.objects.published().get(language="ar")

    assert list(
        StoryTranslation.objects.published().filter(story=arabic).values_list("language", flat=True)
    ) == ["fr"]


def test_demo_translations_include_one_waiting_for_review(demo_content):
    statuses = Counter(StoryTranslation.objects.values_list("status", flat=True))

    assert (statuses["published"], statuses["pending"]) == (3, 1)


def test_demo_translations_are_reviewed_by_the_moderator_not_the_translator(demo_content):
    for translation in StoryTranslation.objects.published():
        assert (translation.translated_by.username, translation.reviewed_by.username) == (
            "translator",
            "moderator",
        )


def test_demo_translator_is_staff_in_the_translators_group_only(demo_content, django_user_model):
    translator = django_user_model.objects.get(username="translator")

    assert (translator.is_staff, translator.is_superuser) == (True, False)
    assert list(translator.groups.values_list("name", flat=True)) == [TRANSLATORS_GROUP]
    assert translator.check_password("together-translator")
