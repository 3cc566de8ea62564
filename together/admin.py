from django.contrib import admin

from together.models import OutboundEmail

# The site itself (titles, "view on site") is together.admin_site.TogetherAdminSite.


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only view of the outbox, to see what is stuck and why."""

    list_display = ["subject", "created_at", "sent_at", "attempts", "next_attempt_at", "body_erased_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "holds_private_link"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "to",
        "subject",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "holds_private_link",
        "body_erased_at",
    ]
    # The bodies carry private links (withdraw a story, confirm a pledge):
    # not shown, even to administrators.
    exclude = ["text_body", "html_body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

# The Redis queue's failed tasks (shown only when it is the task backend).
from together import rq_admin  # noqa: E402, F401
