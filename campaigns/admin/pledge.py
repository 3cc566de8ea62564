from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from campaigns.models import Pledge
from together.exports import csv_response
from together.refusals import Refusal


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.confirmed()
        if self.value() == "no":
            return queryset.unconfirmed()
        return queryset


class MessageFilter(admin.SimpleListFilter):
    title = _("message")
    parameter_name = "message"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Waiting for approval")),
            ("approved", _("Approved")),
            ("none", _("No message")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.exclude(message="").filter(message_approved_at__isnull=True)
        if self.value() == "approved":
            return queryset.filter(message_approved_at__isnull=False)
        if self.value() == "none":
            return queryset.filter(message="")
        return queryset


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    """Pledges are read and moderated here, never edited: the counters are
    kept by the pledge's own methods, so deleting goes through withdraw()."""

    list_display = [
        "name",
        "country",
        "campaign",
        "source",
        "partner",
        "event",
        "is_confirmed",
        "show_publicly",
        "keep_informed",
        "message_status",
        "created_at",
    ]
    list_filter = [
        ConfirmedFilter,
        ("country", CountryFilter),
        "show_publicly",
        "keep_informed",
        "source",
        "partner",
        "event",
        MessageFilter,
        "campaign",
    ]
    list_select_related = ["campaign", "partner", "event"]
    search_fields = ["name", "email_normalised", "message"]
    date_hierarchy = "created_at"
    actions = ["approve_messages", "export_confirmed_csv"]
    fields = [
        "campaign",
        "name",
        "email",
        "country",
        "show_publicly",
        "keep_informed",
        "message",
        "message_approved_at",
        "message_approved_by",
        "source",
        "partner",
        "event",
        "language",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(boolean=True, description=_("confirmed"), ordering="confirmed_at")
    def is_confirmed(self, pledge):
        return pledge.is_confirmed

    @admin.display(description=_("message"))
    def message_status(self, pledge):
        if not pledge.message:
            return ""
        return _("approved") if pledge.message_approved_at else _("waiting")

    def delete_model(self, request, obj):
        obj.withdraw()

    def delete_queryset(self, request, queryset):
        for pledge in queryset:
            pledge.withdraw()

    @admin.action(description=_("Approve the selected pledges' messages"), permissions=["change"])
    def approve_messages(self, request, queryset):
        approved, refused = 0, []
        for pledge in queryset.select_related("campaign"):
            try:
                pledge.approve_message(by=request.user)
            except Refusal as error:
                refused.append(f"{pledge.name}: {error}")
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext("%(n)d message approved.", "%(n)d messages approved.", approved) % {"n": approved},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description=_("Export the selected confirmed pledges as CSV"), permissions=["view"])
    def export_confirmed_csv(self, request, queryset):
        """For organisers: an email appears only if its owner asked to be kept informed."""
        header = [
            _("Campaign"),
            _("Name"),
            _("Country"),
            _("Source"),
            _("Confirmed"),
            _("Listed publicly"),
            _("Keep informed"),
            _("Email (keep informed only)"),
            _("Message"),
        ]
        rows = (
            [
                pledge.campaign.slug,
                pledge.name,
                pledge.country.code,
                pledge.source,
                pledge.confirmed_at.isoformat(),
                pledge.show_publicly,
                pledge.keep_informed,
                pledge.email if pledge.keep_informed else "",
                pledge.message,
            ]
            for pledge in queryset.confirmed()
            .select_related("campaign")
            .order_by("pk")
            .iterator(chunk_size=2000)
        )
        return csv_response("confirmed-pledges.csv", header, rows)
