from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from campaigns.admin.translated import (
    TranslatedContentAdmin,
    form_fields,
    language_fieldsets,
    search_in_every_language,
)
from campaigns.models import Campaign
from together.image_uploads import ImageUploadField, StoredImageAdmin

CAMPAIGN_READONLY_FIELDS = ["hero_image_preview", "confirmed_pledges", "confirmed_pledges_by_source"]
# The admin's sections, before language_fieldsets adds one per language;
# the form's fields are derived from them.
CAMPAIGN_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "title",
                "slug",
                "summary",
                "body",
                "objectives",
                "pledge_text",
                "pledge_goal",
                "starts_on",
                "ends_on",
                "is_active",
            ]
        },
    ),
    (_("Hero image"), {"fields": ["hero_image_preview", "hero_image", "hero_image_alt"]}),
    (_("Pledges"), {"fields": ["confirmed_pledges", "confirmed_pledges_by_source"]}),
]


class CampaignAdminForm(forms.ModelForm):
    hero_image = ImageUploadField(
        label=_("hero image"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP. Resized copies without any metadata are stored, never the file itself; "
            "uploading replaces the current image."
        ),
    )

    class Meta:
        model = Campaign
        fields = form_fields(CAMPAIGN_FIELDSETS, CAMPAIGN_READONLY_FIELDS)

    def clean(self):
        cleaned_data = super().clean()
        has_image = cleaned_data.get("hero_image") or (
            self.instance.pk and self.instance.hero_image_renditions
        )
        # English is the description every other language falls back to.
        if has_image and not cleaned_data.get("hero_image_alt_en"):
            self.add_error(
                "hero_image_alt_en",
                ValidationError(
                    _("Describe the hero image for people who cannot see it."), code="alt_required"
                ),
            )
        return cleaned_data


@admin.register(Campaign)
class CampaignAdmin(StoredImageAdmin, TranslatedContentAdmin):
    form = CampaignAdminForm
    image_upload = ("hero_image", Campaign.replace_hero_image)
    list_display = ["title", "starts_on", "ends_on", "is_active", "confirmed_pledges"]
    list_filter = ["is_active"]
    search_fields = search_in_every_language(Campaign, ["title", "summary"])
    # The address stays the same in every language: it comes from the English title.
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = CAMPAIGN_READONLY_FIELDS
    fieldsets = language_fieldsets(Campaign, CAMPAIGN_FIELDSETS)

    @admin.display(description=_("current hero image"))
    def hero_image_preview(self, campaign):
        if not campaign.hero_image_renditions:
            return _("None")
        return format_html('<img src="{}" alt="{}" width="240">', campaign.hero.url, campaign.hero_image_alt)

    @admin.display(description=_("confirmed pledges by source"))
    def confirmed_pledges_by_source(self, campaign):
        if not campaign.pk:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {}</li>", campaign.confirmed_pledges_by_source().items()),
        )
