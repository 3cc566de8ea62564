"""Every public page: one h1, a main landmark, a skip link, a language, and
no request to any host but its own. The pages come from the sitemap (so a new
public page is checked as soon as it is listed there) and the error pages.
The structure is the same in every language, so it is checked on the English
pages; the language and direction are checked on every language's pages."""

import re

import pytest
from django.conf import settings
from django.utils.translation import get_language_from_path

from tests.html_checks import is_same_site, outline
from tests.sitemaps import whole_sitemap

pytestmark = pytest.mark.django_db


def public_paths(client, languages=("en",)):
    sitemap = whole_sitemap(client)
    paths = [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    paths += [f"/{language}/no-such-page/" for language in languages]
    return [path for path in paths if get_language_from_path(path) in languages]


@pytest.fixture
def pages(client, demo_content):
    return {path: client.get(path).content.decode() for path in public_paths(client)}


def test_public_pages_include_home_about_and_404(pages):
    assert {"/en/", "/en/about/", "/en/no-such-page/"} <= set(pages)


def test_every_page_has_exactly_one_h1(pages):
    assert {path: outline(html).h1_count for path, html in pages.items()} == dict.fromkeys(pages, 1)


def test_every_page_has_one_main_landmark(pages):
    assert {path: outline(html).main_count for path, html in pages.items()} == dict.fromkeys(pages, 1)


def test_every_page_starts_with_skip_link_to_main(pages):
    assert {path: outline(html).first_link_href for path, html in pages.items()} == dict.fromkeys(
        pages, "#main"
    )
    assert all('id="main"' in html for html in pages.values())


def test_every_page_in_every_language_declares_its_language_and_direction(client, demo_content):
    paths = public_paths(client, languages=[code for code, _name in settings.LANGUAGES])
    found = {path: outline(client.get(path).content.decode()) for path in paths}

    assert {path: (page.html_lang, page.html_dir) for path, page in found.items()} == {
        path: (get_language_from_path(path), "rtl" if get_language_from_path(path) == "ar" else "ltr")
        for path in paths
    }
    assert len({get_language_from_path(path) for path in paths}) == 7


def test_no_page_fetches_from_another_host(pages):
    foreign = {
        path: [url for url in outline(html).fetched_urls if not is_same_site(url)]
        for path, html in pages.items()
    }
    assert foreign == {path: [] for path in pages}


def test_no_page_has_inline_script_or_style(pages):
    counts = {
        path: (outline(html).inline_scripts, outline(html).style_attributes) for path, html in pages.items()
    }
    assert counts == dict.fromkeys(pages, (0, 0))
    assert all("<style" not in html for html in pages.values())
