"""A page of older stories is sought along the index on PostgreSQL: the
database starts reading at the cursor, not at the newest story, so page
2,000 costs what page 2 costs (its cursor was once a filter on every story
newer than it: 43 ms at the 60,000th of 100,000 stories, against 0.8 ms)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.models import Story
from tests.stories.factories import StoryFactory
from tests.stories.pages import page_link

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def index_conditions(sql):
    """The index conditions of PostgreSQL's plan for ``sql``, were the table
    large (no sequential scan unless nothing else can answer)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = [row[0].strip() for row in cursor.fetchall()]
    return [line for line in plan if line.startswith("Index Cond:")]


def test_older_stories_are_read_from_the_cursor_on_along_the_index(client):
    Story.objects.bulk_create(
        StoryFactory.build(published=True, slug=f"story-{number}") for number in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stories_story")
    url = reverse("stories:story_list")
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url + page_link(first, "next"))

    (listing,) = [query["sql"] for query in queries.captured_queries if "in_reader_language" in query["sql"]]
    assert any("published_at <=" in condition for condition in index_conditions(listing))
