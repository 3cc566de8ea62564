"""A tagging made while its story changes status in another transaction
still ends with the story's final values (TaggedStory's triggers, PostgreSQL
only: SQLite serialises writers). The tagging's trigger reads the story FOR
SHARE, so it waits for the change to commit and reads its outcome; without
the lock it copied the status from before the change, and kept it."""

import threading
import time

import psycopg
import pytest
from django.db import connection
from taggit.models import Tag

from stories.models import TaggedStory
from tests.stories.factories import StoryFactory
from tests.together.racing import needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def own_connection():
    """A connection of its own to the test database, outside Django's."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )


def test_a_story_tagged_while_it_is_withdrawn_elsewhere_keeps_no_publication_time():
    story = StoryFactory(published=True)
    tag = Tag.objects.create(name="family", slug="family")
    withdrawing, tagging = own_connection(), own_connection()
    try:
        withdrawing.execute("UPDATE stories_story SET status = 'withdrawn' WHERE id = %s", [story.pk])

        def tag_it():
            tagging.execute(
                "INSERT INTO stories_taggedstory (content_object_id, tag_id) VALUES (%s, %s)",
                [story.pk, tag.pk],
            )
            tagging.commit()

        thread = threading.Thread(target=tag_it)
        thread.start()
        time.sleep(0.5)  # the insert reaches the story's row lock and waits
        withdrawing.commit()
        thread.join(timeout=10)
    finally:
        withdrawing.close()
        tagging.close()

    assert list(TaggedStory.objects.filter(content_object=story).values_list("published_at", "language")) == [
        (None, "en")
    ]
