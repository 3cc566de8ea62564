"""Log lines cannot be forged by what visitors type, and name people only by hash."""

import logging
import sys

import pytest

from tests.together.test_settings import manage
from together.logs import SingleLineFormatter, escape_control_characters, login_client_str, pseudonymise

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


@pytest.mark.parametrize("logger", ["together.stories", "django.security.csrf"])
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
