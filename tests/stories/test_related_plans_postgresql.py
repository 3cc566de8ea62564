"""A story page's related stories are chosen among the taggings on
PostgreSQL: only the stories shown are read. Grouping the stories of every
shared tag read them all: 45 ms on every story page of a topic of 5,000."""

import json

import pytest
from django.db import connection
from taggit.models import Tag

from stories.models import Story, TaggedStory
from tests.stories.factories import StoryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def stories_read(plan):
    """The rows of stories_story every node of an EXPLAIN ANALYZE plan read."""
    own = plan["Actual Rows"] * plan["Actual Loops"] if plan.get("Relation Name") == "stories_story" else 0
    return own + sum(stories_read(child) for child in plan.get("Plans", []))


def test_related_stories_read_only_the_stories_they_show():
    stories = Story.objects.bulk_create(
        StoryFactory.build(published=True, slug=f"story-{number}") for number in range(3000)
    )
    family = Tag.objects.create(name="family", slug="family")
    TaggedStory.objects.bulk_create(TaggedStory(content_object=story, tag=family) for story in stories)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stories_story")
        cursor.execute("ANALYZE stories_taggedstory")
    story = Story.objects.prefetch_related("tags").get(pk=stories[0].pk)
    sql, params = Story.objects.related_to(story).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan

    assert stories_read(plan[0]["Plan"]) == 3
