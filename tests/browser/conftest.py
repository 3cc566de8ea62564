"""The browser suite: Debian's Chromium, driven by Playwright, against Django's live server.

One browser per test module; every test gets a fresh context (cookies,
storage) and page. Journeys are written with the helpers below, in the words
a visitor would use:

    page.goto(reverse("stories:story_create"))
    fill_by_label(page, "Your story", "…")
    click_button(page, "Send my story")
    axe_check(page)

Without Chromium, Java or the checkers in node_modules/ every test here is
skipped with one message; with CI set that is a failure instead, so CI cannot
pass without having run them. A failing test leaves a screenshot and the
page's HTML under test-artifacts/ and names both in its report.
"""

import json
import re
from contextlib import contextmanager

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from tests.browser.tools import (
    ARTIFACTS,
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PROJECT_ROOT,
    SKIP_MESSAGE,
    ci_is_set,
    missing_tools,
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Console errors and CSP violations are collected by this script, which runs
# in every document before the page's own (it is injected by the browser
# driver, so the page's CSP does not apply to it).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one module.

    Playwright's sync API keeps an asyncio event loop running in the main
    thread while a browser is open, and Django then refuses ORM calls from
    that thread. The tests are synchronous code, so DJANGO_ALLOW_ASYNC_UNSAFE
    is the documented way out (pytest-django and Playwright users set it) —
    but only while the browser is open: set for the whole session it would
    leak into every other test and their subprocesses (`check --deploy`
    rightly refuses it). Hence one browser per module, not per session
    (starting Chromium takes about a second)."""
    missing = missing_tools()
    if missing:
        message = f"{SKIP_MESSAGE} {'; '.join(missing)}."
        if ci_is_set():
            pytest.fail(f"{message} CI is set, so this is a failure, not a skip.", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_server(django_db_setup, live_server):
    """Django's live server, started once the test database exists, so that
    its threads share the test connection (in-memory SQLite) instead of
    opening, and leaking, their own."""
    return live_server


@pytest.fixture(autouse=True)
def _serialized_rollback(django_db_serialized_rollback):
    """The live server needs committed data, so browser tests are transactional
    and flush the database. Asking for serialized rollback makes pytest-django
    keep the migrated state (data migrations such as the Moderators group) so
    that it can be put back; see _database_as_migrated_afterwards."""


@pytest.fixture(scope="module", autouse=True)
def _database_as_migrated_afterwards(django_db_setup, django_db_blocker):
    """Leave the database as migrations made it for the tests that follow on
    this worker, not flushed empty by the browser tests."""
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        ContentType.objects.clear_cache()
        connections.close_all()


@contextmanager
def committed_demo_content(django_db_blocker, tmp_path_factory):
    """The demo content, committed for a whole module (the live server's
    threads must see it), flushed afterwards, also when the module fails.

    For modules that visit many pages once in a module fixture: loading the
    demo takes seconds, too long to repeat for each test. The settings are
    those tests/conftest.py sets for each test (a module fixture runs before
    it): the forms must show their field errors, not "sent too fast"."""
    isolated = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        FORM_MIN_SECONDS=0,
    )
    with django_db_blocker.unblock(), isolated:
        try:
            with override_settings(DEBUG=True):  # load_demo refuses to run with DEBUG off
                call_command("load_demo", stdout=None)
            yield
        finally:
            # The migrated state is put back by _database_as_migrated_afterwards.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            # Opened while Playwright's event loop runs, this connection is not
            # one pytest-django closes; left open, it stops it dropping the
            # test database on PostgreSQL.
            connections.close_all()


def open_page(browser, live_server, **context_options):
    """A page in a fresh context whose console errors collect in ``page.problems``."""
    context = browser.new_context(base_url=live_server.url, **{"locale": "en-GB", **context_options})
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: _record_console_error(page, message))
    page.on("pageerror", lambda error: page.problems.append(f"uncaught: {error}"))
    return page


def _record_console_error(page, message):
    if message.type != "error":
        return
    # An error page's own status (a 404 is the point of the 404 page) is
    # checked by the tests; only sub-resources are problems here.
    if message.text.startswith("Failed to load resource") and message.location.get("url") == page.url:
        return
    page.problems.append(message.text)


def close_page(page, nodeid):
    """Close the page's context; refuse a page that logged errors or CSP violations."""
    problems = list(page.problems)
    paths = save_artifacts(nodeid, page) if problems else []
    page.context.close()
    if problems:
        pytest.fail(f"The browser reported {problems} (artifacts: {', '.join(paths)})", pytrace=False)


@pytest.fixture
def page(browser, site_server, request):
    page = open_page(browser, site_server)
    yield page
    close_page(page, request.node.nodeid)


@pytest.fixture
def page_without_javascript(browser, site_server, request):
    """A visitor whose browser runs no script: every form must still work."""
    page = open_page(browser, site_server, java_script_enabled=False)
    yield page
    close_page(page, request.node.nodeid)


# --- Journey helpers ------------------------------------------------------------


def fill_by_label(page, label, value):
    page.get_by_label(label, exact=True).fill(value)


def select_by_label(page, label, option):
    page.get_by_label(label, exact=True).select_option(label=option)


def click_button(page, name):
    """Click the button a visitor would read as ``name``; wait for the page it leads to."""
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def axe_violations(page):
    """axe-core's WCAG 2.2 AA violations on the page as shown, summarised."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        # Evaluated by the driver, not added as a <script>: the page's CSP
        # rightly refuses inline scripts.
        page.evaluate(AXE_JS.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
    ]


def axe_check(page):
    violations = axe_violations(page)
    assert violations == [], f"axe-core found on {page.url}: {json.dumps(violations, indent=2)}"


# --- Artifacts of failures --------------------------------------------------------


def save_artifacts(name, page=None, html=None):
    """Write a screenshot and the HTML under test-artifacts/; return their paths."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150]
    paths = []
    if page is not None and not page.is_closed():
        screenshot = ARTIFACTS / f"{stem}.png"
        page.screenshot(path=screenshot, full_page=True)
        paths.append(screenshot)
        html = page.content() if html is None else html
    if html is not None:
        html_path = ARTIFACTS / f"{stem}.html"
        html_path.write_text(html)
        paths.append(html_path)
    return [str(path.relative_to(PROJECT_ROOT)) for path in paths]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        paths = []
        for name, value in getattr(item, "funcargs", {}).items():
            if type(value).__module__.startswith("playwright.") and hasattr(value, "screenshot"):
                paths += save_artifacts(f"{item.nodeid}-{name}", value)
        if paths:
            report.sections.append(("Browser artifacts", "\n".join(paths)))
    return report
