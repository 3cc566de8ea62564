"""Pages of the story lists by cursor (stories.pagination): the same stories,
in the same order, as one long list cut every 12, at any depth."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from stories.pagination import Cursor
from stories.views import STORIES_PER_PAGE
from tests.stories.factories import StoryFactory, StoryTranslationFactory
from tests.stories.pages import list_titles, page_link

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=365)


def stories_published_in_order(count, **fields):
    """``count`` published stories, the first the newest, one hour apart."""
    language = fields.get("language", "en")
    return [
        StoryFactory(published=True, title=f"{language} {n:02}", published_at=START - hours, **fields)
        for n, hours in ((n, timedelta(hours=n)) for n in range(count))
    ]


def all_pages(client, url):
    """The titles of every page, following "Older stories" from ``url``."""
    pages = []
    path = url.split("?")[0]
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(list_titles(response))
        older = page_link(response, "next")
        url = path + older if older else None
    return pages


def test_following_older_stories_shows_every_story_once_newest_first(client):
    stories = stories_published_in_order(30)

    pages = all_pages(client, reverse("stories:story_list"))

    assert [len(page) for page in pages] == [12, 12, 6]
    assert [title for page in pages for title in page] == [story.title for story in stories]


def test_stories_in_the_readers_language_come_first_across_pages(client):
    french = stories_published_in_order(8, language="fr")
    english = stories_published_in_order(8, language="en")
    translated = english[5]
    StoryTranslationFactory(story=translated, language="fr", title="Traduit", published=True)

    with translation.override("fr"):
        pages = all_pages(client, reverse("stories:story_list"))

    titles = [title for page in pages for title in page]
    assert titles[:9] == [story.title for story in french[:5]] + ["Traduit"] + [
        story.title for story in french[5:]
    ]
    assert titles[9:] == [story.title for story in english if story is not translated]


def test_newer_stories_leads_back_to_the_previous_page(client):
    stories_published_in_order(40)
    url = reverse("stories:story_list")
    first = client.get(url)
    second = client.get(url + page_link(first, "next"))
    third = client.get(url + page_link(second, "next"))

    back = client.get(url + page_link(third, "prev"))

    assert list_titles(back) == list_titles(second)


def test_newer_stories_from_the_second_page_leads_to_the_first_page_address(client):
    stories_published_in_order(20)
    url = reverse("stories:story_list")
    second = client.get(url + page_link(client.get(url), "next"))

    response = client.get(url + page_link(second, "prev"))

    assert response.status_code == 302
    assert response["Location"] == url


def test_first_page_has_no_newer_link_and_last_page_no_older_link(client):
    stories_published_in_order(STORIES_PER_PAGE + 1)
    url = reverse("stories:story_list")

    first = client.get(url)
    last = client.get(url + page_link(first, "next"))

    assert page_link(first, "prev") is None
    assert page_link(last, "next") is None
    assert list_titles(last) == ["en 12"]


def test_page_links_are_also_link_elements_in_the_head(client):
    stories_published_in_order(30)
    url = reverse("stories:story_list")
    second = client.get(url + page_link(client.get(url), "next"))

    html = second.content.decode()

    assert f'<link rel="prev" href="{page_link(second, "prev")}">'.replace("&", "&amp;") in html
    assert f'<link rel="next" href="{page_link(second, "next")}">'.replace("&", "&amp;") in html


def test_old_page_number_link_redirects_to_the_same_stories(client):
    stories_published_in_order(30)
    url = reverse("stories:story_list")
    second = client.get(url + page_link(client.get(url), "next"))

    response = client.get(url, {"page": "2"})

    assert response.status_code == 302
    assert list_titles(client.get(response["Location"])) == list_titles(second)


@pytest.mark.parametrize(
    "value", ["x", "1.2", "2.5.5", "1.99999999999999999999999.1", "1.5.99999999999999999999", "1.-5.a", ""]
)
def test_unreadable_cursor_shows_the_first_page(client, value):
    stories_published_in_order(3)

    response = client.get(reverse("stories:story_list"), {"before": value})

    assert response.status_code == 200
    assert list_titles(response) == ["en 00", "en 01", "en 02"]


def test_cursor_reads_back_what_it_wrote():
    story = StoryFactory(published=True, published_at=START)
    story.in_reader_language = True

    cursor = Cursor.of(story)

    assert Cursor.parse(str(cursor)) == cursor
    assert str(cursor) == f"1.{int(START.timestamp() * 1_000_000)}.{story.pk}"


def test_topic_page_is_paginated_by_cursor_too(client):
    for story in stories_published_in_order(14):
        story.tags.add("family")
    url = reverse("stories:story_tag", args=["family"])

    first = client.get(url)
    second = client.get(url + page_link(first, "next"))

    assert page_link(first, "next").startswith("?before=")
    assert list_titles(second) == ["en 12", "en 13"]


def test_topic_page_lists_its_stories_in_the_readers_language_first_then_the_others_across_pages(client):
    # The order the topic page's query plan must keep on PostgreSQL, whichever
    # side it reads from (the tag's stories, or the list's index).
    french = stories_published_in_order(9, language="fr")
    english = stories_published_in_order(9, language="en")
    StoryTranslationFactory(story=english[4], language="fr", title="Traduit", published=True)
    tagged = french[:7] + english[:7]
    for story in tagged:
        story.tags.add("family")
    english[8].tags.add("school")

    with translation.override("fr"):
        pages = all_pages(client, reverse("stories:story_tag", args=["family"]))

    in_french = [story.title for story in french[:4]] + ["Traduit"] + [story.title for story in french[4:7]]
    others = [story.title for story in english[:4] + english[5:7]]
    assert [len(page) for page in pages] == [12, 2]
    assert [title for page in pages for title in page] == in_french + others


def test_search_results_have_numbered_pages_without_a_count(client):
    stories_published_in_order(14)
    url = reverse("stories:story_list")

    first = client.get(url, {"q": "winter"})
    second = client.get(url + page_link(first, "next"))

    assert page_link(first, "next") == "?q=winter&page=2"
    assert len(list_titles(second)) == 2
    assert page_link(second, "prev") == "?q=winter"


def test_search_page_past_the_last_leads_to_the_first(client):
    stories_published_in_order(3)

    response = client.get(reverse("stories:story_list"), {"q": "winter", "page": "7"})

    assert response.status_code == 302
    assert response["Location"] == reverse("stories:story_list") + "?q=winter"


def test_cursor_past_the_last_story_leads_to_the_first_page(client):
    stories_published_in_order(3)

    response = client.get(reverse("stories:story_list"), {"before": "0.1.1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("stories:story_list")


@pytest.mark.parametrize("query", [{"page": "9" * 30}, {"q": "winter", "page": "9" * 30}])
def test_huge_page_number_leads_to_a_page(client, query):
    stories_published_in_order(3)

    response = client.get(reverse("stories:story_list"), query, follow=True)

    assert response.status_code == 200
    assert list_titles(response) == ["en 00", "en 01", "en 02"]
