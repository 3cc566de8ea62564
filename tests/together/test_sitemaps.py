"""The sitemap is an index of sections in pages of 350 addresses (50 items
in 7 languages), and a page reads only its own rows, without counting the
section (together/multilingual.py): at 100,000 stories the one document
Django made by default outgrew gunicorn's timeout. The index reads every
section's size and latest change in one query."""

from collections import Counter

import pytest
from django.contrib.sitemaps import views as django_sitemaps
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime

from stories.models import Story
from tests.campaigns.factories import CampaignFactory, EventFactory, PressReleaseFactory
from tests.sitemaps import section_pages, sitemap_paths
from tests.stories.factories import StoryFactory
from together.multilingual import EachLanguage
from together.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es", "nl"]


def test_the_index_lists_each_section_and_every_page_of_a_long_one(client):
    StoryFactory.create_batch(101, published=True)

    pages = section_pages(client)

    assert [page for page in pages if page.startswith("/sitemap-stories.xml")] == [
        "/sitemap-stories.xml",
        "/sitemap-stories.xml?p=2",
        "/sitemap-stories.xml?p=3",
    ]
    assert "/sitemap-pages.xml" in pages
    assert "/sitemap-events.xml" in pages


def test_a_page_of_the_stories_section_lists_50_stories_in_7_languages(client):
    StoryFactory.create_batch(101, published=True)

    first = client.get("/sitemap-stories.xml").text
    third = client.get("/sitemap-stories.xml?p=3").text

    assert first.count("<url>") == 350
    assert third.count("<url>") == 7


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", str(10**30)])
def test_a_page_the_index_does_not_list_answers_404(client, page):
    StoryFactory.create_batch(101, published=True)

    assert client.get(f"/sitemap-stories.xml?p={page}").status_code == 404


def test_every_published_story_is_listed_once_in_each_language_across_pages(client):
    stories = StoryFactory.create_batch(103, published=True)

    listed = Counter(path for path in sitemap_paths(client) if "/stories/" in path)

    for story in stories:
        for code in LANGUAGES:
            assert listed[f"/{code}/stories/{story.slug}/"] == 1


def test_a_sitemap_page_reads_its_own_rows_in_one_query_with_300_stories_as_with_120(client):
    StoryFactory.create_batch(120, published=True)
    with CaptureQueriesContext(connection) as smaller:
        client.get("/sitemap-stories.xml?p=2")
    StoryFactory.create_batch(180, published=True)

    with CaptureQueriesContext(connection) as larger:
        client.get("/sitemap-stories.xml?p=2")

    assert len(larger) == len(smaller) == 1
    assert "LIMIT 50 OFFSET 50" in larger[0]["sql"]
    assert "COUNT(" not in larger[0]["sql"]
    assert '"body"' not in larger[0]["sql"]
    assert "search_vector" not in larger[0]["sql"]


@pytest.mark.parametrize(("start", "stop"), [(0, 7), (3, 10), (5, 19), (13, 14), (0, 21), (20, 21)])
def test_each_language_slices_like_the_list_django_builds(start, stop):
    items = ["a", "b", "c"]
    whole = [(item, code) for item in items for code in LANGUAGES]

    assert EachLanguage(items, LANGUAGES)[start:stop] == whole[start:stop]


def test_each_language_counts_items_times_languages():
    StoryFactory.create_batch(3, published=True)

    assert EachLanguage(Story.objects.published().order_by("pk"), LANGUAGES).count() == 21


def test_the_index_is_the_one_django_makes_with_its_lastmod_and_header(client):
    StoryFactory.create_batch(101, published=True, tags=["family"])
    StoryFactory(published=False)
    CampaignFactory()
    EventFactory.create_batch(2)
    PressReleaseFactory()
    django_index = django_sitemaps.index(RequestFactory().get("/sitemap.xml"), SITEMAPS)
    django_index.render()

    ours = client.get("/sitemap.xml")

    assert ours.content == django_index.content
    assert ours.get("Last-Modified") == django_index.get("Last-Modified")
    assert ours["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_the_index_says_when_each_section_last_changed(client):
    story = StoryFactory(published=True)
    event = EventFactory()

    text = client.get("/sitemap.xml").text

    stories = "<loc>http://testserver/sitemap-stories.xml</loc>"
    events = "<loc>http://testserver/sitemap-events.xml</loc>"
    assert f"{stories}<lastmod>{localtime(story.updated_at).isoformat()}</lastmod>" in text
    assert f"{events}<lastmod>{localtime(event.updated_at).isoformat()}</lastmod>" in text


def test_the_index_reads_the_database_once_whatever_the_sections_hold(client):
    StoryFactory.create_batch(3, published=True)
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    StoryFactory.create_batch(150, published=True)
    EventFactory.create_batch(3)

    with CaptureQueriesContext(connection) as many:
        client.get("/sitemap.xml")

    assert len(few) == len(many) == 1


def test_the_index_lists_an_empty_section_once(client):
    text = client.get("/sitemap.xml").text

    assert text.count("<loc>http://testserver/sitemap-stories.xml") == 1
    assert text.count("<loc>http://testserver/sitemap-events.xml") == 1
