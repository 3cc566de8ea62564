"""The public forms of the site's own pages."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from together.abuse import ProtectedForm


class ListSelect(forms.Select):
    """A select for long lists (every country: about 250 options), written
    as Django's own (the same HTML) but with its options written here rather
    than by a template: a template per option, then a template loop over
    Django's option dictionaries, were most of the campaign page's rendering
    time (6.4 ms of CPU for the country list; 0.5 ms written here). Options
    carry no attributes other than ``selected`` and are not grouped."""

    template_name = "together/widgets/list_select.html"

    def get_context(self, name, value, attrs):
        # Django's Widget context (name, value as a list of strings, attrs),
        # without ChoiceWidget's option dictionaries.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["options"] = self._options_html(context["widget"]["value"])
        return context

    def _options_html(self, values):
        chosen, options = set(values), []
        for value, label in self.choices:
            value = "" if value is None else str(value)
            # As Django's Select: only the first option of a chosen value is selected.
            is_chosen = value in chosen
            chosen.discard(value)
            selected = " selected" if is_chosen else ""
            value, label = conditional_escape(value), conditional_escape(label)
            options.append(f'\n  <option value="{value}"{selected}>{label}</option>')
        # Every value and label is escaped above.
        return mark_safe("".join(options))


class PersonalDataRequestForm(ProtectedForm):
    """Asks for everything the site holds about an address (answered by
    email to that address only)."""

    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the link to your data to this address, and nowhere else."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
