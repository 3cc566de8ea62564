"""A topic page reads its stories from the tag's own index on PostgreSQL,
whatever languages the topic's stories are in: it never walks the index of
every published story. A topic with no story in (or none out of) the
reader's language once walked the whole of it looking for one: 140-270 ms
at 100,000 stories, on any page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from stories.models import Story, TaggedStory
from tests.stories.factories import StoryFactory
from tests.stories.pages import page_link

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def list_query_walks_every_story(queries):
    """Whether PostgreSQL would answer the page's list of stories (the
    query that orders them) by reading every published story, were the
    table large (no sequential scan unless nothing else can answer)."""
    (listing,) = [query["sql"] for query in queries if "in_reader_language" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {listing}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "story_status_published_id_idx" in plan or "Seq Scan on stories_story" in plan


def topic_among_stories(language):
    """Thousands of published stories in English and French, 30 of them in
    ``language`` on the topic "family", and fresh statistics: on a near-empty
    table every plan costs about the same and the planner's pick says
    nothing about a large one."""
    stories = Story.objects.bulk_create(
        StoryFactory.build(published=True, language=("en", "fr")[number % 2], slug=f"story-{number}")
        for number in range(4000)
    )
    family = Tag.objects.create(name="family", slug="family")
    TaggedStory.objects.bulk_create(
        TaggedStory(content_object=story, tag=family) for story in stories if story.language == language
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stories_story")
        cursor.execute("ANALYZE stories_taggedstory")
    return reverse("stories:story_tag", args=["family"])


@pytest.mark.parametrize("topic_language", ["en", "fr"])
def test_a_topic_page_reads_no_story_index_whole_whether_in_the_readers_language_or_not(
    client, topic_language
):
    url = topic_among_stories(topic_language)

    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert not list_query_walks_every_story(queries.captured_queries)


def test_a_topic_pages_older_stories_read_no_story_index_whole(client):
    url = topic_among_stories("fr")
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + page_link(first, "next"))

    assert response.status_code == 200
    assert not list_query_walks_every_story(queries.captured_queries)
