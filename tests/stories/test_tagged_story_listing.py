"""A tagging's copies of its story's list columns (TaggedStory.published_at
while published, TaggedStory.language) follow the story on every path that
writes either table: the models, QuerySet.update, bulk_create, a tagging
written by hand. The database keeps them (migration 0018's triggers)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from stories.models import Story, TaggedStory
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db

PUBLISHED_AT = timezone.now().replace(microsecond=123456) - timedelta(days=3)


def copies(story):
    """(published_at, language) of each of ``story``'s taggings, read back from the database."""
    return list(TaggedStory.objects.filter(content_object=story).values_list("published_at", "language"))


def test_tagging_a_published_story_copies_its_publication_time_and_language():
    story = StoryFactory(published=True, published_at=PUBLISHED_AT, language="fr")

    story.tags.add("famille")

    assert copies(story) == [(PUBLISHED_AT, "fr")]


def test_tagging_a_pending_story_copies_no_publication_time():
    story = StoryFactory(language="ar")

    story.tags.add("عائلة")

    assert copies(story) == [(None, "ar")]


def test_publishing_a_tagged_story_gives_its_taggings_its_publication_time():
    story = StoryFactory(tags=["family", "work"])

    story.publish(by=ModeratorFactory())

    story.refresh_from_db()
    assert copies(story) == [(story.published_at, "en")] * 2


def test_unpublishing_a_tagged_story_clears_its_taggings_publication_time():
    story = StoryFactory(published=True, tags=["family"])

    story.unpublish(by=ModeratorFactory())

    assert copies(story) == [(None, "en")]


def test_a_status_changed_by_queryset_update_reaches_the_taggings():
    story = StoryFactory(published=True, tags=["family"])

    Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)

    assert copies(story) == [(None, "en")]


def test_a_language_changed_by_queryset_update_reaches_the_taggings():
    story = StoryFactory(published=True, published_at=PUBLISHED_AT, tags=["family"])

    Story.objects.filter(pk=story.pk).update(language="nl")

    assert copies(story) == [(PUBLISHED_AT, "nl")]


def test_taggings_made_by_bulk_create_copy_their_story():
    story = StoryFactory(published=True, published_at=PUBLISHED_AT, language="ru")
    tag = Tag.objects.create(name="семья", slug="семья")

    TaggedStory.objects.bulk_create([TaggedStory(content_object=story, tag=tag)])

    assert copies(story) == [(PUBLISHED_AT, "ru")]


def test_copies_written_by_hand_are_put_back_to_the_storys():
    story = StoryFactory(published=True, published_at=PUBLISHED_AT, tags=["family"])

    TaggedStory.objects.filter(content_object=story).update(published_at=None, language="zh-hans")

    assert copies(story) == [(PUBLISHED_AT, "en")]
