from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from campaigns.admin.translated import (
    TranslatedContentAdmin,
    form_fields,
    language_fieldsets,
    search_in_every_language,
)
from campaigns.models import MediaKitItem, MediaKitItemKind, PressContact, PressRelease
from together.image_uploads import ImageUploadField, StoredImageAdmin


class PublicFilter(admin.SimpleListFilter):
    """Public or not, by the one definition of public: ``PressRelease.objects.published()``."""

    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Public")), ("no", _("Draft or scheduled"))]

    def queryset(self, request, queryset):
        published = PressRelease.objects.published()
        if self.value() == "yes":
            return queryset.filter(pk__in=published)
        if self.value() == "no":
            return queryset.exclude(pk__in=published)
        return queryset


@admin.register(PressRelease)
class PressReleaseAdmin(TranslatedContentAdmin):
    list_display = ["title", "published_at", "status", "campaign"]
    list_filter = [PublicFilter, "campaign"]
    list_select_related = ["campaign"]
    search_fields = search_in_every_language(PressRelease, ["title", "summary", "body"])
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_at"
    filter_horizontal = ["contacts"]
    fieldsets = language_fieldsets(
        PressRelease,
        [
            (
                None,
                {
                    "fields": [
                        "title",
                        "slug",
                        "published_at",
                        "campaign",
                        "summary",
                        "body",
                        "contacts",
                        "contact",
                    ]
                },
            )
        ],
    )

    @admin.display(description=_("status"))
    def status(self, press_release):
        """Public, embargoed until its time, or a draft (as ``published()`` sees it now)."""
        if press_release.published_at is None:
            return _gettext("Draft")
        if press_release.is_public:
            return _gettext("Public")
        when = date_format(timezone.localtime(press_release.published_at), "DATETIME_FORMAT")
        return _gettext("Embargoed until %(time)s") % {"time": when}


@admin.register(PressContact)
class PressContactAdmin(TranslatedContentAdmin):
    list_display = ["name", "role", "email", "phone", "languages"]
    search_fields = ["name", "email", "phone", *search_in_every_language(PressContact, ["role"])]
    fieldsets = language_fieldsets(
        PressContact, [(None, {"fields": ["name", "role", "email", "phone", "languages"]})]
    )


MEDIA_KIT_READONLY_FIELDS = ["current_image"]
MEDIA_KIT_FIELDSETS = [
    (None, {"fields": ["campaign", "kind", "current_image", "image", "caption", "alt_text"]}),
    (_("Credit and consent"), {"fields": ["credit", "usage", "consent"]}),
    (_("Display"), {"fields": ["position"]}),
]


class MediaKitItemAdminForm(forms.ModelForm):
    """The upload is validated by its content and stored as metadata-free
    renditions (``MediaKitItem.replace_image``); the original is never kept."""

    image = ImageUploadField(
        label=_("Image"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, as large as you have it (up to 1600 pixels wide is kept). "
            "Resized copies without any metadata are stored, never the file itself."
        ),
    )

    class Meta:
        model = MediaKitItem
        fields = form_fields(MEDIA_KIT_FIELDSETS, MEDIA_KIT_READONLY_FIELDS)

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("image") and not (self.instance.pk and self.instance.image_renditions):
            self.add_error("image", ValidationError(_("Upload the image."), code="required"))
        is_photo = cleaned_data.get("kind") == MediaKitItemKind.PHOTO
        if is_photo and not cleaned_data.get("consent_en"):
            self.add_error(
                "consent_en",
                ValidationError(
                    _("Say under which consent this photo may be used (the people shown, its author)."),
                    code="consent_required",
                ),
            )
        return cleaned_data


@admin.register(MediaKitItem)
class MediaKitItemAdmin(StoredImageAdmin, TranslatedContentAdmin):
    form = MediaKitItemAdminForm
    image_upload = ("image", MediaKitItem.replace_image)
    list_display = ["caption", "campaign", "kind", "credit", "usage", "position"]
    list_filter = ["campaign", "kind", "usage"]
    list_select_related = ["campaign"]
    search_fields = ["credit", *search_in_every_language(MediaKitItem, ["caption", "alt_text"])]
    readonly_fields = MEDIA_KIT_READONLY_FIELDS
    fieldsets = language_fieldsets(MediaKitItem, MEDIA_KIT_FIELDSETS)

    @admin.display(description=_("current image"))
    def current_image(self, item):
        fallback = item.image.jpeg_up_to(480)
        if fallback is None:
            return _gettext("No image yet.")
        return format_html('<img src="{}" width="240" alt="{}">', fallback.url, item.alt_text)
