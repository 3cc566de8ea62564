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
