"""The public forms of the site's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from together.abuse import ProtectedForm


class ListSelect(forms.Select):
    """A select for long lists (every country: about 250 options), written
    as Django's own but without including a template for each option: that
    was most of the campaign page's rendering time. Options carry no
    attributes other than ``selected``."""

    template_name = "together/widgets/list_select.html"


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
