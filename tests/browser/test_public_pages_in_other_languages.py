"""Every public page, and every public form showing its errors, in Chinese,
Russian, Spanish and Dutch: the checks of test_public_pages.py (which does
English, Arabic and French, and the pages no sitemap lists), in a module of
its own so that a second test worker runs it beside that one."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from tests.browser.conftest import committed_demo_content
from tests.browser.site_audit import (
    AUDITED_LANGUAGES,
    OTHER_LANGUAGES,
    audit_site,
    english_left_on,
    not_found_paths,
    problems,
)


@pytest.fixture(scope="module")
def site(browser, site_server, django_db_blocker, tmp_path_factory):
    with committed_demo_content(django_db_blocker, tmp_path_factory):
        yield audit_site(browser, site_server, OTHER_LANGUAGES, private_links=False)


def test_audit_covers_every_language_of_the_site_between_the_two_modules():
    assert sorted([*AUDITED_LANGUAGES, *OTHER_LANGUAGES]) == ["ar", "en", "es", "fr", "nl", "ru", "zh-hans"]


def test_site_audit_finds_home_about_and_404_in_each_other_language(site):
    labels = [page.label for page in site]

    for language in OTHER_LANGUAGES:
        with translation.override(language):
            assert {reverse("home"), reverse("about"), reverse("stories:story_create")} <= set(labels)
    assert set(not_found_paths(OTHER_LANGUAGES)) <= set(labels)
    assert len(labels) == len(set(labels))


def test_site_audit_stays_in_its_languages(site):
    languages = {get_language_from_path(page.label.split()[0]) for page in site}

    assert languages == set(OTHER_LANGUAGES)


def test_forms_submitted_empty_answer_with_their_errors_not_a_redirect(site):
    submitted = {page.label: (page.method, page.status) for page in site if page.label.endswith("empty")}

    assert submitted
    assert {label: shown for label, shown in submitted.items() if shown[0] != "POST"} == {}
    assert {label: shown for label, shown in submitted.items() if shown[1] not in {200, 400}} == {}


def test_pages_answer_without_server_error(site):
    statuses = {page.label: page.status for page in site}

    assert {label: status for label, status in statuses.items() if status >= 500} == {}


def test_pages_have_no_wcag_violation(site):
    assert problems(site, "axe_violations") == {}


def test_pages_have_no_html_error(site):
    assert problems(site, "nu_errors") == {}


def test_pages_log_no_console_error_or_csp_violation(site):
    assert problems(site, "browser_problems") == {}


def test_pages_show_no_english_interface_text(site):
    assert english_left_on(site) == {}
