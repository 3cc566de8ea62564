"""together.forms.ListSelect: Django's select, without a template per option."""

import re

from django import forms

from together.forms import ListSelect

CHOICES = [("", "(not given)"), ("BE", "Belgium"), ("SY", "Syria & <others>")]


def without_blank_lines(html):
    return re.sub(r"\n\s*\n", "\n", html)


def test_list_select_writes_the_same_html_as_djangos_select():
    attrs = {"autocomplete": "country", "required": True}

    ours = ListSelect(attrs=attrs, choices=CHOICES).render("country", "SY")
    djangos = forms.Select(attrs=attrs, choices=CHOICES).render("country", "SY")

    assert without_blank_lines(ours) == without_blank_lines(djangos)
    assert '<option value="SY" selected>Syria &amp; &lt;others&gt;</option>' in ours


def test_a_value_listed_twice_is_selected_once_as_in_djangos_select():
    choices = [("BE", "Belgium"), ("SY", "Syria"), ("SY", "Syria again")]

    ours = ListSelect(choices=choices).render("country", "SY")
    djangos = forms.Select(choices=choices).render("country", "SY")

    assert without_blank_lines(ours) == without_blank_lines(djangos)
    assert ours.count(" selected") == 1


def test_without_a_value_the_empty_choice_is_selected_as_in_djangos_select():
    ours = ListSelect(choices=CHOICES).render("country", None)
    djangos = forms.Select(choices=CHOICES).render("country", None)

    assert without_blank_lines(ours) == without_blank_lines(djangos)
    assert ours.count(" selected") == 1
    assert '<option value="" selected>(not given)</option>' in ours
