"""Libraries' interface text that our catalogues translate wins over the
libraries' own (missing) translations, in every language of the site."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.together.catalogues import translated_languages
from together.library_strings import LIBRARY_STRINGS


@pytest.mark.parametrize("language", translated_languages())
def test_library_strings_are_translated_in_every_language(language):
    with translation.override(language):
        left_in_english = [text for text in LIBRARY_STRINGS if gettext(text) == text]

    assert left_in_english == []
