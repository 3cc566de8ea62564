"""Full-text search on PostgreSQL: ranked, answered by the stored columns'
indexes (stories/search.py, migration 0007)."""

import pytest
from django.db import connection
from django.urls import reverse

from stories.models import Story
from tests.stories.factories import StoryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


def stored_vector(story):
    return Story.objects.values_list("search_vector", flat=True).get(pk=story.pk)


def plan_of(queryset):
    """The plan PostgreSQL would use were the table large (no sequential scan)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_a_title_match_ranks_above_a_newer_text_match():
    StoryFactory(published=True, title="Football", body="A bakery.", published_at="2026-03-01T10:00Z")
    StoryFactory(published=True, title="The bakery", body="Bread.", published_at="2026-01-01T10:00Z")

    titles = list(Story.objects.published().search("bakeries").values_list("title", flat=True))

    assert titles == ["The bakery", "Football"]


def test_a_story_is_stored_as_weighted_stems_and_ranked():
    story = StoryFactory(published=True, title="The bakery", body="Bread.")

    ranked = Story.objects.search("bakery").get(pk=story.pk)

    assert ranked.search_rank > 0
    assert stored_vector(story) == "'bakeri':2A 'bread':3B"


def test_the_vector_is_built_with_the_configuration_of_the_storys_language():
    story = StoryFactory(published=True, language="fr", title="Boulangeries", body="Du pain.")

    assert stored_vector(story) == "'boulanger':1A 'pain':3B"


def test_a_word_search_is_answered_by_the_gin_index():
    StoryFactory(published=True, title="The bakery")

    assert "story_search_vector_idx" in plan_of(Story.objects.search("bakery"))


def test_33_hyphens_answer_a_page(client):
    StoryFactory(published=True, title="The bakery")

    assert client.get(reverse("stories:story_list"), {"q": "-" * 33}).status_code == 200
