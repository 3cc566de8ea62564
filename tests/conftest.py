import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.browser.tools import SKIP_MESSAGE

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Every test writes media to its own folder, hashes passwords fast, and
    may send a form as soon as it is shown (tests of that limit set it)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FORM_MIN_SECONDS = 0
    cache.clear()  # rate-limit counters must not leak from one test to the next
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Every test starts in English. A request through LocaleMiddleware
    activates its language for the thread and leaves it active, so without
    this a test would speak the language of whatever ran before it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def test_templates(settings):
    """Make the test-only templates under tests/templates available (to every engine)."""
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]} for engine in settings.TEMPLATES
    ]


@pytest.fixture
def closed_port():
    """A local TCP port with nothing listening: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo_content(db, settings):
    """The content `make run` shows (the command refuses to run with DEBUG off)."""
    settings.DEBUG = True
    call_command("load_demo", stdout=None)
    settings.DEBUG = False


def pytest_collection_modifyitems(items):
    """Keep tests that empty the database in files of their own.

    A transactional test empties every table when it ends, including the rows
    that data migrations made (the Moderators group). pytest-django runs such
    tests last, and the suite hands whole files to its workers in that order
    (--no-loadscope-reorder in pyproject.toml), so a database test that shares
    a file with one would find those rows gone: the failure CI met once."""
    emptying, keeping = set(), set()
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        empties = marker.kwargs.get("transaction") and not marker.kwargs.get("available_apps")
        (emptying if empties else keeping).add(item.path)
    if mixed := emptying & keeping:
        names = ", ".join(sorted(str(path.name) for path in mixed))
        raise pytest.UsageError(f"Move transactional tests to a file of their own: {names}")


def pytest_terminal_summary(terminalreporter):
    """Say once, not once per test, why the browser tests did not run."""
    reasons = {
        report.longrepr[2]
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and SKIP_MESSAGE in report.longrepr[2]
    }
    for reason in reasons:
        terminalreporter.write_line(reason.removeprefix("Skipped: "), yellow=True, bold=True)
