from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.admin.translated import (
    TranslatedContentAdmin,
    form_fields,
    language_fieldsets,
    search_in_every_language,
)
from campaigns.models import Partner
from together.image_uploads import ImageUploadField, StoredImageAdmin

PARTNER_READONLY_FIELDS = ["current_logo"]
# The admin's sections, before language_fieldsets adds one per language;
# the form's fields are derived from them.
PARTNER_FIELDSETS = [
    (None, {"fields": ["name", "slug", "kind", "description", "website", "campaigns"]}),
    (_("Logo"), {"fields": ["current_logo", "logo", "remove_logo", "logo_alt"]}),
    (_("Display"), {"fields": ["position", "is_demo"]}),
]


class LogoField(ImageUploadField):
    """An image upload that says why an SVG logo is refused: logos are the
    one upload people often have as SVG."""

    def to_image(self, upload):
        try:
            return super().to_image(upload)
        except ValidationError as error:
            if error.code == "not_an_image" and _looks_like_svg(upload):
                raise ValidationError(
                    _(
                        "SVG logos are not accepted, because an SVG file can carry scripts. "
                        "Please export the logo as PNG (which keeps transparency), JPEG or WebP."
                    ),
                    code="not_an_image",
                ) from None
            raise


def _looks_like_svg(upload):
    """True when the start of the upload is SVG markup (only to word the error better)."""
    upload.seek(0)
    return b"<svg" in upload.read(4096).lower()


class PartnerAdminForm(forms.ModelForm):
    """The partner form, with a logo upload that only ``together.images`` opens.

    ``logo`` is not a model field: the upload is validated by its content and
    replaced by metadata-free renditions (``Partner.replace_logo``); the
    original file is never stored.
    """

    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "PNG (best for logos, keeps transparency), JPEG or WebP, ideally 480 pixels wide or more. "
            "Replaces the current logo."
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Partner
        fields = form_fields(PARTNER_FIELDSETS, PARTNER_READONLY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("logo") and cleaned_data.get("remove_logo"):
            raise ValidationError(
                _("Either upload a new logo or remove the current one, not both."), code="logo_conflict"
            )
        return cleaned_data


@admin.register(Partner)
class PartnerAdmin(StoredImageAdmin, TranslatedContentAdmin):
    form = PartnerAdminForm
    image_upload = ("logo", Partner.replace_logo)
    list_display = ["name", "kind", "position", "has_logo", "is_demo"]
    list_filter = ["kind", "is_demo", "campaigns"]
    search_fields = search_in_every_language(Partner, ["name", "description", "website"])
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = PARTNER_READONLY_FIELDS
    fieldsets = language_fieldsets(Partner, PARTNER_FIELDSETS)

    @admin.display(description=_("logo"), boolean=True)
    def has_logo(self, partner):
        return bool(partner.logo_renditions)

    @admin.display(description=_("current logo"))
    def current_logo(self, partner):
        if not partner.logo_renditions:
            return _("No logo yet.")
        fallback = partner.logo.fallback
        # A preview, not the full rendition: at most 160 pixels wide.
        scale = min(1, 160 / fallback.width)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            fallback.url,
            round(fallback.width * scale),
            round(fallback.height * scale),
            partner.logo_alt,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The form refuses a new logo together with its removal.
        if form.cleaned_data["remove_logo"]:
            obj.remove_logo()
