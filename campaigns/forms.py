from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from campaigns.models import PledgeSource, SignUp, StandLink
from together.abuse import ProtectedForm, validate_not_disposable
from together.forms import ListSelect
from together.validators import NoWebAddressValidator


def country_choices():
    """Every country, named and sorted in the language of the page. A
    callable, so the list is made for each form, not once at import in
    whatever language was active then."""
    return [("", _("Choose your country")), *countries]


# Cells starting with these run as formulas when an export is opened in a
# spreadsheet; nobody's name starts with them.
FORMULA_STARTS = ("=", "+", "-", "@")


NAME_MAX_LENGTH = 100

# Names are shown publicly, and quoted in the email sent to confirm an
# address nobody has confirmed yet: no link in them.
validate_no_web_address_in_name = NoWebAddressValidator(
    _("Please enter your name without a web address."), code="name_has_web_address"
)


def validate_person_name(value):
    """A person's name as typed in a public form (pledge, sign-up)."""
    validate_no_web_address_in_name(value)
    if value.startswith(FORMULA_STARTS):
        raise ValidationError(
            _("A name cannot start with =, +, - or @. Please enter your name."),
            code="name_starts_with_symbol",
        )


class PledgeForm(ProtectedForm):
    """The public pledge form. Both opt-ins are off unless ticked.

    Who brought the visitor travels in hidden fields: ``partner`` (a partner's
    slug, from its link or widget) or ``stand`` (the token in a stand's QR
    code). Given the ``campaign``, they become the pledge's partner or event;
    anything unknown, expired or of another campaign is ignored, never an
    error (the pledge then counts as a direct visit)."""

    pledge_fields = ("name", "email", "country", "show_publicly", "message", "keep_informed", "source")

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        validators=[validate_not_disposable],
        help_text=_("We send you a link to confirm your pledge. Your address is never shown."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = LazyTypedChoiceField(
        label=_("Your country"),
        choices=country_choices,
        # ~250 options in one template loop, not one included template each.
        widget=ListSelect(attrs={"autocomplete": "country"}),
    )
    show_publicly = forms.BooleanField(
        label=_("Show my first name and country in the list of supporters"), required=False, label_suffix=""
    )
    message = forms.CharField(
        label=_("A short message (optional)"),
        max_length=280,
        required=False,
        help_text=_("Up to 280 characters. Shown publicly only after a moderator has read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    keep_informed = forms.BooleanField(
        label=_("Keep me informed about the campaign"), required=False, label_suffix=""
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    partner = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    stand = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, campaign=None, **kwargs):
        self.campaign = campaign
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean_source(self):
        """Where the pledge came from; an unknown value is ignored, not an error."""
        source = self.cleaned_data["source"]
        return source if source in PledgeSource.values else PledgeSource.CAMPAIGN_PAGE

    def clean_partner(self):
        slug = self.cleaned_data["partner"]
        if not (slug and self.campaign):
            return None
        return self.campaign.partners.filter(slug=slug).first()

    def clean_stand(self):
        token = self.cleaned_data["stand"]
        if not (token and self.campaign):
            return None
        link = StandLink.usable_from_token(token, StandLink.PHONE)
        return link.event if link and link.event.campaign_id == self.campaign.pk else None

    def pledge_details(self):
        """The cleaned values Pledge.submit() takes (not the protection fields)."""
        details = {name: self.cleaned_data[name] for name in self.pledge_fields}
        event = self.cleaned_data.get("stand")
        partner = None if event else self.cleaned_data.get("partner")
        return {**details, "partner": partner, "event": event}


class StandPledgeForm(PledgeForm):
    """The pledge form on a stand's kiosk (a tablet many people use in turn):
    nothing is suggested from the previous person (no autocomplete), and the
    attribution is the stand link's, not a hidden field."""

    pledge_fields = ("name", "email", "country", "show_publicly", "message", "keep_informed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "partner", "stand"):
            del self.fields[name]
        for field in self.fields.values():
            # Where HTML allows it: not on hidden fields or checkboxes (the
            # form's own autocomplete="off" covers those).
            if not (field.widget.is_hidden or isinstance(field.widget, forms.CheckboxInput)):
                field.widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs.update({"autocapitalize": "off", "spellcheck": "false"})

    def pledge_details(self):
        return {name: self.cleaned_data[name] for name in self.pledge_fields}


class SignUpForm(ProtectedForm, forms.ModelForm):
    """A person signs up for an event; saved through ``Event.register``,
    never with ``save()`` (the sign-up's email and status have rules)."""

    class Meta:
        model = SignUp
        fields = ["name", "email", "role", "nationality"]
        labels = {"name": _("Your name"), "email": _("Your email address")}
        help_texts = {
            "name": _("Only the organisers see it."),
            "email": _("We send you a link to confirm. We use it for this event only."),
            "nationality": _("Optional. The event page shows how many nationalities take part, never who."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "nationality": ListSelect,
        }

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, instance=SignUp(event=event), **kwargs)
        self.fields["email"].validators.append(validate_not_disposable)
        self.fields["name"].validators.append(validate_person_name)

    def clean(self):
        refusal = self.event.signups_refusal()
        if refusal:
            raise forms.ValidationError(refusal, code="signups_closed")
        return super().clean()

    def signup_details(self):
        """What ``Event.register`` takes from the form."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
