"""Every language's catalogue is complete, current, safe to format and compiled.

A reader of French must not meet English on the site: every string the code
marks must be in each catalogue and translated. A placeholder lost or renamed
in a translation would make the page fail for that language only, so they are
compared too. The compiled .mo files are committed (the site runs without
gettext), so they must say what the .po files say. And a catalogue can only
translate what is looked up whole: text formatted, joined or built in code
before the lookup stays English however complete the catalogues are.
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
    text_built_outside_gettext,
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


def test_code_builds_no_interface_text_outside_gettext():
    findings = text_built_outside_gettext(source_files())

    assert findings == [], "\n".join(str(finding) for finding in findings)


BUILT_BEFORE_TRANSLATION = """\
from django import forms
from django.contrib import messages
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

class ShareForm(forms.Form):
    body = forms.CharField(
        help_text=_("Between %(min)s and %(max)s characters.") % {"min": 200, "max": 20000},
    )
    note = forms.CharField(help_text=_("Up to {} topics.").format(5))
    count = ngettext_lazy("%(n)d topic", "%(n)d topics", "n") % {"n": 5}

def view(request, name, count, tags):
    gettext(f"Hello {name}")
    gettext("Hello %s" % name)
    gettext("Hello {}".format(name))
    gettext("Hello " + name)
    pgettext("greeting", f"Hello {name}")
    format_lazy("{} {}", _("Topics others often use:"), tags)
    gettext("Thanks") + " " + name
    f"{_('Thanks')} {name}"
    " ".join([_("Thanks"), name])
    messages.error(request, f"{name}: failed")
    messages.success(request, "%s stories published." % count)
"""

WRITTEN_RIGHT = """\
from django.contrib import messages
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

LABEL = _("Topics")
NAMES = [(code, _(name)) for code, name in [("fr", "French")]]

def body_help():
    return gettext("Between %(min)s and %(max)s characters.") % {"max": number_format(20000)}

HELP = lazy(body_help, str)()
TITLE = format_lazy(_("{name} on TOGETHER"), name="Amal")

def view(request, name, count):
    cannot = _("It is %(status)s.")
    messages.error(request, cannot % {"status": name})
    messages.success(request, ngettext("%(n)d story.", "%(n)d stories.", count) % {"n": count})
    messages.info(request, gettext("Hello {name}").format(name=name))
    ", ".join(name for name in [name, name])
"""


def test_text_built_outside_gettext_is_found_in_each_of_its_shapes(tmp_path):
    """The check above is only as good as its patterns: each way of building
    text before translating it (the share form's help was the first) is found."""
    module = tmp_path / "forms.py"
    module.write_text(BUILT_BEFORE_TRANSLATION)

    found = [(finding.line, finding.problem) for finding in text_built_outside_gettext([module])]

    assert found == [
        (9, "gettext_lazy() formatted by % formatting at import, so in English for everyone"),
        (11, "gettext_lazy() formatted by str.format() at import, so in English for everyone"),
        (12, "ngettext_lazy() formatted by % formatting at import, so in English for everyone"),
        (15, "gettext() is given a msgid made by an f-string"),
        (16, "gettext() is given a msgid made by % formatting"),
        (17, "gettext() is given a msgid made by str.format()"),
        (18, "gettext() is given a msgid made by + concatenation"),
        (19, "pgettext() is given a msgid made by an f-string"),
        (20, "format_lazy() joins fragments with a format that is not translated"),
        (21, "a translation joined to other text with +"),
        (22, "a translation put into an f-string"),
        (23, "translations joined with str.join() into one text"),
        (24, "a message for a person made by an f-string outside gettext"),
        (25, "a message for a person made by % formatting outside gettext"),
    ]


def test_text_translated_whole_then_formatted_is_not_found(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(WRITTEN_RIGHT)

    assert text_built_outside_gettext([module]) == []


def test_catalogues_live_inside_the_project():
    assert catalogue_path("fr").is_relative_to(PROJECT / "together" / "locale")
