"""Finding interface text left in English on a page in another language.

The words looked for come from the catalogues: every msgid a catalogue
translates into something else must not appear, as written, on a page in
that language. Shared by the language checks and the audits (public pages,
admin pages), which look at the text a reader sees (VISIBLE_TEXT_JS).
"""

import html
import re
from pathlib import Path

import django
import polib
from django.utils.translation import to_locale

from tests.together.catalogues import catalogue_path

# Placeholders of Python formats and the tags some messages carry: the page
# shows something else there, so only the text between them is looked for.
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}|<[^>]*>")
# Shorter words are too often the same in another language or in a name.
MIN_WORDS, MIN_LETTERS = 2, 8

# The page's text a reader sees in the page's language: text inside an
# element whose lang says it is another language (a story written in
# English, a language's own name in the switcher) is left out, and so is
# text people wrote, which the pages isolate (<bdi>, dir="auto": a topic
# named "language", a story's text in a form field).
VISIBLE_TEXT_NODES_JS = """
() => {
  const pageLanguage = document.documentElement.getAttribute("lang").toLowerCase();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest("script, style, template, textarea, bdi, [dir=auto]")) continue;
    if (element.closest("[lang]").getAttribute("lang").toLowerCase() !== pageLanguage) continue;
    if (!element.checkVisibility()) continue;
    parts.push(walker.currentNode.textContent);
  }
  return parts;
}
"""
VISIBLE_TEXT_JS = f"""() => ({VISIBLE_TEXT_NODES_JS.strip()})().join(" ").replace(/\\s+/g, " ")"""


def rendered_fragments(msgid):
    """The parts of an English message a page shows as written: the text
    between its placeholders and tags, long enough not to be a chance hit."""
    for fragment in PLACEHOLDER_OR_TAG.split(html.unescape(msgid)):
        fragment = " ".join(fragment.split()).strip(" ,.:;!?()“”\"'")
        if len(fragment.split()) >= MIN_WORDS or sum(letter.isalpha() for letter in fragment) >= MIN_LETTERS:
            yield fragment


def english_interface_text(language, catalogues=()):
    """Every fragment of English our catalogue of ``language`` (and the
    other ``catalogues`` of it) translates into something else: a page in
    that language must not show it."""
    fragments = set()
    entries = [entry for path in [catalogue_path(language), *catalogues] for entry in polib.pofile(str(path))]
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        translations = {entry.msgid: entry.msgstr}
        if entry.msgid_plural:
            translations = {entry.msgid: entry.msgstr_plural.get(0, ""), entry.msgid_plural: ""}
            translations[entry.msgid_plural] = entry.msgstr_plural.get(1, translations[entry.msgid])
        for msgid, msgstr in translations.items():
            if msgstr and msgstr != msgid:
                fragments.update(rendered_fragments(msgid))
    return fragments


def shows(text, fragment):
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None




def english_left(text, fragments):
    """The fragments of English interface text that ``text`` shows, sorted."""
    return sorted(fragment for fragment in fragments if shows(text, fragment))


def whole_english_messages(language, every_message_of=()):
    """The English messages without placeholder or tag that our catalogue
    of ``language`` translates into something else, however short ("Run"),
    and every such message of the catalogues ``every_message_of`` (a
    library's English ones: on a page in Arabic none of them is right as it
    is). An element whose whole text is one of them is English left, where
    the fragments above must be long not to match by chance."""

    def plain(text):
        return not PLACEHOLDER_OR_TAG.search(text) and sum(letter.isalpha() for letter in text) >= 2

    messages = set()
    for entry in polib.pofile(str(catalogue_path(language))):
        text = " ".join(html.unescape(entry.msgid).split())
        translated = entry.msgstr and entry.msgstr != entry.msgid and "fuzzy" not in entry.flags
        if translated and plain(text) and not entry.obsolete:
            messages.add(text)
    for path in every_message_of:
        messages.update(
            text
            for entry in polib.pofile(str(path))
            if plain(text := " ".join(html.unescape(entry.msgid).split())) and not entry.obsolete
        )
    return messages


def whole_english_left(text_nodes, messages):
    """The text nodes (as VISIBLE_TEXT_NODES_JS gives them) that are wholly
    one of the English ``messages``, sorted."""
    return sorted({" ".join(node.split()) for node in text_nodes} & messages)


def django_admin_catalogues(language):
    """Django's own catalogues that the admin speaks with (its forms and the
    admin app): the admin pages must not show their English either."""
    root = Path(django.__file__).parent
    folders = [root / "conf" / "locale", root / "contrib" / "admin" / "locale"]
    return [folder / to_locale(language) / "LC_MESSAGES" / "django.po" for folder in folders]
