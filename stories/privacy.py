"""Spotting details in a story that could identify or locate a person.

Moderators read every story before it is published; these hints point them
to what is easy to miss in a long text: an email address, a phone number, a
web link, something that looks like a street address. They are hints, not
verdicts: a moderator decides what to redact (see ``Story.redact``).

Pure functions, no Django model access, so they are cheap to test with
examples.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "email": _("email address"),
    "phone": _("phone number"),
    "url": _("web link"),
    "address": _("street address"),
}

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Links with a scheme or www., and bare domains with a path (example.org/me).
_URL = (
    r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|be|uk|de|fr|nl|it|es|eu|me|io)/(?:[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?"
)
# International (+32 2 287 74 12, 0032 2 287 74 12, +44 (0)20 7946 0958) and
# national numbers starting with 0 (02 287 74 12, 020 7946 0958).
_PHONE = (
    r"(?<![\w+])(?:(?:\+|00)[1-9]\d{0,2}[\s./-]?(?:\(0\)[\s./-]?)?|0)"
    r"\(?\d{1,4}\)?(?:[\s./-]?\d{2,4}){1,5}(?!\w)"
)
_STREET_WORDS = r"street|st\.|road|rd\.|avenue|ave\.|lane|boulevard|blvd\.?|drive|square|place|close|way"
_STREET_PREFIXES = (
    r"rue|avenue|boulevard|chaussée|place|quai|via|viale|piazza|calle|avenida|plaza|rua"
    r"|straße|strasse|str\.|weg|gasse|allee|platz|straat|laan|plein|ulica"
)
# "221B Baker Street", "Rue de la Loi 200", "Kastanienallee 5", "Via Roma, 12".
_ADDRESS = (
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-ZÀ-Ý][\w'\u2019-]*\s+){{1,3}}(?:{_STREET_WORDS})(?!\w)"
    rf"|\b(?:{_STREET_PREFIXES})\s+(?:[\w'\u2019-]+\s+){{0,4}}?[\w'\u2019-]+,?\s+\d{{1,4}}[a-z]?\b"
    rf"|\b[A-ZÄÖÜ][\wäöüß]+(?:straße|strasse|str\.|weg|gasse|allee|platz|straat|laan|plein)\s*\d{{1,4}}[a-z]?\b"
)

# Earlier kinds win where matches overlap (an email's domain is not a link).
_PATTERNS = [
    ("email", re.compile(_EMAIL)),
    ("url", re.compile(_URL, re.IGNORECASE)),
    ("phone", re.compile(_PHONE)),
    ("address", re.compile(_ADDRESS, re.IGNORECASE)),
]
# A national number needs this many digits, so that dates (01.02.2016) and
# ordinary numbers are not taken for phone numbers.
_MIN_PHONE_DIGITS = 9


@dataclass(frozen=True)
class Hint:
    kind: str
    text: str
    start: int
    end: int

    @property
    def label(self):
        return KIND_LABELS[self.kind]


def find_privacy_hints(text):
    """The spans of ``text`` that look like personal contact details, in order.

    Returns a list of :class:`Hint` (``kind`` is one of ``email``, ``url``,
    ``phone``, ``address``; ``start``/``end`` index into ``text``). Spans never
    overlap."""
    hints = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            if kind == "phone" and sum(c.isdigit() for c in match.group()) < _MIN_PHONE_DIGITS:
                continue
            if any(match.start() < hint.end and hint.start < match.end() for hint in hints):
                continue
            hints.append(Hint(kind, match.group(), match.start(), match.end()))
    return sorted(hints, key=lambda hint: hint.start)


def mark_privacy_hints(text):
    """``text`` escaped for HTML, with each hint wrapped in ``<mark>``."""
    parts, position = [], 0
    for hint in find_privacy_hints(text):
        parts.append(escape(text[position : hint.start]))
        parts.append(f'<mark class="privacy-hint" title="{escape(hint.label)}">{escape(hint.text)}</mark>')
        position = hint.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece of text is escaped above


def count_privacy_hints(*texts):
    """How many hints the ``texts`` contain together (a story stores the
    count of its checked fields on save: ``Story.privacy_hint_count``)."""
    return sum(len(find_privacy_hints(text)) for text in texts)
