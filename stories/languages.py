"""The languages a story can be written in.

Django's own list (the languages it is translated into) misses several that
refugees and migrants commonly write in, so a few are added. Regional variants
(en-gb, es-ar, ...) are left out: a story is "in Spanish", not "in Argentinian
Spanish". The code is stored on the story and becomes the ``lang`` attribute
of its text on the public page, so it must be a valid BCP 47 tag.
"""

from django.conf import global_settings
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy, gettext_noop

# Languages of many people seeking protection or work in Europe that Django
# itself is not translated into (names marked for extraction, translated on display).
_EXTRA_LANGUAGES = [
    ("am", gettext_noop("Amharic")),
    ("ha", gettext_noop("Hausa")),
    ("kmr", gettext_noop("Kurdish (Kurmanji)")),
    ("prs", gettext_noop("Dari")),
    ("ps", gettext_noop("Pashto")),
    ("rw", gettext_noop("Kinyarwanda")),
    ("so", gettext_noop("Somali")),
    ("ti", gettext_noop("Tigrinya")),
    ("yo", gettext_noop("Yoruba")),
]
_EXTRA_RTL = {"prs", "ps"}
_KEEP_VARIANTS = {"zh-hans", "zh-hant"}

# Sorted by English name; the names are translated when displayed.
STORY_LANGUAGES = [
    (code, gettext_lazy(name))
    for code, name in sorted(
        [
            (code, name)
            for code, name in global_settings.LANGUAGES
            if "-" not in code or code in _KEEP_VARIANTS
        ]
        + _EXTRA_LANGUAGES,
        key=lambda choice: choice[1],
    )
]

RTL_LANGUAGES = frozenset(code for code, info in LANG_INFO.items() if info.get("bidi")) | _EXTRA_RTL


def is_rtl(code):
    """True when text in the language ``code`` is written right to left."""
    return code in RTL_LANGUAGES
