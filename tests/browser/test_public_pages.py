"""Every public page, and every public form showing its errors, in a real browser:
no WCAG 2.2 AA violation (axe-core), no HTML error (Nu HTML Checker), no
console error or CSP violation. The pages are found, not listed (see
site_audit.py), so a new app's pages are checked the day they are routed."""

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse

from tests.browser.conftest import axe_violations, open_page, save_artifacts
from tests.browser.site_audit import NOT_FOUND_PATH, AuditedPage, nu_html_errors, public_html_paths

POST_FORMS = 'form[method="post" i]'
SUBMIT_BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]'


@pytest.fixture(scope="module")
def site(browser, site_server, django_db_blocker, tmp_path_factory):
    """Load the demo content, visit every public page and form, check each once.

    Module-scoped so the browser and the Nu checker's JVM start once for all
    pages. The demo data is committed (the live server's threads must see
    it), so it is flushed afterwards, also when the audit itself fails."""
    # As tests/conftest.py sets for each test (a module fixture runs before it):
    # the forms must show their field errors, not "sent too fast".
    isolated = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        FORM_MIN_SECONDS=0,
    )
    with django_db_blocker.unblock(), isolated:
        try:
            with override_settings(DEBUG=True):  # load_demo refuses to run with DEBUG off
                call_command("load_demo", stdout=None)
            audited = visit_public_pages(browser, site_server)
            nu_errors = nu_html_errors(audited)
            for page in audited:
                page.nu_errors = nu_errors.get(page.label, [])
                if page.nu_errors and not page.artifacts:
                    page.artifacts = save_artifacts(f"page-{page.label}", html=page.html)
            yield audited
        finally:
            # The migrated state is put back by _database_as_migrated_afterwards.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            # Opened while Playwright's event loop runs, this connection is not
            # one pytest-django closes; left open, it stops it dropping the
            # test database on PostgreSQL.
            connections.close_all()


def visit_public_pages(browser, site_server):
    page = open_page(browser, site_server)
    audited = []
    for path in public_html_paths(Client()):
        audited.append(visit(page, path))
        audited += submit_each_form_empty(page, path)
    page.context.close()
    return audited


def visit(page, path):
    page.problems.clear()
    response = page.goto(path)
    return audit(page, path, response)


def submit_each_form_empty(page, path):
    """Each POST form but the language switcher's, submitted with nothing filled in."""
    audited = []
    set_language = reverse("set_language")
    forms = f'{POST_FORMS}:not([action="{set_language}"])'
    page.goto(path)
    for number in range(page.locator(forms).count()):
        page.goto(path)
        form = page.locator(forms).nth(number)
        # The browser's own checks (required…) would stop an empty submission
        # before the server sees it; the server's error page is what matters.
        form.evaluate("form => { form.noValidate = true; }")
        page.problems.clear()
        responses = []

        def record(response, responses=responses):
            responses.append(response)

        page.on("response", record)
        form.locator(SUBMIT_BUTTONS).first.click()
        page.wait_for_load_state()
        page.remove_listener("response", record)
        # After a redirect, the page shown is the last document the frame received.
        shown = [response for response in responses if response.request.is_navigation_request()][-1]
        audited.append(audit(page, f"{path} form {number + 1} submitted empty", shown))
    return audited


def audit(page, label, response):
    audited = AuditedPage(
        label=label,
        status=response.status,
        html=response.text(),
        axe_violations=axe_violations(page),
        browser_problems=list(page.problems),
    )
    if audited.axe_violations or audited.browser_problems:
        audited.artifacts = save_artifacts(f"page-{label}", page)
    return audited


def problems(site, attribute):
    """{page: (its problems, artifact paths)} for the pages that have any."""
    return {
        page.label: (getattr(page, attribute), page.artifacts) for page in site if getattr(page, attribute)
    }


def test_site_audit_finds_home_about_404_and_sitemap_pages(site):
    labels = [page.label for page in site]

    assert {"/en/", "/en/about/", NOT_FOUND_PATH} <= set(labels)
    assert len(labels) == len(set(labels))


def test_public_pages_answer_without_server_error(site):
    statuses = {page.label: page.status for page in site}

    assert {label: status for label, status in statuses.items() if status >= 500} == {}
    assert statuses[NOT_FOUND_PATH] == 404


def test_public_pages_have_no_wcag_violation(site):
    assert problems(site, "axe_violations") == {}


def test_public_pages_have_no_html_error(site):
    assert problems(site, "nu_errors") == {}


def test_public_pages_log_no_console_error_or_csp_violation(site):
    assert problems(site, "browser_problems") == {}
