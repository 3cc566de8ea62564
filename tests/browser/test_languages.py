"""The site in each of its languages, as a visitor sees it (the Languages issue):
the page says which language it is in and which way it reads, no English
interface text is left, nothing overflows a phone's screen, the language
switcher keeps the visitor on the page, and a first visit follows the
browser's language. The pages are found through the sitemap and the
navigation, not listed, and the words looked for come from the catalogues."""

import json
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, gettext
from django_countries import countries
from PIL import Image

from tests.browser.conftest import (
    click_button,
    committed_demo_content,
    fill_by_label,
    open_page,
    select_by_label,
)
from tests.browser.english_left import VISIBLE_TEXT_JS, english_interface_text, english_left
from tests.browser.site_audit import in_language, language_of, resolved, sitemap_paths
from tests.browser.tools import ARTIFACTS
from tests.campaigns.factories import CampaignFactory
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = [code for code, _name in settings.LANGUAGES]
RIGHT_TO_LEFT = {code for code in LANGUAGES if get_language_info(code)["bidi"]}
# Where long words (Russian) and the other direction (Arabic) break layouts first.
NARROW_LANGUAGES = ("ar", "ru")
NARROW_WIDTH = 360
WIDE_WIDTH = 1280
# The lead looks at these; test-artifacts/ is not committed.
SCREENSHOTS = ARTIFACTS / "languages"
SCREENSHOT_LANGUAGES = ("ar", "zh-hans", "ru")
SCREENSHOT_PAGES = ("home", "story_list", "pledge_form")
# The pages whose language, direction and words are checked in every language.
CHECKED_FOR_TEXT = ("home", "story", "pledge_form")


# Every visible element that sticks out of the viewport, unless an ancestor
# clips or scrolls it (a wide table in its scrolling box) or it is placed
# wholly off-screen on purpose (the skip link until it has focus).
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (element) => {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      let part = node.localName;
      if (node.id) part += "#" + node.id;
      for (const name of node.classList) part += "." + name;
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const offenders = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= width) continue;
    if ((box.left < -1 || box.right > width + 1) && !clipped(element)) {
      offenders.push(`${describe(element)} (${Math.round(box.left)}..${Math.round(box.right)})`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, offenders};
}
"""


@dataclass
class Shown:
    """What a visitor was shown at one address."""

    url: str
    lang: str
    dir: str
    text: str = ""
    overflow: dict = field(default_factory=dict)


def paths_in(language):
    """The pages the checks visit, in ``language``: found through the
    navigation's routes and, for a story and an event, the sitemap."""
    with translation.override(language):
        paths = {
            "home": reverse("home"),
            "story_list": reverse("stories:story_list"),
            "share_form": reverse("stories:story_create"),
            # The navigation's "Pledge" leads to the active campaign's form.
            "pledge_form": reverse("campaigns:pledge"),
        }
    in_sitemap = [path for path in sitemap_paths(Client()) if language_of(path) == language]
    for name, route in (("story", "stories:story_detail"), ("event", "campaigns:event_detail")):
        paths[name] = next(path for path in in_sitemap if resolved(path).view_name == route)
    return paths


def show(page, path, *, text=False, overflow=False):
    page.goto(path)
    shown = Shown(
        url=page.url,
        lang=page.locator("html").get_attribute("lang"),
        dir=page.locator("html").get_attribute("dir"),
    )
    if text:
        shown.text = page.evaluate(VISIBLE_TEXT_JS)
    if overflow:
        shown.overflow = page.evaluate(OVERFLOW_JS)
    return shown


def screenshot_path(language, name, width):
    return SCREENSHOTS / f"{language}-{name}-{width}.png"


