"""What reaches the logs: no personal data in clear, no forged lines.

Personal data is hashed: operators still need to tell whether two refusals
came from the same person, so the hash is stable (keyed with the secret key)
but not reversible.

Every record is written as one line (settings.LOGGING uses
SingleLineFormatter): a visitor's input in a message, such as a path with an
encoded line break, cannot start a line that passes for another record.
"""

import hashlib
import hmac
import logging
import re

from django.conf import settings

# C0 and C1 controls (CR, LF, ESC…), DEL, and the Unicode line and paragraph
# separators, which some log viewers also break lines on.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Begins every line of a traceback or stack, so none can pass for a record.
CONTINUATION = "    | "


def escape_control_characters(text):
    """``text`` with each control character written as its escape (``\\n``, ``\\x1b``)."""
    return CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class SingleLineFormatter(logging.Formatter):
    """A record is one line, whatever its message holds; a traceback follows
    on lines that each start with ``CONTINUATION``."""

    def formatMessage(self, record):
        return escape_control_characters(super().formatMessage(record))

    def formatException(self, ei):
        return self._continuation(super().formatException(ei))

    def formatStack(self, stack_info):
        return self._continuation(super().formatStack(stack_info))

    @staticmethod
    def _continuation(text):
        return "\n".join(CONTINUATION + escape_control_characters(line) for line in text.splitlines())


def pseudonymise(value):
    """A short keyed hash of an email address or IP address, for log lines."""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def redact_email(address):
    return f"email:{pseudonymise(address)}"


def login_client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a login attempt in the log (AXES_CLIENT_STR_CALLABLE):
    the username and address hashed, so repeated attempts still show as such."""
    return f"user:{pseudonymise(username or '')} ip:{pseudonymise(ip_address or '')}"
