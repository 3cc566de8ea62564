"""Readers' reports and the moderation log, read only (a report is only marked
as handled)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stories.models import (
    ModerationLogEntry,
    Report,
)

# --- Reports and the log --------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["story", "reason", "created_at", "handled_at"]
    list_filter = [("handled_at", admin.EmptyFieldListFilter), "reason"]
    list_select_related = ["story"]
    fields = readonly_fields = ["story_link", "reason", "comment", "created_at", "handled_at", "handled_by"]
    actions = ["mark_handled"]
    date_hierarchy = "created_at"

    @admin.display(description=_("story"))
    def story_link(self, report):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:stories_story_change", args=[report.story_id]), report.story
        )

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.mark_handled(by=request.user)
        messages.success(request, gettext("%(count)s report(s) marked as handled.") % {"count": count})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    """The whole moderation log, read only."""

    list_display = [
        "created_at",
        "story",
        "action",
        "translation_language",
        "from_status",
        "to_status",
        "actor",
        "by_storyteller",
    ]
    list_filter = ["action", "by_storyteller", "translation_language"]
    list_select_related = ["story", "actor"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [*list_display, "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
