"""The story list as a queue that sorts itself: its columns and filters
(what needs care, privacy hints, answered declines, waiting time, overdue,
claims), "claim the next story", the bulk-publish safety rules and the
moderator's own preferences (a daily limit the list reminds them of).

Invariants: every column reads stored fields or the annotations of
``Story.objects.moderation_queue`` (and the claim holder through
``list_select_related``), so the list's query count does not grow with the
number of stories; claims are taken and released only through
``Story.claim``/``release``/``claim_next`` (logged); nothing here blocks a
moderator: a daily limit only speaks.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from stories.admin.actions import Skip
from stories.models import REPLY_WAITING, ModeratorPreferences, Story

# --- Filters ---------------------------------------------------------------------------


class YesNoFilter(admin.SimpleListFilter):
    """A filter with a "yes" and a "no" choice: ``condition`` says yes."""

    condition = None

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition)
        if self.value() == "no":
            return queryset.exclude(self.condition)
        return queryset


class ReplyWaitingFilter(YesNoFilter):
    title = _("answer to a decline")
    parameter_name = "reply"
    condition = REPLY_WAITING
    yes_label, no_label = _("Waiting for a moderator"), _("None waiting")


class OverdueFilter(admin.SimpleListFilter):
    title = _("waiting time")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


class MinorFilter(YesNoFilter):
    title = _("storyteller under 18")
    parameter_name = "minor"
    condition = Q(is_minor=True)
    yes_label, no_label = _("Under 18"), _("Adult")


class PhotoFilter(YesNoFilter):
    title = _("photo")
    parameter_name = "photo"
    condition = ~Q(photo_renditions=[])
    yes_label, no_label = _("With a photo"), _("Without a photo")


class ContentNoteFilter(YesNoFilter):
    title = _("content note")
    parameter_name = "content_note"
    condition = ~Q(content_note="")
    yes_label, no_label = _("With a content note"), _("Without a content note")


class PrivacyHintsFilter(YesNoFilter):
    title = _("privacy hints")
    parameter_name = "hints"
    # Not counted yet (an older story) counts as found: look before publishing.
    condition = Q(privacy_hint_count__gt=0) | Q(privacy_hint_count__isnull=True)
    yes_label, no_label = _("Some found"), _("None found")


class ClaimFilter(admin.SimpleListFilter):
    title = _("claimed by")
    parameter_name = "claim"

    def lookups(self, request, model_admin):
        return [("mine", _("Me")), ("others", _("Someone else")), ("nobody", _("Nobody"))]

    def queryset(self, request, queryset):
        held = queryset.exclude(pk__in=Story.objects.unclaimed().values("pk"))
        if self.value() == "mine":
            return held.filter(claimed_by=request.user)
        if self.value() == "others":
            return held.exclude(claimed_by=request.user)
        if self.value() == "nobody":
            return queryset.unclaimed()
        return queryset


QUEUE_FILTERS = [
    ReplyWaitingFilter,
    OverdueFilter,
    MinorFilter,
    PhotoFilter,
    ContentNoteFilter,
    PrivacyHintsFilter,
    ClaimFilter,
]

# --- What bulk publishing leaves to a story's own page ------------------------------------

UNSAFE_IN_BULK = [
    Skip(
        lambda story, user: story.privacy_hint_count != 0,  # None: not counted yet
        ngettext_lazy(
            "%(count)s story was not published because it may contain contact details "
            "(privacy hints); check it on its own page: %(titles)s.",
            "%(count)s stories were not published because they may contain contact details "
            "(privacy hints); check each on its own page: %(titles)s.",
            "count",
        ),
    ),
    Skip(
        lambda story, user: story.is_minor,
        ngettext_lazy(
            "%(count)s story was not published because its storyteller is under 18; "
            "it needs two moderators, on its own page: %(titles)s.",
            "%(count)s stories were not published because their storytellers are under 18; "
            "each needs two moderators, on its own page: %(titles)s.",
            "count",
        ),
    ),
    Skip(
        lambda story, user: story.has_photo,
        ngettext_lazy(
            "%(count)s story was not published because it has a photo; look at it on its own page: "
            "%(titles)s.",
            "%(count)s stories were not published because they have photos; look at each on its own page: "
            "%(titles)s.",
            "count",
        ),
    ),
    Skip(
        lambda story, user: story.is_reported,
        ngettext_lazy(
            "%(count)s story was not published because it has open reports; read them on its own page: "
            "%(titles)s.",
            "%(count)s stories were not published because they have open reports; read them on each "
            "story's own page: %(titles)s.",
            "count",
        ),
    ),
]

# --- The preferences page -------------------------------------------------------------


class ModeratorPreferencesForm(forms.ModelForm):
    class Meta:
        model = ModeratorPreferences
        fields = ["daily_limit"]


# --- The admin's part ---------------------------------------------------------------------


class QueueColumnsMixin:
    """The queue's columns, pages and reminders, for the story admin."""

    @admin.display(description=_("needs care"))
    def needs_care(self, story):
        flags = [
            label
            for applies, label in [
                (story.is_minor, gettext("Under 18")),
                (story.has_photo, gettext("Photo")),
                (bool(story.content_note), gettext("Content note")),
            ]
            if applies
        ]
        return format_html_join(" ", '<span class="queue-flag">{}</span>', ((flag,) for flag in flags))

    @admin.display(description=_("privacy hints"), ordering="privacy_hint_count")
    def privacy_hints(self, story):
        if story.privacy_hint_count is None:
            return gettext("Not counted yet")
        return story.privacy_hint_count or ""

    @admin.display(description=_("answer to a decline"), ordering="-has_reply_waiting")
    def reply(self, story):
        return gettext("Waiting") if story.reply_waiting else ""

    @admin.display(description=_("waiting"), ordering="waiting_since")
    def waiting(self, story):
        """How long a story waiting for a decision has waited; "overdue" in
        words and with a sign, not by colour alone."""
        if not (story.reply_waiting or story.status == Story.Status.PENDING):
            return ""
        waited = timesince(story.waiting_since)
        if story.waiting_since >= timezone.now() - settings.MODERATION_OVERDUE_AFTER:
            return waited
        return format_html(
            '<span class="queue-overdue"><span aria-hidden="true">⚠ </span>{}</span>',
            gettext("%(time)s, overdue") % {"time": waited},
        )

    @admin.display(description=_("claimed by"))
    def claim(self, story):
        holder = story.holder()
        if holder is None:
            return ""
        return format_html("<bdi>{}</bdi>", holder.get_username())

    # --- Claims on the change page, and "claim the next story" -----------------------

    def other_holder(self, request, story):
        return story.held_by_other(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form asks for confirmation when someone else holds the story.
        return type(form.__name__, (form,), {"moderator": request.user})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.held_by_other(request.user) is not None:
            return [(_("Someone else is working on this story"), {"fields": ["override_claim"]}), *fieldsets]
        return fieldsets

    def get_urls(self):
        return [
            path(
                "claim-next/",
                self.admin_site.admin_view(self.claim_next_view),
                name="stories_story_claim_next",
            ),
            path(
                "my-preferences/",
                self.admin_site.admin_view(self.preferences_view),
                name="stories_story_preferences",
            ),
            *super().get_urls(),
        ]

    def claim_next_view(self, request):
        """POST: claim the first story of the queue nobody else holds, and
        open it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        list_url = reverse("admin:stories_story_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(list_url)
        story = Story.claim_next(by=request.user)
        if story is None:
            messages.info(
                request, gettext("No story is waiting that someone else is not already working on.")
            )
            return HttpResponseRedirect(list_url)
        messages.success(request, gettext("You are working on this story: %(story)s") % {"story": story})
        return HttpResponseRedirect(reverse("admin:stories_story_change", args=[story.pk]))

    def preferences_view(self, request):
        """The moderator's own preferences (their daily limit)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = ModeratorPreferencesForm(
            request.POST or None, instance=ModeratorPreferences.for_user(request.user)
        )
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, gettext("Your preferences are saved."))
            return HttpResponseRedirect(reverse("admin:stories_story_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("My moderation preferences"),
            "form": form,
        }
        return TemplateResponse(request, "admin/stories/story/preferences.html", context)

    def changelist_view(self, request, extra_context=None):
        """The list, with a kind word once the moderator reached their own
        daily limit (two queries, whatever the number of stories)."""
        limit = ModeratorPreferences.for_user(request.user).daily_limit
        decisions = ModeratorPreferences.decisions_today(request.user) if limit else 0
        extra_context = {
            **(extra_context or {}),
            "daily_limit_reached": bool(limit) and decisions >= limit,
            "decisions_today": decisions,
            "may_claim": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context)
