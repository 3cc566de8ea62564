"""Findable help and the quick exit: where they are offered, and the pages
with personal data that no cache keeps."""

import pytest

from tests.stories.factories import StoryFactory
from tests.stories.sharing import manage_url

pytestmark = pytest.mark.django_db

LOST_LINK = 'href="/en/stories/manage/"'
OPEN_WITH_CODE = 'href="/en/stories/open/"'
QUICK_EXIT = 'href="https://weather.example/" rel="noreferrer" data-quick-exit'


@pytest.fixture(autouse=True)
def _neutral_page(settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("where", ["share", "story", "about"])
def test_lost_link_help_is_linked_from_the_share_page_every_story_and_the_about_page(client, where):
    url = {
        "share": "/en/stories/share/",
        "story": lambda: StoryFactory(published=True).get_absolute_url(),
        "about": "/en/about/",
    }[where]
    page = html(client, url() if callable(url) else url)

    assert LOST_LINK in page
    assert OPEN_WITH_CODE in page


@pytest.mark.parametrize("page", ["", "edit", "withdraw"])
def test_the_private_pages_offer_the_quick_exit(client, page):
    story = StoryFactory()

    assert QUICK_EXIT in html(client, manage_url(story, page))


@pytest.mark.parametrize("url", ["/en/stories/share/", "/en/stories/open/", "/en/stories/manage/"])
def test_the_share_form_code_entry_and_lost_link_pages_offer_the_quick_exit(client, url):
    assert QUICK_EXIT in html(client, url)


def test_public_pages_do_not_offer_the_quick_exit(client):
    assert "data-quick-exit" not in html(client, "/en/about/")


@pytest.mark.parametrize("url", ["/en/stories/share/", "/en/stories/open/", "/en/stories/manage/"])
def test_pages_taking_personal_data_are_never_cached(client, url):
    response = client.get(url)

    assert "no-store" in response["Cache-Control"]


def test_the_private_page_says_what_each_button_does_and_what_is_erased(client):
    story = StoryFactory()

    page = html(client, manage_url(story))

    assert "The old address stops working at once and nothing else changes." in page
    assert "We then erase it with your name, email address and photo." in page
    assert "lets you change what you wrote, your name and your photo" in page
