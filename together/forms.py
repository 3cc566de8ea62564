"""The public forms of the site's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from together.abuse import ProtectedForm


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
