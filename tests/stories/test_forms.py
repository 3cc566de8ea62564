"""The storyteller's forms speak the language of the page they are shown on."""

import pytest
from django.utils import translation

from stories.forms import StoryForm

# The story text's help, as each language writes it (numbers grouped its way).
BODY_HELP = {
    "en": "Between 200 and 20,000 characters.",
    "fr": "Entre 200 et 20\xa0000 caractères.",
    "es": "Entre 200 y 20\xa0000 caracteres.",
    "nl": "Tussen 200 en 20.000 tekens.",
    "ru": "От 200 до 20\xa0000 символов.",
    "zh-hans": "字数在200到20,000个字符之间。",
    "ar": "يجب أن يتراوح طول القصة بين 200 و20,000 من الأحرف.",
}


@pytest.mark.parametrize("language", BODY_HELP)
def test_story_text_help_is_in_the_language_the_form_is_shown_in(language):
    """It was formatted at import, so every language showed it in English."""
    with translation.override(language):
        help_text = str(StoryForm().fields["body"].help_text)

    assert help_text.endswith(BODY_HELP[language])


def test_suggested_topics_are_part_of_one_translated_sentence():
    with translation.override("fr"):
        help_text = str(StoryForm(suggested_tags=["famille", "travail"]).fields["tags"].help_text)

    assert help_text == (
        "Jusqu'à cinq mots ou courtes expressions, séparés par des virgules, par exemple "
        "«\u202ffamille, travail\u202f». Thèmes souvent utilisés\xa0: famille, travail"
    )
