"""Log lines cannot be forged by what visitors type, and name people only by hash."""

import json
import logging
import sys

import pytest
from django.urls import reverse
from django.utils import translation

from tests.stories.factories import StoryFactory
from tests.together.processes import manage
from together.logs import (
    JsonFormatter,
    SingleLineFormatter,
    escape_control_characters,
    login_client_str,
    pseudonymise,
    redact,
)
from together.middleware import private_url_patterns, url_arguments

FORGED = "\n2026-01-01 00:00:00,000 ERROR together Payment sent to attacker"
FORGED_ESCAPED = "\\n2026-01-01 00:00:00,000 ERROR together Payment sent to attacker"


def format_record(message, *args, exc_info=None):
    record = logging.LogRecord("together", logging.WARNING, __file__, 1, message, args, exc_info)
    return SingleLineFormatter("%(levelname)s %(name)s %(message)s").format(record)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("bell\x07 escape\x1b[31m", "bell\\x07 escape\\x1b[31m"),
        ("next line\x85", "next line\\x85"),
        ("line\u2028separator", "line\\u2028separator"),
        ("tab\tdel\x7f", "tab\\tdel\\x7f"),
        ("Zoë, ناصر, 李", "Zoë, ناصر, 李"),
    ],
)
def test_escape_control_characters_writes_them_as_escapes(text, escaped):
    assert escape_control_characters(text) == escaped


def test_formatter_keeps_user_input_in_message_on_one_line():
    line = format_record("Story refused for %s", f"Ana{FORGED}")

    assert line == f"WARNING together Story refused for Ana{FORGED_ESCAPED}"


def test_formatter_escapes_control_characters_in_the_message_itself():
    assert format_record(f"Raw {FORGED}") == f"WARNING together Raw {FORGED_ESCAPED}"


def test_formatter_indents_every_traceback_line_even_a_forged_one():
    try:
        raise ValueError(f"bad title{FORGED}")
    except ValueError:
        text = format_record("Import failed", exc_info=sys.exc_info())

    first, *traceback = text.splitlines()
    assert first == "WARNING together Import failed"
    assert traceback[0] == "    | Traceback (most recent call last):"
    assert all(line.startswith("    | ") for line in traceback)
    assert traceback[-1] == "    | 2026-01-01 00:00:00,000 ERROR together Payment sent to attacker"


@pytest.mark.parametrize("logger", ["together.stories", "django.security.csrf", "django.server"])
def test_configured_logging_writes_forged_input_on_one_line(logger):
    """settings.LOGGING, end to end, in development mode (where Django's own
    console handler would otherwise write django.* records a second time)."""
    script = f"import logging; logging.getLogger({logger!r}).warning('Refused %s', {'Ana' + FORGED!r})"

    result = manage("shell", "--no-imports", "-c", script)

    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(f"WARNING {logger} Refused Ana{FORGED_ESCAPED}")


def test_login_attempts_are_logged_with_hashed_username_and_address():
    text = login_client_str("ana", "203.0.113.7", "Firefox", "/admin/login/", None)

    assert text == f"user:{pseudonymise('ana')} ip:{pseudonymise('203.0.113.7')}"
    assert "ana" not in text
    assert "203.0.113.7" not in text


# --- Redaction: private tokens, IP and email addresses ---------------------------------

TOKEN = "MTIz:1sQ2aB:Zk3vJ9xq-P_ab"


def private_paths():
    """Each private route (found in the URLconf) as a path, in two languages."""
    for resolvers, pattern in private_url_patterns():
        name = ":".join([r.namespace for r in resolvers if r.namespace] + [pattern.name])
        kwargs = {**dict.fromkeys(url_arguments(pattern.pattern), "x"), "token": TOKEN}
        for language in ("en", "ar"):
            with translation.override(language):
                yield pytest.param(reverse(name, kwargs=kwargs), id=f"{name}-{language}")


@pytest.mark.parametrize("path", list(private_paths()))
@pytest.mark.parametrize(
    "written",
    [
        lambda path: f'"GET {path} HTTP/1.1" 200 512 0.01s',
        lambda path: f'"GET {path}?utm_source=mail HTTP/1.1" 200 512 0.01s',
        lambda path: f'"GET {path.rstrip("/")} HTTP/1.1" 301 0 0.01s',
        lambda path: f'"GET /{path.split("/", 2)[2]} HTTP/1.1" 302 0 0.01s',
        lambda path: f"Not Found: https://together.example{path}",
    ],
    ids=["request-line", "query", "no-trailing-slash", "no-language", "absolute-link"],
)
def test_private_token_in_a_logged_path_is_redacted(path, written):
    line = redact(written(path))

    assert TOKEN not in line
    assert "[private]" in line


