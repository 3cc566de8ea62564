"""Volunteers' translations: added and corrected by their translators, published
or returned by the moderators who review them, through the methods of
StoryTranslation (checked and logged)."""

from django import forms
from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stories.admin.actions import ModerationAction, ModerationActionsMixin, apply_to_each
from stories.forms import in_model_order
from stories.models import (
    TRANSLATION_EDITABLE_FIELDS,
    TRANSLATION_TRANSITIONS,
    ModerationLogEntry,
    Story,
    StoryTranslation,
)

# --- Translations ----------------------------------------------------------------------


class StoryTranslationAdminForm(forms.ModelForm):
    class Meta:
        model = StoryTranslation
        fields = ["story", "language", *in_model_order(StoryTranslation, TRANSLATION_EDITABLE_FIELDS)]
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
            "body": forms.Textarea(attrs={"rows": 24, "dir": "auto"}),
        }


class ReturnTranslationForm(forms.Form):
    note = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the translator on the translation's page and kept in the moderation log."),
    )


TRANSLATION_ACTIONS = {
    action.name: action
    for action in [
        ModerationAction(
            "publish",
            _("Publish the translation"),
            TRANSLATION_TRANSITIONS["publish"],
            lambda translation, user, data: translation.publish(by=user),
            message=_("Published: %(story)s"),
        ),
        ModerationAction(
            "return",
            _("Return for changes…"),
            TRANSLATION_TRANSITIONS["return_for_changes"],
            lambda translation, user, data: translation.return_for_changes(by=user, **data),
            ReturnTranslationForm,
            _("Returned for changes: %(story)s"),
        ),
    ]
}


@admin.register(StoryTranslation)
class StoryTranslationAdmin(ModerationActionsMixin, admin.ModelAdmin):
    """Volunteer translators add and correct their own translations until
    they are published; moderators (``publish_storytranslation``) see all of
    them, publish or return them. The original story's public title and text
    are shown beside the form; nothing private about the storyteller is."""

    form = StoryTranslationAdminForm
    list_display = ["title", "story", "language", "status", "translated_by", "updated_at"]
    list_filter = ["status", "language"]
    list_select_related = ["story", "translated_by"]
    search_fields = ["title", "body", "story__title"]
    actions = ["publish_selected"]
    readonly_fields = ["status", "translated_by", "reviewed_by", "published_at", "created_at", "updated_at"]
    change_form_template = "admin/stories/storytranslation/change_form.html"
    moderation_actions = TRANSLATION_ACTIONS

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(StoryTranslationAdminForm._meta.fields)
        return [*StoryTranslationAdminForm._meta.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["story", "language", *self.readonly_fields]

    @staticmethod
    def _is_reviewer(request):
        return request.user.has_perm("stories.publish_storytranslation")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._is_reviewer(request):
            return queryset
        return queryset.filter(translated_by=request.user).exclude(status=StoryTranslation.Status.PUBLISHED)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self._is_reviewer(request):
            return True
        return obj.translated_by_id == request.user.pk and obj.status != StoryTranslation.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        # A translation leaves with its story (withdrawal) or is returned for changes.
        return False

    def has_publish_permission(self, request):
        return self._is_reviewer(request)

    def may_moderate(self, request, obj):
        return self._is_reviewer(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "story":
            # Only a published story is translated (and the story admin's
            # ordering needs its annotations, so it cannot be borrowed).
            kwargs["queryset"] = Story.objects.published().order_by("-published_at")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        # The link "Add a translation" on a story's change page names the story.
        return {"story": request.GET.get("story")}

    # --- Every change through the model's methods (checked and logged) ----------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submit(by=request.user)
            return
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in TRANSLATION_EDITABLE_FIELDS
        }
        if changes:
            obj.edit(by=request.user, **changes)

    # --- The change page: the original beside the form, review buttons ---------------

    def _original(self, request, obj):
        """The story whose public title and text are shown beside the form."""
        if obj is not None:
            return obj.story
        story_id = request.GET.get("story") or request.POST.get("story")
        if not str(story_id or "").isdigit():
            return None
        return Story.objects.published().filter(pk=story_id).first()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = extra_context or {}
        extra_context["original_story"] = self._original(request, obj)
        if obj is not None and self._is_reviewer(request):
            extra_context["review_actions"] = [
                action for action in TRANSLATION_ACTIONS.values() if obj.status in action.statuses
            ]
        if obj is not None:
            extra_context["return_note"] = (
                obj.log_entries.filter(action=ModerationLogEntry.Action.RETURN_TRANSLATION)
                .values_list("note", flat=True)
                .first()
                if obj.status == StoryTranslation.Status.CHANGES_REQUESTED
                else None
            )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/<str:action>/",
                self.admin_site.admin_view(self.moderation_view),
                name="stories_storytranslation_review",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Publish the selected translations"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        apply_to_each(
            request,
            queryset.select_related("story"),
            lambda translation: translation.publish(by=request.user),
            gettext("%(count)s translation(s) published."),
        )
