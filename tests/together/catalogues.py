"""Read the translation catalogues and the strings the code marks, without gettext.

``makemessages`` needs GNU gettext; this finds the same strings in pure Python
so the catalogue tests run on any machine: templates go through Django's own
``templatize`` (the step makemessages takes before xgettext) and then, like
Python modules, through Babel's Python extractor.
"""

import io
from pathlib import Path

from babel.messages.extract import extract_python
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

PROJECT = Path(settings.BASE_DIR)
CATALOGUES = PROJECT / "together" / "locale"
# Where makemessages looks too (Makefile `messages`): the apps and templates.
SOURCE_FOLDERS = ["together", "stories", "campaigns", "templates"]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# Function name -> whether its first argument is a context (pgettext family).
KEYWORDS = {
    "_": False,
    "gettext": False,
    "gettext_lazy": False,
    "gettext_noop": False,
    "ngettext": False,
    "ngettext_lazy": False,
    "pgettext": True,
    "pgettext_lazy": True,
    "npgettext": True,
    "npgettext_lazy": True,
}


def translated_languages():
    """The site's languages other than English, the language of the source."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_path(language, suffix="po"):
    return CATALOGUES / to_locale(language) / "LC_MESSAGES" / f"django.{suffix}"


def source_files(folders=None):
    for folder in folders or [PROJECT / name for name in SOURCE_FOLDERS]:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                yield path


def marked_strings(paths):
    """The (context, msgid) pairs that ``paths`` mark for translation."""
    found = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            # templatize keeps the template's layout as placeholder text;
            # its indentation means nothing to Python, and unbalanced it
            # stops the tokenizer (xgettext does not mind), so drop it.
            text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
        for _line, function, message, _comments in extract_python(
            io.BytesIO(text.encode("utf-8")), KEYWORDS.keys(), [], {}
        ):
            parts = message if isinstance(message, tuple) else (message,)
            context, msgid = (parts[0], parts[1]) if KEYWORDS[function] else (None, parts[0])
            if msgid:
                found.add((context, msgid))
    return found


def catalogue_strings(catalogue):
    return {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}


def untranslated_or_fuzzy(catalogue):
    """The msgids a reader of this language would see in English."""
    return sorted(
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and ("fuzzy" in entry.flags or not entry.translated() or not all(entry.msgstr_plural.values()))
    )
