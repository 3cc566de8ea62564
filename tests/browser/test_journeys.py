"""What a visitor does with the pages that exist, in a real browser: keyboard
only, without JavaScript, and after a wrong address."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check, click_button, fill_by_label, select_by_label

# serialized_rollback: the migrated data is kept so it can be put back after
# the module (see conftest._database_as_migrated_afterwards).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def focused(page):
    """What has keyboard focus: its tag, id and text."""
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName.toLowerCase(), id: document.activeElement.id,"
        " text: document.activeElement.textContent.trim()})"
    )


def test_first_tab_reaches_visible_skip_link(page):
    page.goto("/en/")

    page.keyboard.press("Tab")

    assert focused(page) == {"tag": "a", "id": "", "text": "Skip to main content"}
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    assert box["width"] > 1


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/en/about/")
    page.keyboard.press("Tab")

    page.keyboard.press("Enter")

    assert focused(page)["id"] == "main"
    assert page.url.endswith("/en/about/#main")
    # The next key press goes on from the main content, past the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.querySelector('header').contains(document.activeElement)")


# How a focusable element is named in the keyboard test: tag, id, first words.
DESCRIBE = """element => `${element.tagName.toLowerCase()}#${element.id} ${
  (element.innerText || element.value || "").trim().split("\\n")[0]}`"""


def test_keyboard_reaches_every_link_and_control_in_page_order(page):
    page.goto("/en/")
    expected = page.evaluate(
        f"""() => [...document.querySelectorAll("a[href], button, select, textarea, input")]
          .filter(element => element.tabIndex >= 0 && !element.disabled && element.checkVisibility())
          .map({DESCRIBE})"""
    )

    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate(f"() => ({DESCRIBE})(document.activeElement)"))

    assert reached == expected
    assert len(expected) > 3


def test_language_switcher_works_without_javascript(page_without_javascript, settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    page = page_without_javascript
    page.goto("/en/about/")

    select_by_label(page, "Language", "français")
    click_button(page, "Change language")

    assert page.url.endswith("/fr/about/")
    assert page.locator("html").get_attribute("lang") == "fr"
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies["django_language"] == "fr"


def test_language_switcher_keeps_visitor_on_same_page(page):
    page.goto("/en/about/")

    select_by_label(page, "Language", "English")
    click_button(page, "Change language")

    assert page.url.endswith("/en/about/")
    axe_check(page)


def test_unknown_address_shows_helpful_404_with_way_home(page):
    response = page.goto("/en/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find that page"
    page.get_by_role("link", name="Go to the home page").click()
    assert page.url.endswith("/en/")
    axe_check(page)


def test_admin_login_locked_after_five_wrong_passwords_shows_accessible_page(page, django_user_model):
    django_user_model.objects.create_user("ana", password="the-right-one-42")
    response = page.goto(reverse("admin:login"))
    assert response.status == 200

    for attempt in range(5):
        fill_by_label(page, "Username:", "ana")
        fill_by_label(page, "Password:", f"guess-{attempt}")
        click_button(page, "Log in")

    assert page.get_by_role("heading", level=1).inner_text() == "Signing in is paused for this account"
    axe_check(page)
