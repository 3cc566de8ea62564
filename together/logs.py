"""What reaches the logs: no personal data in clear, no forged lines.

Personal data is hashed: operators still need to tell whether two refusals
came from the same person, so the hash is stable (keyed with the secret key)
but not reversible.

Every record is written as one line (settings.LOGGING uses
SingleLineFormatter): a visitor's input in a message, such as a path with an
encoded line break, cannot start a line that passes for another record.

Every line is also redacted (:func:`redact`), whoever wrote it (Django's
request logs, the task worker, our code, and gunicorn's access and error
logs through :class:`GunicornLogger`): the token of every private link
(a story's manage link never expires: whoever reads it can withdraw the
story) becomes ``[private]``, and every IP address and email address is
hashed. The private routes are found in the URLconf
(:func:`together.middleware.private_url_patterns`), as for their headers.

Two shapes, one content (settings.LOG_FORMAT): ``plain`` lines for people,
``json`` objects (one per line, for a log collector) through
:class:`JsonFormatter`, whose every string is redacted the same way before
it is serialised (JSON escapes the control characters). Both carry the
request id (:class:`RequestIdFilter`): the id of the request being served,
or of the request that enqueued the task being run (together.tasks), and
the id of that task.
"""

import functools
import hashlib
import hmac
import ipaddress
import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls.resolvers import LocalePrefixPattern
from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from together.middleware import private_url_patterns, request_id, task_id

# C0 and C1 controls (CR, LF, ESC…), DEL, and the Unicode line and paragraph
# separators, which some log viewers also break lines on.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Begins every line of a traceback or stack, so none can pass for a record.
CONTINUATION = "    | "


def escape_control_characters(text):
    """``text`` with each control character written as its escape (``\\n``, ``\\x1b``)."""
    return CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


REDACTION = "[private]"
# Candidates only: each is checked with the ipaddress module before hashing,
# so times (07:20:31) and version numbers stay as they are.
IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:"
    r"\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"  # IPv4, maybe followed by :port
    r"|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w.]|:[\w.:])"  # IPv6
    r")"
)
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What a token in a logged path runs to: the next slash, query, space or quote.
PATH_SEGMENT = r"[^/\s?#\"'<>]+"


def _route_source(resolvers, pattern, group):
    """A regex (its source) finding the path of ``pattern`` up to its token,
    with any language prefix or none, its token captured as ``group``."""
    parts = []
    for entry in (*resolvers, pattern):
        source = entry.pattern.regex.pattern
        if isinstance(entry.pattern, LocalePrefixPattern):
            parts.append(r"(?:[\w-]+/)?")
            continue
        source = source.removeprefix("^").removesuffix(r"\Z")
        if entry is pattern:
            source = source[: source.index("(?P<token>")]
        parts.append(re.sub(r"\(\?P<\w+>", "(?:", source))
    return "/" + "".join(parts) + f"(?P<{group}>{PATH_SEGMENT})"


@functools.cache
def _private_path_regex():
    """Every private route's regex in one alternation (one scan of a line,
    not one per route: every access line is redacted), each token in a
    group of its own, ``token0``, ``token1``…"""
    routes = private_url_patterns()
    sources = dict.fromkeys(_route_source(resolvers, pattern, "{}") for resolvers, pattern in routes)
    alternatives = [source.replace("(?P<{}>", f"(?P<token{index}>") for index, source in enumerate(sources)]
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


def private_path_regex():
    """The private routes' regex, once Django is set up (gunicorn's master
    process logs before, and never a request path); None before or without
    any private route."""
    if not apps.ready:
        return None
    try:
        return _private_path_regex()
    except Exception:  # a record logged while the URLconf itself is loading
        return None


def _hash_ip(match):
    text = match.group()
    address = text.rstrip(":")  # "ip=2001:db8::1: refused" ends at the 1
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return text
    return f"ip:{pseudonymise(address)}" + text[len(address) :]


def _redact_token(match):
    return match.group()[: match.start(match.lastgroup) - match.start()] + REDACTION


def redact(text):
    """``text`` with private tokens replaced, IP and email addresses hashed."""
    regex = private_path_regex()
    if regex is not None:
        text = regex.sub(_redact_token, text)
    text = IP_CANDIDATE.sub(_hash_ip, text)
    if "@" not in text:  # no address to find (the search is slow on long words)
        return text
    return EMAIL_ADDRESS.sub(lambda match: redact_email(match.group()), text)


class SingleLineFormatter(logging.Formatter):
    """A record is one line, whatever its message holds; a traceback follows
    on lines that each start with ``CONTINUATION``. Every line is redacted."""

    def format(self, record):
        return redact(super().format(record))

    def formatMessage(self, record):
        return escape_control_characters(super().formatMessage(record))

    def formatException(self, ei):
        return self._continuation(super().formatException(ei))

    def formatStack(self, stack_info):
        return self._continuation(super().formatStack(stack_info))

    @staticmethod
    def _continuation(text):
        return "\n".join(CONTINUATION + escape_control_characters(line) for line in text.splitlines())


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line, every string in it redacted like a plain
    line (:func:`redact`) before serialisation, whatever field it is in
    (``extra`` ones too); non-ASCII is written escaped, so no character can
    break the line. The traceback is the ``exc_info`` field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"})
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data):
        return {key: redact_values(value) for key, value in log_data.items()}


def redact_values(value):
    """``value`` (a string, or a dict or list of them, nested) redacted;
    anything else but numbers and None as its redacted text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): redact_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_values(item) for item in value]
    return redact(str(value))


# --- Request ids --------------------------------------------------------------
# The context variables live in together.middleware (which sets them; this
# module imports it), re-exported here for the tasks and Sentry.


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` (``-`` when none) to every record
    (settings.LOGGING puts it on the handler, so every logger's records have them)."""

    def filter(self, record):
        record.request_id = request_id.get() or "-"
        record.task_id = task_id.get() or "-"
        return True


def pseudonymise(value):
    """A short keyed hash of an email address or IP address, for log lines."""
    try:
        key = settings.SECRET_KEY.encode()
    except ImproperlyConfigured:  # a process without Django's settings: no key, no hash
        return "unknown"
    digest = hmac.new(key, str(value).strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def redact_email(address):
    return f"email:{pseudonymise(address)}"


def login_client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a login attempt in the log (AXES_CLIENT_STR_CALLABLE):
    the username and address hashed, so repeated attempts still show as such."""
    return f"user:{pseudonymise(username or '')} ip:{pseudonymise(ip_address or '')}"


class GunicornLogger(Logger):
    """gunicorn's access and error logs, written like ours: one line per
    record, private tokens redacted, client addresses hashed (gunicorn
    writes the raw address of a malformed request), as JSON objects when
    LOG_FORMAT is json (the access line, with its request id, is then the
    ``message``). Set as ``logger_class`` in together/gunicorn.conf.py."""

    def _set_handler(self, log, output, fmt, stream=None):
        if log_format() == "json":
            formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        else:
            formatter = SingleLineFormatter(fmt._fmt, fmt.datefmt)
        super()._set_handler(log, output, formatter, stream)


def log_format():
    """settings.LOG_FORMAT, or ``plain`` in a process without Django's settings."""
    try:
        return settings.LOG_FORMAT
    except (ImproperlyConfigured, AttributeError):
        return "plain"
