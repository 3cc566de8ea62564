"""Every language's catalogue is complete, current, safe to format and compiled.

A reader of French must not meet English on the site: every string the code
marks must be in each catalogue and translated. A placeholder lost or renamed
in a translation would make the page fail for that language only, so they are
compared too. The compiled .mo files are committed (the site runs without
gettext), so they must say what the .po files say.
"""

import re

import polib
import pytest

from tests.together.catalogues import (
    PROJECT,
    catalogue_path,
    catalogue_strings,
    marked_strings,
    source_files,
    translated_languages,
    untranslated_or_fuzzy,
)

LANGUAGES = translated_languages()
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@pytest.fixture(scope="module")
def code_strings():
    return marked_strings(source_files())


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture
def catalogue(language):
    return polib.pofile(str(catalogue_path(language)))


def describe(pairs):
    lines = (f"{context + ' | ' if context else ''}{msgid!r}" for context, msgid in sorted(pairs, key=str))
    return "\n".join(lines)


def test_site_is_translated_into_the_six_un_languages_and_dutch():
    assert sorted(LANGUAGES) == ["ar", "es", "fr", "nl", "ru", "zh-hans"]


def test_catalogue_has_every_string_the_code_marks(catalogue, code_strings):
    missing = code_strings - catalogue_strings(catalogue)

    assert not missing, f"Run `make messages` and translate:\n{describe(missing)}"


def test_catalogue_has_no_string_the_code_dropped(catalogue, code_strings):
    dropped = catalogue_strings(catalogue) - code_strings

    assert not dropped, f"Run `make messages` to drop:\n{describe(dropped)}"


def test_catalogue_is_fully_translated_and_reviewed(catalogue):
    assert untranslated_or_fuzzy(catalogue) == []


def test_catalogue_translations_keep_the_placeholders(catalogue):
    broken = []
    for entry in catalogue:
        wanted = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            # A plural form may leave the number out ("one story"), never add a name.
            got = set(PLACEHOLDER.findall(text))
            if got - wanted or (not entry.msgid_plural and got != wanted):
                broken.append(entry.msgid)
    assert broken == []


def test_compiled_catalogue_matches_its_source(language, catalogue):
    compiled = polib.mofile(str(catalogue_path(language, "mo")))

    def translations(entries):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in entries
            if entry.msgid and not entry.obsolete
        }

    assert translations(compiled) == translations(catalogue.translated_entries())


def test_new_string_without_translation_is_found(tmp_path, code_strings):
    """The check above is only as good as the extraction: a string added to a
    template today must show up as missing."""
    template = tmp_path / "templates" / "new.html"
    template.parent.mkdir()
    template.write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody translated yet" %}</p>'
        '{% blocktranslate trimmed with n=3 %}\n  {{ n }} new lines\n{% endblocktranslate %}'
    )

    assert marked_strings([template]) - code_strings == {
        (None, "A sentence nobody translated yet"),
        (None, "%(n)s new lines"),
    }


def test_extraction_finds_strings_in_python_with_context(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _, pgettext_lazy, ngettext\n"
        "A = _('Pledge')\n"
        "B = pgettext_lazy('verb', 'Report')\n"
        "C = ngettext('%(n)d place', '%(n)d places', 2)\n"
    )

    assert marked_strings([module]) == {(None, "Pledge"), ("verb", "Report"), (None, "%(n)d place")}


def test_catalogues_live_inside_the_project():
    assert catalogue_path("fr").is_relative_to(PROJECT / "together" / "locale")
