"""The moderators' workplace for stories: the queue, and the change page with
its preview, privacy hints and moderation buttons (:mod:`stories.admin.actions`).

Every change of status goes through a method of Story (publish, decline, ...)
and every correction through ``Story.redact``, so all of it is logged; the
admin never sets a status itself. Opening a page (GET) never changes
anything.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from stories.admin.actions import (
    HELD_BY_OTHER,
    MODERATION_ACTIONS,
    DeclineForm,
    ModerationActionsMixin,
    apply_to_each,
    offered_actions,
)
from stories.admin.queue import QUEUE_FILTERS, UNSAFE_IN_BULK, QueueColumnsMixin
from stories.forms import TopicsField, in_model_order
from stories.models import (
    MODERATOR_EDITABLE_FIELDS,
    PRIVACY_CHECKED_FIELDS,
    QUEUE_ORDER,
    IllegalTransition,
    ModerationLogEntry,
    Report,
    Story,
    StoryRevision,
)
from stories.privacy import find_privacy_hints

Status = Story.Status


# --- List filters ----------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """Status, with the number of stories in each (one query)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(Story.objects.order_by().values_list("status").annotate(count=Count("pk")))
        return [(status, f"{label} ({counts.get(status, 0)})") for status, label in Status.choices]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        count = Report.objects.open().values("story").distinct().count()
        return [("open", _("Open reports (%(count)s)") % {"count": count}), ("none", _("No open report"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(is_reported=True)
        if self.value() == "none":
            return queryset.filter(is_reported=False)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Country of origin or of residence, among those stories have."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        used = Story.objects.used_countries()
        return [(code, name) for code, name in countries if code in used]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        return queryset.filter(Q(country_of_origin=code) | Q(country_of_residence=code))


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        used = Story.objects.used_languages()
        return [(code, name) for code, name in Story._meta.get_field("language").choices if code in used]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class TagFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"
    # Topics are people's words, in any script: each isolated with <bdi>.
    template = "admin/stories/people_text_filter.html"

    def lookups(self, request, model_admin):
        return [(tag.slug, tag.name) for tag in Story.objects.used_tags()]

    def queryset(self, request, queryset):
        return queryset.filter(tagged_items__tag__slug=self.value()) if self.value() else queryset


# --- Inlines -----------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(ReadOnlyInline):
    model = Report
    fields = readonly_fields = ["created_at", "reason", "comment", "handled_at", "handled_by"]


class ModerationLogInline(ReadOnlyInline):
    model = ModerationLogEntry
    fields = readonly_fields = [
        "created_at",
        "action",
        "translation_language",
        "from_status",
        "to_status",
        "actor",
        "by_storyteller",
        "note",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- The story admin ----------------------------------------------------------------


class StoryAdminForm(forms.ModelForm):
    """What a moderator may correct (saved through ``Story.redact``). When
    someone else holds the story, saving needs ``override_claim`` (the
    admin sets ``moderator``, the person saving)."""

    remove_photo = forms.BooleanField(
        label=_("Remove the photo"),
        required=False,
        help_text=_("Deletes every stored size of the photo, for instance when it shows a face or a place."),
    )
    override_claim = forms.BooleanField(required=False)
    moderator = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim_holder = None
        if self.moderator is not None and self.instance.pk is not None:
            self.claim_holder = self.instance.held_by_other(self.moderator)
        if self.claim_holder is not None:
            self.fields["override_claim"].label = _(
                "I know that %(name)s is working on this story, and I want to go ahead."
            ) % {"name": self.claim_holder.get_username()}

    class Meta:
        model = Story
        # What a moderator may correct, the topics included; the photo is
        # only removed (remove_photo), never uploaded here.
        fields = in_model_order(Story, MODERATOR_EDITABLE_FIELDS - {"photo_renditions"} | {"tags"})
        # Topics split and checked as on the storyteller's form (any script).
        field_classes = {"tags": TopicsField}

    def clean(self):
        cleaned_data = super().clean()
        story = self.instance
        if self.claim_holder is not None and not cleaned_data.get("override_claim"):
            self.add_error(
                "override_claim",
                ValidationError(
                    _("Someone else is working on this story: confirm that you want to go ahead."),
                    code="claimed",
                ),
            )
        if story.is_minor and cleaned_data.get("naming", story.naming) != Story.Naming.ANONYMOUS:
            self.add_error(
                "naming",
                ValidationError(
                    _("A story by someone under 18 can only be published anonymously."),
                    code="minor_anonymous",
                ),
            )
        return cleaned_data


@admin.register(Story)
class StoryAdmin(QueueColumnsMixin, ModerationActionsMixin, admin.ModelAdmin):
    form = StoryAdminForm
    list_display = [
        "__str__",
        "status",
        "open_reports",
        # The queue's columns (stories.admin.queue).
        "needs_care",
        "privacy_hints",
        "reply",
        "waiting",
        "claim",
        "language",
        "is_featured",
    ]
    list_select_related = ["claimed_by"]
    list_filter = [
        StatusFilter,
        ReportedFilter,
        *QUEUE_FILTERS,
        "teller_role",
        LanguageFilter,
        CountryFilter,
        TagFilter,
        "is_featured",
    ]
    search_fields = ["title", "body", "name"]
    list_per_page = 50
    actions = ["publish_selected", "decline_selected"]
    inlines = [ReportInline, ModerationLogInline]
    moderation_actions = MODERATION_ACTIONS
    readonly_fields = [
        "status",
        "slug",
        "submitted_at",
        "published_at",
        "decided_at",
        "is_featured",
        "decline_reason_code",
        "decline_note",
        "storyteller_reply",
        "replied_at",
        "teller_role",
        "about_person_consent",
        "country_of_origin",
        "country_of_residence",
        "language",
        "is_minor",
        "guardian_consent",
        "photo_people_consented",
        "email",
        "site_language",
        "consent_version",
        "consented_at",
        # Only the storyteller chooses where the story may appear (private page).
        "sharing",
        "sharing_consent_version",
        "sharing_chosen_at",
        "erased_at",
    ]
    fieldsets = [
        (
            _("Status"),
            {"fields": ["status", "slug", "submitted_at", "published_at", "decided_at", "is_featured"]},
        ),
        (
            _("Correct before publishing"),
            {
                "description": _("Saving records your corrections in the moderation log."),
                "fields": ["title", "body", "content_note", "naming", "name", "city_or_region", "tags"],
            },
        ),
        (_("Photo"), {"fields": ["photo_alt_text", "photo_people_consented", "remove_photo"]}),
        (
            _("About the storyteller (private)"),
            {
                "fields": [
                    "teller_role",
                    "about_person_consent",
                    "country_of_origin",
                    "country_of_residence",
                    "language",
                    "is_minor",
                    "guardian_consent",
                    "email",
                    "site_language",
                    "consent_version",
                    "consented_at",
                    "sharing",
                    "sharing_consent_version",
                    "sharing_chosen_at",
                ]
            },
        ),
        (
            _("Decision"),
            {
                "fields": [
                    "decline_reason_code",
                    "decline_note",
                    "storyteller_reply",
                    "replied_at",
                    "erased_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The queue's annotations and order (Story.objects.moderation_queue).
        return Story.objects.moderation_queue()

    def get_ordering(self, request):
        # The queue: answered declines first, then open reports, then pending
        # stories, each longest waiting first.
        return list(QUEUE_ORDER)

    def view_on_site(self, story):
        # Only a published story has a public page.
        return story.get_absolute_url() if story.status == Status.PUBLISHED else None

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, story):
        return story.open_report_count or ""

    # --- Permissions: stories come from the public form and go by withdrawal.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.WITHDRAWN:
            return [*self.readonly_fields, *StoryAdminForm._meta.fields, "remove_photo"]
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not obj.has_photo:
            fieldsets = [fieldset for fieldset in fieldsets if fieldset[0] != _("Photo")]
        return fieldsets

    # --- Corrections: only through Story.redact ------------------------------------

    def save_model(self, request, obj, form, change):
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in MODERATOR_EDITABLE_FIELDS
        }
        if form.cleaned_data.get("remove_photo"):
            changes |= {"photo_renditions": [], "photo_alt_text": ""}
        tags = form.cleaned_data["tags"] if "tags" in form.changed_data else None
        if changes or tags is not None:
            try:
                obj.redact(by=request.user, tags=tags, **changes)
            except IllegalTransition as error:  # withdrawn by its storyteller since the page was read
                # Nothing was saved: response_change says so instead of "changed successfully".
                request.story_not_corrected = error

    def log_change(self, request, obj, message):
        if not hasattr(request, "story_not_corrected"):
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        error = getattr(request, "story_not_corrected", None)
        if error is None:
            return super().response_change(request, obj)
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(self._change_url(obj))

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the tags were saved (and logged) by redact().
        # The inlines are read-only, saving them changes nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- The change page ---------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if story is not None:
            extra_context |= {
                "preview_story": story,
                "privacy_hints": [
                    (Story._meta.get_field(field).verbose_name, hints)
                    for field in PRIVACY_CHECKED_FIELDS
                    if (hints := find_privacy_hints(getattr(story, field)))
                ],
                "moderation_actions": offered_actions(story, request.user),
                "holder": story.holder(),
                "open_report_count": story.open_report_count,
                "add_translation_url": self._add_translation_url(request, story),
                # Issue 14: the storyteller's proposed change waiting for a decision.
                "pending_revision": story.revisions.filter(status=StoryRevision.Status.PENDING).first(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _add_translation_url(self, request, story):
        """Where to add a translation of ``story`` (only a published one is
        translated), or None."""
        if story.status != Status.PUBLISHED or not request.user.has_perm("stories.add_storytranslation"):
            return None
        return reverse("admin:stories_storytranslation_add") + f"?story={story.pk}"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/moderate/<str:action>/",
                self.admin_site.admin_view(self.moderation_view),
                name="stories_story_moderate",
            ),
            path(
                "<path:object_id>/dismiss-reports/",
                self.admin_site.admin_view(self.dismiss_reports_view),
                name="stories_story_dismiss_reports",
            ),
            *super().get_urls(),
        ]

    def _story_for_change(self, request, object_id):
        story = self.get_object(request, object_id)
        if story is None:
            raise Http404("No such story.")
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        return story

    def _change_url(self, story):
        return reverse("admin:stories_story_change", args=[story.pk])

    def dismiss_reports_view(self, request, object_id):
        story = self._story_for_change(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(story))
        count = story.reports.mark_handled(by=request.user)
        messages.success(request, gettext("%(count)s report(s) marked as handled.") % {"count": count})
        return HttpResponseRedirect(self._change_url(story))

    # --- Bulk actions ------------------------------------------------------------------

    @admin.action(description=_("Publish the selected stories"), permissions=["change"])
    def publish_selected(self, request, queryset):
        """Publishes only what needs no closer look: a story with privacy
        hints, by a minor, with a photo or with open reports is published
        from its own page (each left alone is named, by reason)."""
        apply_to_each(
            request,
            queryset,
            lambda story: story.publish(by=request.user),
            gettext("%(count)s story(ies) published."),
            skips=[*UNSAFE_IN_BULK, HELD_BY_OTHER],
        )

    @admin.action(description=_("Decline the selected stories…"), permissions=["change"])
    def decline_selected(self, request, queryset):
        """Asks for one reason (and note) for all, then declines each."""
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            apply_to_each(
                request,
                queryset,
                lambda story: story.decline(by=request.user, **form.cleaned_data),
                gettext("%(count)s story(ies) declined."),
                skips=[HELD_BY_OTHER],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Decline the selected stories"),
            "stories": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/stories/story/decline_selected.html", context)
