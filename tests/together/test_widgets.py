"""together.widgets.QuickSelect renders exactly what Django's Select renders."""

import pytest
from django import forms
from django.utils import translation

from campaigns.forms import country_choices
from together.widgets import QuickSelect

GROUPED = [
    ("", "Choose <one>"),
    ("Fruit & more", [("apple", "Apple"), ("pear", 'Pear "Williams"')]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "BE", "SY"])
@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_quick_select_renders_the_country_list_as_django_s_select_does(language, value):
    attrs = {"autocomplete": "country", "required": True, "id": "id_country"}
    with translation.override(language):
        choices = country_choices()
        expected = forms.Select(attrs=attrs, choices=choices).render("country", value)
        assert QuickSelect(attrs=attrs, choices=choices).render("country", value) == expected


@pytest.mark.parametrize("value", [None, "pear", 3, ["apple", "pear"]])
def test_quick_select_renders_groups_escaping_and_boolean_attributes_as_django_does(value):
    attrs = {"disabled": False, "required": True, "data-x": 'a "b" <c>'}
    expected = forms.SelectMultiple(attrs=attrs, choices=GROUPED).render("fruit", value)
    quick = type("QuickSelectMultiple", (QuickSelect, forms.SelectMultiple), {})
    assert quick(attrs=attrs, choices=GROUPED).render("fruit", value) == expected
