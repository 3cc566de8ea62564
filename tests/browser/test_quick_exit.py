"""The quick exit of the sharing form and the private pages, in a real
browser: a plain link without JavaScript; with it, the page also leaves the
tab's history, so "Back" does not bring it back."""

import pytest

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEUTRAL = "https://weather.example/"


@pytest.fixture
def neutral_page(settings):
    """The exit's destination, answered by the browser itself (no network)."""
    settings.QUICK_EXIT_URL = NEUTRAL

    def serve(page):
        page.context.route(
            f"{NEUTRAL}**",
            lambda route: route.fulfill(
                body="<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>",
                content_type="text/html",
            ),
        )
        return page

    return serve


def test_quick_exit_leaves_and_removes_the_page_from_history_with_javascript(page, neutral_page):
    page = neutral_page(page)
    page.goto("/en/about/")
    page.goto("/en/stories/share/")

    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()

    assert page.url.endswith("/en/about/")


def test_quick_exit_works_without_javascript(page_without_javascript, neutral_page):
    page = neutral_page(page_without_javascript)
    page.goto("/en/stories/share/")

    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(NEUTRAL)

    assert page.title() == "Weather"


def test_escape_three_times_leaves_with_javascript(page, neutral_page):
    page = neutral_page(page)
    page.goto("/en/stories/open/")

    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)

    assert page.title() == "Weather"


def test_the_shortcut_is_mentioned_only_when_it_works(page, page_without_javascript):
    page.goto("/en/stories/share/")
    page_without_javascript.goto("/en/stories/share/")

    assert page.get_by_text("or press Esc three times").is_visible()
    assert not page_without_javascript.get_by_text("or press Esc three times").is_visible()


def test_the_code_entry_page_with_its_quick_exit_is_accessible(page):
    page.goto("/en/stories/open/")

    axe_check(page)
