import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaigns.admin.translated import (
    TranslatedContentAdmin,
    form_fields,
    language_fieldsets,
    search_in_every_language,
)
from campaigns.models import Event, SignUp
from together.exports import csv_response
from together.refusals import Refusal

EVENT_LOCAL_TIMES = ["starts_at", "ends_at", "signups_open_at", "signups_close_at"]
EVENT_READONLY_FIELDS = ["places_taken"]
# The admin's sections, before language_fieldsets adds one per language;
# the form's fields are derived from them.
EVENT_FIELDSETS = [
    (None, {"fields": ["campaign", "title", "slug", "kind", "summary", "description"]}),
    (_("When"), {"fields": ["time_zone", "starts_at", "ends_at"]}),
    (_("Where"), {"fields": ["venue_name", "address", "latitude", "longitude"]}),
    (_("Sign-up"), {"fields": ["places", "places_taken", "signups_open_at", "signups_close_at"]}),
]


class EventAdminForm(forms.ModelForm):
    """Times are typed and shown in the event's own zone (a race in Brussels
    starts at 10:00 Brussels time, whoever edits it and from where).

    Django reads a typed time in the active zone; ``clean`` reads the same
    wall-clock time again in the zone chosen on the form."""

    class Meta:
        model = Event
        fields = form_fields(EVENT_FIELDSETS, EVENT_READONLY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in EVENT_LOCAL_TIMES:
                self.initial[name] = timezone.make_naive(getattr(self.instance, name), self.instance.zone)
        for name in EVENT_LOCAL_TIMES:
            self.fields[name].help_text = _("In the event's time zone.")

    def clean(self):
        cleaned_data = super().clean()
        zone_name = cleaned_data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in EVENT_LOCAL_TIMES:
                if cleaned_data.get(name):
                    wall_clock = timezone.make_naive(cleaned_data[name])
                    local = timezone.make_aware(wall_clock, zone)
                    cleaned_data[name] = local
                    setattr(self.instance, name, local)
        return cleaned_data


class SignUpInline(admin.TabularInline):
    """Who signed up, read-only: sign-ups change through their own actions."""

    model = SignUp
    fields = ["name", "email", "role", "nationality", "status", "confirmed_at"]
    readonly_fields = fields
    ordering = ["status", "confirmed_at", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(TranslatedContentAdmin):
    form = EventAdminForm
    list_display = ["title", "local_start", "kind", "places", "confirmed_count", "waiting_count"]
    list_filter = ["kind", "campaign"]
    search_fields = search_in_every_language(Event, ["title", "venue_name", "address"])
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = EVENT_READONLY_FIELDS
    inlines = [SignUpInline]
    actions = ["fill_free_places"]
    fieldsets = language_fieldsets(Event, EVENT_FIELDSETS)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("signups", filter=Q(signups__status=SignUp.Status.CONFIRMED)),
                waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
            )
        )

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, event):
        return event.format_local(event.starts_at)

    @admin.display(description=_("confirmed"), ordering="confirmed")
    def confirmed_count(self, event):
        return event.confirmed

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting_count(self, event):
        return event.waiting

    def save_model(self, request, obj, form, change):
        # places_taken moves while the form is open (people confirm): never
        # write back the copy loaded with the form.
        if change:
            obj.save(update_fields=[*form.Meta.fields, "updated_at"])
        else:
            obj.save()

    @admin.action(description=_("Give free places to the people waiting, in order"))
    def fill_free_places(self, request, queryset):
        promoted = 0
        for event in queryset:
            while event.promote_next():
                promoted += 1
        self.message_user(
            request,
            ngettext("%(count)d person got a place.", "%(count)d people got a place.", promoted)
            % {"count": promoted},
            messages.SUCCESS,
        )


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "role", "nationality", "status", "created_at", "confirmed_at"]
    list_filter = ["event", "status", "role"]
    list_select_related = ["event"]
    search_fields = ["name", "email"]
    readonly_fields = [
        "event",
        "email",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "promoted_at",
        "promoted_by",
        "cancelled_at",
    ]
    fields = ["event", "name", "email", "role", "nationality", *readonly_fields[2:]]
    actions = ["promote", "export_csv"]

    def has_add_permission(self, request):
        # People sign up themselves (and confirm their address).
        return False

    # Deleting goes through the model, so that a freed place is counted and
    # given to the next person waiting.
    def delete_model(self, request, obj):
        obj.remove()

    def delete_queryset(self, request, queryset):
        for signup in queryset:
            signup.remove()

    @admin.action(description=_("Give a place to the selected people waiting"))
    def promote(self, request, queryset):
        for signup in queryset.select_related("event"):
            try:
                signup.promote(by=request.user)
            except Refusal as error:
                failed = gettext("%(item)s: %(problem)s") % {"item": signup.name, "problem": error}
                self.message_user(request, failed, messages.ERROR)
            else:
                self.message_user(
                    request, _("%(name)s has a place and was told by email.") % {"name": signup.name}
                )

    @admin.action(description=_("Export the selected sign-ups as CSV"))
    def export_csv(self, request, queryset):
        header = [
            _("event"),
            _("name"),
            _("email"),
            _("role"),
            _("nationality"),
            _("status"),
            _("signed up"),
            _("confirmed"),
        ]
        rows = (
            [
                signup.event.title,
                signup.name,
                signup.email,
                signup.get_role_display(),
                signup.nationality.name,
                signup.get_status_display(),
                signup.created_at.isoformat(),
                signup.confirmed_at.isoformat() if signup.confirmed_at else "",
            ]
            for signup in queryset.select_related("event")
            .order_by("event__starts_at", "created_at")
            .iterator()
        )
        return csv_response("sign-ups.csv", header, rows)
