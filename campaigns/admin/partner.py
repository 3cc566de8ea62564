from django import forms
from django.contrib import admin, messages
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
from together.images import StorageUnavailable, clean_upload

PARTNER_READONLY_FIELDS = ["current_logo"]
# The admin's sections, before language_fieldsets adds one per language;
# the form's fields are derived from them.
PARTNER_FIELDSETS = [
    (None, {"fields": ["name", "slug", "kind", "description", "website", "campaigns"]}),
    (_("Logo"), {"fields": ["current_logo", "logo", "remove_logo", "logo_alt"]}),
    (_("Display"), {"fields": ["position", "is_demo"]}),
]


class PartnerAdminForm(forms.ModelForm):
    """The partner form, with a logo upload that only ``together.images`` opens.

    ``logo`` is not a model field: the upload is validated by its content and
    replaced by metadata-free renditions (``Partner.replace_logo``); the
    original file is never stored.
    """

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
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

    def clean_logo(self):
        """Return the upload as a clean ``PIL.Image``, or None when there is none."""
        upload = self.cleaned_data["logo"]
        if not upload:
            return None
        try:
            return clean_upload(upload)
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

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("logo") and cleaned_data.get("remove_logo"):
            raise ValidationError(
                _("Either upload a new logo or remove the current one, not both."), code="logo_conflict"
            )
        return cleaned_data


def _looks_like_svg(upload):
    """True when the start of the upload is SVG markup (only to word the error better)."""
    upload.seek(0)
    return b"<svg" in upload.read(4096).lower()


@admin.register(Partner)
class PartnerAdmin(TranslatedContentAdmin):
    form = PartnerAdminForm
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
        if form.cleaned_data["logo"]:
            try:
                obj.replace_logo(form.cleaned_data["logo"])
            except StorageUnavailable as error:  # the rest is saved; never a 500
                messages.error(request, error.admin_message)
        elif form.cleaned_data["remove_logo"]:
            obj.remove_logo()

    def delete_queryset(self, request, queryset):
        # One by one, so that each partner's logo files are deleted with it.
        for partner in queryset:
            partner.delete()
