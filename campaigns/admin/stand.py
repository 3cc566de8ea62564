"""Stand links: a coordinator makes one per tablet at an event's stand.

Made here (the creator recorded), revoked only through ``StandLink.revoke``
(the admin action, logged in the admin's history), never edited to move its
secret. The change page shows the kiosk's address to open on the tablet."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import StandLink
from together.refusals import Refusal


@admin.register(StandLink)
class StandLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "valid_from", "valid_until", "state", "kiosk_link"]
    list_filter = ["event", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["event"]
    search_fields = ["label", "event__title"]
    readonly_fields = ["kiosk_link", "created_at", "created_by", "revoked_at", "revoked_by"]
    fields = ["event", "label", "valid_from", "valid_until", *readonly_fields]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # The event of an existing link never changes: its pledges count there.
        return [*self.readonly_fields, "event"] if obj else self.readonly_fields

    @admin.display(description=_("state"))
    def state(self, link):
        return link.refusal() or gettext("Takes pledges now")

    @admin.display(description=_("kiosk address"))
    def kiosk_link(self, link):
        if not link.pk:
            return gettext("Shown once the link is saved.")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', link.kiosk_path(), gettext("Open the kiosk")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected stand links"))
    def revoke(self, request, queryset):
        for link in queryset.select_related("event"):
            try:
                link.revoke(by=request.user)
            except Refusal as error:
                self.message_user(
                    request,
                    gettext("%(item)s: %(problem)s") % {"item": link, "problem": error},
                    messages.ERROR,
                )
            else:
                self.log_change(request, link, gettext("Revoked."))
                self.message_user(request, gettext("%(item)s: revoked.") % {"item": link})