def test_tokens_of_two_different_private_routes_in_one_line_are_both_redacted():
    paths = [param.values[0] for param in private_paths()]
    first, second = paths[0], next(path for path in paths if path.split("/")[2] != paths[0].split("/")[2])

    line = redact(f"{first} then {second}")

    assert line == f"{first} then {second}".replace(TOKEN, "[private]")
    assert TOKEN not in line


def test_public_paths_are_logged_as_they_are():
    line = '"GET /en/stories/manage/ HTTP/1.1" 200 / "GET /en/stories/a-story/ HTTP/1.1" 200'

    assert redact(line) == line


@pytest.mark.parametrize("address", ["203.0.113.7", "2001:db8::1", "::1", "::ffff:192.0.2.1"])
def test_ip_address_in_any_line_is_hashed(address):
    line = redact(f"Invalid request from ip={address}: Invalid HTTP method")

    assert line == f"Invalid request from ip=ip:{pseudonymise(address)}: Invalid HTTP method"


def test_times_and_version_numbers_are_not_taken_for_addresses():
    line = "2026-12-05 07:20:31,315 [12] Starting gunicorn 27.0.1 with Django 6.1.3"

    assert redact(line) == line


def test_email_address_in_any_line_is_hashed():
    line = redact("SMTPRecipientsRefused: {'amina@example.org': (550, b'No such user')}")

    assert "amina@example.org" not in line
    assert f"email:{pseudonymise('amina@example.org')}" in line


@pytest.mark.django_db
def test_django_request_log_of_a_manage_link_is_redacted(client, caplog):
    story = StoryFactory()
    url = reverse("stories:story_manage", args=[story.manage_token()])

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.put(url)

    (record,) = caplog.records
    line = SingleLineFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert story.manage_token() in record.getMessage()  # what Django wrote
    assert story.manage_token() not in line
    assert line == "WARNING django.request Method Not Allowed (PUT): /en/stories/manage/[private]/"


def test_task_log_quoting_a_private_link_is_redacted():
    link = f"http://x/en/pledge/confirm/{TOKEN}/"
    record = logging.LogRecord("django.tasks", logging.ERROR, __file__, 1, "Task failed: %s", (link,), None)

    assert (
        SingleLineFormatter("%(message)s").format(record)
        == "Task failed: http://x/en/pledge/confirm/[private]/"
    )


# --- JSON lines (LOG_FORMAT=json) -------------------------------------------------


def json_record(message, *args, exc_info=None, **extra):
    record = logging.LogRecord("together", logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    line = JsonFormatter("%(levelname)s %(name)s %(message)s").format(record)
    return line, json.loads(line)


def test_json_formatter_writes_one_object_on_one_line():
    line, data = json_record("Story refused for %s", f"Ana{FORGED}\u2028\x85")

    assert len(line.splitlines()) == 1
    assert [character for character in line if not character.isascii()] == []
    assert data == {
        "level": "WARNING",
        "logger": "together",
        "message": f"Story refused for Ana{FORGED}\u2028\x85",
    }


def test_json_formatter_hashes_addresses_and_redacts_private_links_in_the_message():
    _, data = json_record(
        "Email to %s from %s failed: %s", "zoë@example.org", "203.0.113.7", f"/en/pledge/confirm/{TOKEN}/"
    )

    assert data["message"] == (
        f"Email to email:{pseudonymise('zoë@example.org')} from ip:{pseudonymise('203.0.113.7')}"
        " failed: /en/pledge/confirm/[private]/"
    )


def test_json_formatter_redacts_extra_fields_too():
    _, data = json_record("Refused", client={"address": "203.0.113.7", "emails": ["amina@example.org"]})

    assert data["client"] == {
        "address": f"ip:{pseudonymise('203.0.113.7')}",
        "emails": [f"email:{pseudonymise('amina@example.org')}"],
    }


def test_json_formatter_puts_the_traceback_in_one_field():
    try:
        raise ValueError("amina@example.org")
    except ValueError:
        line, data = json_record("Import failed", exc_info=sys.exc_info())

    assert len(line.splitlines()) == 1
    assert data["exc_info"].startswith("Traceback (most recent call last):")
    assert data["exc_info"].endswith(f"ValueError: email:{pseudonymise('amina@example.org')}")


def test_configured_json_logging_writes_the_request_and_task_ids():
    script = "import logging; logging.getLogger('together').warning('Refused %s', 'amina@example.org')"

    result = manage("shell", "--no-imports", "-c", script, LOG_FORMAT="json")

    (line,) = result.stderr.splitlines()
    data = json.loads(line)
    assert data["message"] == f"Refused email:{pseudonymise('amina@example.org')}"
    fields = (data["level"], data["logger"], data["request_id"], data["task_id"])
    assert fields == ("WARNING", "together", "-", "-")