@pytest.fixture(scope="module")
def visits(browser, site_server, django_db_blocker, tmp_path_factory):
    """Every page the checks below need, visited once with the demo content:
    {(language, page name, width): Shown}. Screenshots are taken on the way."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shown = {}
    with committed_demo_content(django_db_blocker, tmp_path_factory):
        paths = {language: paths_in(language) for language in LANGUAGES}
        for width in (WIDE_WIDTH, NARROW_WIDTH):
            page = open_page(browser, site_server, viewport={"width": width, "height": 900})
            for language in LANGUAGES:
                for name, path in paths[language].items():
                    wanted_text = width == WIDE_WIDTH and name in CHECKED_FOR_TEXT
                    wanted_overflow = width == NARROW_WIDTH and language in NARROW_LANGUAGES
                    screenshot = language in SCREENSHOT_LANGUAGES and name in SCREENSHOT_PAGES
                    if not (wanted_text or wanted_overflow or screenshot):
                        continue
                    shown[language, name, width] = show(
                        page, path, text=wanted_text, overflow=wanted_overflow
                    )
                    if screenshot:
                        page.screenshot(path=screenshot_path(language, name, width), full_page=True)
            page.context.close()
    return shown


# --- Language and direction -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_declare_their_language_and_direction(visits, language):
    declared = {
        name: (shown.lang, shown.dir)
        for (shown_language, name, width), shown in visits.items()
        if shown_language == language and width == WIDE_WIDTH and name in CHECKED_FOR_TEXT
    }

    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    assert declared == dict.fromkeys(CHECKED_FOR_TEXT, (language, direction))


# --- No English left ------------------------------------------------------------------


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_pages_show_no_english_interface_text(visits, language):
    fragments = english_interface_text(language)
    left_in_english = {
        shown.url: english_left(shown.text, fragments)
        for (shown_language, name, width), shown in visits.items()
        if shown_language == language and width == WIDE_WIDTH and name in CHECKED_FOR_TEXT
    }

    assert fragments
    left = {url: found for url, found in left_in_english.items() if found}
    assert left == {}, f"English interface text on {language} pages: {json.dumps(left, indent=1)}"


# --- Narrow screens ---------------------------------------------------------------------


@pytest.mark.parametrize("language", NARROW_LANGUAGES)
def test_no_element_overflows_a_narrow_screen(visits, language):
    overflowing = {
        shown.url: shown.overflow
        for (shown_language, _name, width), shown in visits.items()
        if shown_language == language and width == NARROW_WIDTH
        if shown.overflow["scrollWidth"] > shown.overflow["width"] or shown.overflow["offenders"]
    }

    assert len([key for key in visits if key[0] == language and key[2] == NARROW_WIDTH]) == 6
    assert overflowing == {}, f"Wider than {NARROW_WIDTH} px: {json.dumps(overflowing, indent=1)}"


# --- Screenshots for people to look at ----------------------------------------------------


def test_screenshots_show_each_page_in_full(visits):
    expected = [
        screenshot_path(language, name, width)
        for language in SCREENSHOT_LANGUAGES
        for name in SCREENSHOT_PAGES
        for width in (WIDE_WIDTH, NARROW_WIDTH)
    ]
    sizes = {}
    for path in expected:
        with Image.open(path) as image:
            sizes[path.name] = (image.format, image.width, image.height > 900)

    assert sizes == {path.name: ("PNG", int(path.stem.rsplit("-", 1)[1]), True) for path in expected}


# --- Switching language -----------------------------------------------------------------


def switch_language(page, language):
    """Use the footer's switcher as a visitor does: pick the language by the
    name it is shown under, press the button (labelled in the page's language)."""
    with translation.override(language_of(urlpath(page.url))):
        button = gettext("Change language")
        label = gettext("Language")
    select_by_label(page, label, get_language_info(language)["name_local"])
    click_button(page, button)


def urlpath(url):
    return re.sub(r"^https?://[^/]+", "", url)


def published_story_path(language):
    StoryFactory(published=True)
    return next(
        path
        for path in sitemap_paths(Client())
        if language_of(path) == language and resolved(path).view_name == "stories:story_detail"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with_javascript", "without_javascript"])
def test_language_switcher_keeps_the_visitor_on_the_page(browser, site_server, request, javascript):
    path = published_story_path("en")
    page = open_page(browser, site_server, java_script_enabled=javascript)
    visited = []
    try:
        page.goto(path)
        for language in ("fr", "ar", "zh-hans"):
            switch_language(page, language)
            visited.append((urlpath(page.url), page.locator("html").get_attribute("lang")))
    finally:
        page.context.close()

    assert visited == [(in_language(path, language), language) for language in ("fr", "ar", "zh-hans")]


def test_first_visit_follows_the_browsers_language(browser, site_server):
    page = open_page(browser, site_server, locale="fr")
    try:
        page.goto("/")
        landed = urlpath(page.url)
    finally:
        page.context.close()

    assert landed == "/fr/"


# --- A whole journey in another language ------------------------------------------------


def field_label(label):
    """A form field's label as the page shows it: with Django's suffix, which
    is translated too (a colon in English and Spanish, " :" in French)."""
    return f"{gettext(label)}{gettext(':')}"


def test_spanish_supporter_gets_email_and_confirmation_page_in_spanish(page, site_server):
    campaign = CampaignFactory(is_active=True, pledge_goal=100)
    with translation.override("es"):
        page.goto(reverse("campaigns:pledge"))
        fill_by_label(page, field_label("Your name"), "Lucía Martín")
        fill_by_label(page, field_label("Your email address"), "lucia@example.org")
        # By its code: the names are in English for now (see the test below).
        page.get_by_label(field_label("Your country"), exact=True).select_option("ES")
        click_button(page, gettext("Pledge my support"))
        subject = gettext("Please confirm your pledge to %(title)s") % {"title": campaign.title}
        withdraw_line = gettext("To withdraw your pledge and delete your data at any time:")
        heading = gettext("Confirm your pledge")
    email = mail.outbox[-1]
    confirm_link = re.search(rf"{re.escape(settings.SITE_URL)}(/\S*/pledge/confirm/\S*/)", email.body)
    confirm_path = confirm_link.group(1)
    page.goto(confirm_path)

    assert (email.to, email.subject, withdraw_line in email.body) == (["lucia@example.org"], subject, True)
    assert language_of(confirm_path) == "es"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == heading


def test_pledge_form_names_countries_in_the_pages_language(page, site_server):
    CampaignFactory(is_active=True, pledge_goal=100)
    with translation.override("es"):
        page.goto(reverse("campaigns:pledge"))
        spain = str(countries.name("ES"))

    assert page.locator('#id_country option[value="ES"]').inner_text() == spain
