"""Every public page, and every public form showing its errors, in a real browser,
in English, Arabic and French (test_public_pages_in_other_languages.py does
the other languages): no WCAG 2.2 AA violation (axe-core), no HTML error (Nu
HTML Checker), no console error or CSP violation, no English interface text
left on a page in another language. The pages are found, not listed (see
site_audit.py), so a new app's pages are checked the day they are routed."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from tests.browser.conftest import committed_demo_content
from tests.browser.site_audit import (
    AUDITED_LANGUAGES,
    NOT_FOUND_PATHS,
    audit_site,
    english_left_on,
    problems,
    route_of,
)


@pytest.fixture(scope="module")
def site(browser, site_server, django_db_blocker, tmp_path_factory):
    """Load the demo content, visit every public page and form, check each once.

    Module-scoped so the browser and the Nu checker's JVM start once for all
    pages."""
    with committed_demo_content(django_db_blocker, tmp_path_factory):
        yield audit_site(browser, site_server, AUDITED_LANGUAGES, private_links=True)


def test_site_audit_finds_home_about_and_404_in_each_audited_language(site):
    labels = [page.label for page in site]

    for language in AUDITED_LANGUAGES:
        with translation.override(language):
            assert {reverse("home"), reverse("about")} <= set(labels)
    assert set(NOT_FOUND_PATHS) <= set(labels)
    assert len(labels) == len(set(labels))


def test_site_audit_leaves_out_the_languages_it_does_not_audit(site):
    languages = {get_language_from_path(page.label.split()[0]) for page in site}

    assert languages == set(AUDITED_LANGUAGES)


def test_site_audit_reaches_pages_no_sitemap_lists(site):
    routes = {route_of(page.label) for page in site}

    assert {
        "stories:story_report",
        "stories:story_manage",
        "stories:story_edit",
        "stories:story_withdraw",
        "campaigns:pledge_confirm",
        "campaigns:pledge_withdraw",
        "campaigns:signup_confirm",
        "campaigns:signup_cancel",
    } <= routes


def test_site_audit_sees_the_storyteller_pages_in_arabic(site):
    arabic = {route_of(page.label) for page in site if page.label.startswith("/ar/")}

    assert {"stories:story_manage", "stories:story_edit", "stories:story_withdraw"} <= arabic


def test_site_audit_sees_the_answer_to_a_declined_story_submitted_empty(site):
    manage_forms = [
        page
        for page in site
        if route_of(page.label) == "stories:story_manage" and page.label.endswith("submitted empty")
    ]

    assert {page.status for page in manage_forms} == {200}


def test_forms_submitted_empty_answer_with_their_errors_not_a_redirect(site):
    """A redirect would mean the empty form was accepted and its action done."""
    submitted = {page.label: (page.method, page.status) for page in site if page.label.endswith("empty")}

    assert submitted
    assert {label: shown for label, shown in submitted.items() if shown[0] != "POST"} == {}
    assert {label: shown for label, shown in submitted.items() if shown[1] not in {200, 400}} == {}


def test_site_audit_sees_private_links_expired_and_damaged(site):
    statuses = {page.label: page.status for page in site}
    refused = {route_of(label) for label, status in statuses.items() if status in {404, 410}}

    assert {"campaigns:pledge_confirm", "campaigns:signup_confirm", "stories:story_manage"} <= refused
    assert 410 in statuses.values()  # the expired sign-up link


def test_public_pages_answer_without_server_error(site):
    statuses = {page.label: page.status for page in site}

    assert {label: status for label, status in statuses.items() if status >= 500} == {}
    assert {path: statuses[path] for path in NOT_FOUND_PATHS} == dict.fromkeys(NOT_FOUND_PATHS, 404)


def test_public_pages_have_no_wcag_violation(site):
    assert problems(site, "axe_violations") == {}


def test_public_pages_have_no_html_error(site):
    assert problems(site, "nu_errors") == {}


def test_public_pages_log_no_console_error_or_csp_violation(site):
    assert problems(site, "browser_problems") == {}


def test_public_pages_in_arabic_and_french_show_no_english_interface_text(site):
    assert english_left_on(site) == {}
