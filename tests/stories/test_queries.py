"""Every public stories page runs a fixed number of SQL queries, whatever the
number of stories (acceptance point 7)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from stories.models import Story
from tests.stories.bulk import add_stories
from tests.stories.factories import StoryFactory, make_photo_renditions

pytestmark = pytest.mark.django_db


def in_french(url_for):
    def french_url(story):
        with translation.override("fr"):
            return url_for(story)

    return french_url


# The most queries each page may run: as measured (list: the filter choice
# lists (countries and languages in one, topics), the page with its stories'
# reader's translations, and their tags, never a count (stories.pagination);
# detail: story with its reader's translation, tags, related stories; home:
# featured stories with their reader's translations, their tags, plus the
# campaign app's queries, as the sitemap, one per listed model).
PAGES = {
    "list": (lambda story: reverse("stories:story_list"), 4),
    "list, French reader": (in_french(lambda story: reverse("stories:story_list")), 4),
    "list, older stories": (
        lambda story: reverse("stories:story_list") + f"?before=1.{10**15 * 2}.{story.pk}",
        4,
    ),
    "list, every filter": (
        lambda story: (
            reverse("stories:story_list") + "?role=refugee&country=SY&language=en&tag=family&q=winter"
        ),
        4,
    ),
    "search": (lambda story: reverse("stories:story_list") + "?q=neighbours", 4),
    "tag": (lambda story: reverse("stories:story_tag", args=["family"]), 4),
    "detail": (lambda story: story.get_absolute_url(), 3),
    "detail, French reader": (in_french(lambda story: story.get_absolute_url()), 3),
    "detail, original": (in_french(lambda story: story.get_absolute_url() + "?original=1"), 3),
    "report": (lambda story: reverse("stories:story_report", args=[story.slug]), 1),
    "feed": (lambda story: reverse("stories:story_feed"), 2),
    "transparency": (lambda story: reverse("stories:transparency"), 3),
    "home": (lambda story: reverse("home"), 5),
    "sitemap, stories": (lambda story: "/sitemap-stories.xml", 4),
}


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_the_same_for_5_and_200_stories(client, page):
    photo = make_photo_renditions()
    add_stories(5, photo)
    url = PAGES[page][0](Story.objects.published().first())
    with_5 = queries_of(client, url)

    add_stories(195, photo)

    with_200 = queries_of(client, url)
    print(f"{page}: {with_5} queries with 5 stories, {with_200} with 200")
    assert with_200 == with_5


@pytest.mark.parametrize("count", [5, 200])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_stays_under_the_page_limit(client, django_assert_max_num_queries, page, count):
    add_stories(count, make_photo_renditions())
    url_for, limit = PAGES[page]
    url = url_for(Story.objects.published().first())

    with django_assert_max_num_queries(limit):
        client.get(url)


def test_used_tags_are_the_tags_of_published_stories_once_each_by_name(django_assert_num_queries):
    StoryFactory(published=True, tags=["work", "family"])
    StoryFactory(published=True, tags=["family"])
    StoryFactory(published=False, tags=["secret-pending"])
    StoryFactory(published=True, tags=["withdrawn-only"]).withdraw()

    with django_assert_num_queries(1):
        names = [tag.name for tag in Story.objects.published().used_tags()]

    assert names == ["family", "work"]
