"""Taggings made before TaggedStory kept copies of their story's list
columns get them (stories 0018): a published story's publication time and
language, only the language for a story not published.

In a file of its own: migrating is transactional and empties the tables."""

import importlib
from datetime import UTC, datetime

import pytest

from tests.stories.migrating import migrate, migrate_to_latest, old_story

BEFORE = [("stories", "0017_story_email_normalised")]
AFTER = [("stories", "0018_tagged_story_listing")]
PUBLISHED_AT = datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=UTC)

migration = importlib.import_module("stories.migrations.0018_tagged_story_listing")


@pytest.mark.django_db(transaction=True)
def test_existing_taggings_get_their_storys_publication_time_and_language(monkeypatch):
    # Two batches' worth, to go through the batching.
    monkeypatch.setattr(migration, "BATCH", 2)
    try:
        apps = migrate(BEFORE)
        Story, Tag, TaggedStory = (
            apps.get_model(*name)
            for name in (("stories", "Story"), ("taggit", "Tag"), ("stories", "TaggedStory"))
        )
        published = old_story(Story, 1, language="fr", status="published", published_at=PUBLISHED_AT)
        pending = old_story(Story, 2, language="ar", status="pending")
        tags = [Tag.objects.create(name=name, slug=name) for name in ("famille", "travail")]
        for story in (published, pending):
            for tag in tags:
                TaggedStory.objects.create(content_object=story, tag=tag)

        TaggedStory = migrate(AFTER).get_model("stories", "TaggedStory")

        rows = TaggedStory.objects.order_by("pk").values_list("content_object_id", "published_at", "language")
        assert list(rows) == [
            (published.pk, PUBLISHED_AT, "fr"),
            (published.pk, PUBLISHED_AT, "fr"),
            (pending.pk, None, "ar"),
            (pending.pk, None, "ar"),
        ]
    finally:
        migrate_to_latest()
