"""The public campaign forms speak the language of the page they are shown on."""

import pytest
from django.utils import translation

from campaigns.forms import SignUpForm
from tests.campaigns.factories import EventFactory

# Django 6's own text for the empty choice, which Django translates into
# French only of the site's languages; together/library_strings.py has it.
NO_ROLE_CHOSEN = {
    "ar": "- اختاروا خياراً -",
    "zh-hans": "- 请选择 -",
    "fr": "- Choisir une option -",
    "ru": "- Выберите вариант -",
    "es": "- Elige una opción -",
    "nl": "- Kies een optie -",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", NO_ROLE_CHOSEN)
def test_sign_up_role_list_starts_with_an_empty_choice_in_the_pages_language(language):
    event = EventFactory()
    with translation.override(language):
        first_choice = str(SignUpForm(event=event).fields["role"].choices[0][1])

    assert first_choice == NO_ROLE_CHOSEN[language]
