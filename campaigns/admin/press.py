from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.admin.translated import TranslatedContentAdmin, language_fieldsets, search_in_every_language
from campaigns.models import PressRelease


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
    list_display = ["title", "published_at", "campaign"]
    list_filter = [PublicFilter, "campaign"]
    list_select_related = ["campaign"]
    search_fields = search_in_every_language(PressRelease, ["title", "summary", "body"])
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_at"
    fieldsets = language_fieldsets(
        PressRelease,
        [(None, {"fields": ["title", "slug", "published_at", "campaign", "summary", "body", "contact"]})],
    )
