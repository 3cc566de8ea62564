"""Every public page, and every public form showing its errors, in a real browser:
no WCAG 2.2 AA violation (axe-core), no HTML error (Nu HTML Checker), no
console error or CSP violation. The pages are found, not listed (see
site_audit.py), so a new app's pages are checked the day they are routed."""

import json
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from tests.browser.conftest import axe_violations, committed_demo_content, open_page, save_artifacts
from tests.browser.site_audit import (
    AUDITED_LANGUAGES,
    NOT_FOUND_PATHS,
    AuditedPage,
    answers_html,
    demo_private_paths,
    nu_html_errors,
    public_html_paths,
    resolved,
    should_follow,
    site_links,
    token_of,
    with_invalid_token,
)
from tests.browser.tools import ARTIFACTS

POST_FORMS = 'form[method="post" i]'
SUBMIT_BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]'


@pytest.fixture(scope="module")
def site(browser, site_server, django_db_blocker, tmp_path_factory):
    """Load the demo content, visit every public page and form, check each once.

    Module-scoped so the browser and the Nu checker's JVM start once for all
    pages."""
    with committed_demo_content(django_db_blocker, tmp_path_factory):
        audited = visit_public_pages(browser, site_server)
        nu_errors = nu_html_errors(audited)
        for page in audited:
            page.nu_errors = nu_errors.get(page.label, [])
            if page.nu_errors and not page.artifacts:
                page.artifacts = save_artifacts(f"page-{page.label}", html=page.html)
        write_summary(audited)
        yield audited


def visit_public_pages(browser, site_server):
    """Visit the public pages, then the pages they link to and the demo's
    private links (and those they link to), then every private link with a
    damaged token; last, submit the forms that have nothing to fill in."""
    page = open_page(browser, site_server)
    client = Client()
    hosts = {urlsplit(site_server.url).netloc, urlsplit(settings.SITE_URL).netloc}
    queue = deque([*public_html_paths(client), *demo_private_paths()])
    seen = set(queue)
    audited, actions = [], []
    while queue:
        path = queue.popleft()
        shown = visit(page, path)
        audited.append(shown)
        shown_with_errors, path_actions = submit_each_form_empty(page, path)
        audited += shown_with_errors
        actions += path_actions
        for link in site_links(shown.html, hosts):
            if link not in seen and should_follow(link) and answers_html(client, link):
                seen.add(link)
                queue.append(link)
    private = [shown.label for shown in audited if shown.label in seen and token_of(shown.label)]
    for path in dict.fromkeys(with_invalid_token(path) for path in private):
        audited.append(visit(page, path))
    for path, number in actions:
        if done := submit_action(page, path, number):
            audited.append(done)
    page.context.close()
    return audited


def visit(page, path):
    page.problems.clear()
    response = page.goto(path)
    return audit(page, path, response)


def has_fields(form):
    """Whether the form asks for anything: one without fields (a confirm
    button) performs its action when submitted, it has no error state."""
    return form.evaluate(
        "form => form.querySelector("
        "'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea') !== null"
    )


# Empty every field, also those a form shows filled in (the storyteller's
# edit form holds their story): sent as it is, it would be accepted. The
# browser's own checks (required…) would stop an empty submission before the
# server sees it; the server's error page is what matters.
EMPTY_THE_FORM = """
form => {
  form.noValidate = true;
  for (const field of form.elements) {
    if (["hidden", "submit", "button", "file"].includes(field.type)) continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.localName === "select") field.selectedIndex = -1;
    else field.value = "";
  }
}
"""


def submit_each_form_empty(page, path):
    """Each POST form but the language switcher's, submitted with nothing
    filled in; returns those audits, and the (path, form number) of the
    forms without fields, to be submitted once everything else is seen."""
    audited, actions = [], []
    set_language = reverse("set_language")
    forms = f'{POST_FORMS}:not([action="{set_language}"])'
    page.goto(path)
    for number in range(page.locator(forms).count()):
        page.goto(path)
        form = page.locator(forms).nth(number)
        if not has_fields(form):
            actions.append((path, number))
            continue
        # As a visitor's first try: the forms of many pages (a report form per
        # story) would otherwise run into the rate limits, shared by address.
        cache.clear()
        form.evaluate(EMPTY_THE_FORM)
        shown = submit(page, form)
        audited.append(audit(page, f"{path} form {number + 1} submitted empty", shown))
    return audited, actions


def submit_action(page, path, number):
    """Submit a form without fields: confirm, cancel, withdraw. The page it
    leads to (thanks, withdrawn, a status message) is audited; None when the
    form is no longer there."""
    set_language = reverse("set_language")
    page.goto(path)
    forms = page.locator(f'{POST_FORMS}:not([action="{set_language}"])')
    if forms.count() <= number:  # an earlier action made it moot (the story is withdrawn)
        return None
    form = forms.nth(number)
    return audit(page, f"{path} form {number + 1} submitted (its action done)", submit(page, form))


def submit(page, form):
    """Click the form's submit button; the response of the document shown after."""
    page.problems.clear()
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    form.locator(SUBMIT_BUTTONS).first.click()
    page.wait_for_load_state()
    page.remove_listener("response", record)
    # After a redirect, the page shown is the last document the frame received.
    return [response for response in responses if response.request.is_navigation_request()][-1]


def audit(page, label, response):
    audited = AuditedPage(
        label=label,
        status=response.status,
        html=response.text(),
        method=response.request.method,
        axe_violations=axe_violations(page),
        browser_problems=list(page.problems),
    )
    if audited.axe_violations or audited.browser_problems:
        audited.artifacts = save_artifacts(f"page-{label}", page)
    return audited


def write_summary(audited):
    """Every page the audit saw, with its status and problems, in one file
    (test-artifacts/site-audit.json) for a person to read after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    summary = [
        {key: value for key, value in vars(page).items() if key != "html" and value} | {"status": page.status}
        for page in audited
    ]
    (ARTIFACTS / "site-audit.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))


def problems(site, attribute):
    """{page: (its problems, artifact paths)} for the pages that have any."""
    return {
        page.label: (getattr(page, attribute), page.artifacts) for page in site if getattr(page, attribute)
    }


def route_of(label):
    """The route name of an audited page's path (its label's first word)."""
    match = resolved(label.split()[0])
    return match.view_name if match else None


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
