"""Storytellers' proposed changes to their published stories: moderators read
each as a difference from the published story and approve or reject it
through the methods of StoryRevision (checked and logged). Nothing here is
edited by hand; the proposal is the storyteller's."""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import yesno
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from stories.admin.actions import ModerationAction, ModerationActionsMixin
from stories.differences import difference_html, text_difference
from stories.models import REVISION_TRANSITIONS, Story, StoryRevision

# Shown word by word; the other fields as before and after.
TEXT_FIELDS = frozenset({"title", "body", "content_note", "name", "city_or_region", "photo_alt_text"})


class RejectRevisionForm(forms.Form):
    note = forms.CharField(
        label=_("Why can the change not be made?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the storyteller by email. The published story stays as it is."),
    )


REVISION_ACTIONS = {
    action.name: action
    for action in [
        ModerationAction(
            "approve",
            _("Approve and publish the change"),
            REVISION_TRANSITIONS["approve"],
            lambda revision, user, data: revision.approve(by=user),
            message=_("Approved: %(story)s"),
        ),
        ModerationAction(
            "reject",
            _("Reject…"),
            REVISION_TRANSITIONS["reject"],
            lambda revision, user, data: revision.reject(by=user, **data),
            RejectRevisionForm,
            _("Rejected: %(story)s"),
        ),
    ]
}


def _shown(field_name, value):
    """A non-text value as moderators read it (a choice's label, a country's name)."""
    if field_name == "tags":
        return ", ".join(value)
    field = Story._meta.get_field(field_name)
    if isinstance(value, bool):
        return yesno(value)  # Django's own "yes" and "no"
    if field_name in {"country_of_origin", "country_of_residence"}:
        return countries.name(str(value or "")) or gettext("(not given)")
    return str(dict(field.choices or ()).get(value, value))


def revision_rows(revision, story):
    """One row per changed field: its label, and either the word-by-word
    difference (text) or the value before and after."""
    rows = []
    for name in revision.changed_field_names:
        if name == "tags":
            label = Story._meta.get_field("tags").verbose_name
            before, after = [tag.name for tag in story.tags.all()], revision.tags
        else:
            label = Story._meta.get_field(name).verbose_name
            before, after = getattr(story, name), revision.changes[name]
        if name in TEXT_FIELDS:
            pieces = text_difference(str(before), str(after))
            html = difference_html(pieces, removed_label=gettext("Removed:"), added_label=gettext("Added:"))
            rows.append({"label": label, "name": name, "difference": html})
        else:
            rows.append(
                {"label": label, "name": name, "before": _shown(name, before), "after": _shown(name, after)}
            )
    return rows


@admin.register(StoryRevision)
class StoryRevisionAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["story", "decided_by"]
    search_fields = ["story__title"]
    fields = readonly_fields = ["story", "status", "proposed_at", "decided_by", "decided_at", "note"]
    change_form_template = "admin/stories/storyrevision/change_form.html"
    moderation_actions = REVISION_ACTIONS

    def has_add_permission(self, request):
        return False  # proposed by storytellers, through their private link

    def has_delete_permission(self, request, obj=None):
        return False  # they go with their story's withdrawal

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        if revision is not None:
            story = revision.story
            extra_context |= {
                "revision": revision,
                "revised_story": story,
                "difference_rows": revision_rows(revision, story),
                "revision_actions": [
                    action for action in REVISION_ACTIONS.values() if revision.status in action.statuses
                ],
                "story_change_url": reverse("admin:stories_story_change", args=[story.pk]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/<str:action>/",
                self.admin_site.admin_view(self.moderation_view),
                name="stories_storyrevision_decide",
            ),
            *super().get_urls(),
        ]
