"""The moderation buttons of the change pages: each names a model method
(which alone decides what is allowed and logs it), its transition in the
model's table (the statuses it is offered in), and the form of its
confirmation page, if it needs one; one view runs any of them
(:class:`ModerationActionsMixin`) and one helper runs a bulk action
(:func:`apply_to_each`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stories.models import STORY_TRANSITIONS, Story

# --- Forms of the moderation actions ---------------------------------------------


class DeclineForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Reason"), choices=Story.DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the storyteller"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the storyteller with the decision. Required for “another reason”."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("reason_code") == Story.DeclineReason.OTHER
            and not cleaned_data.get("note", "").strip()
        ):
            self.add_error(
                "note",
                ValidationError(
                    _("Explain the reason in the note when it is “another reason”."), code="note_required"
                ),
            )
        return cleaned_data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the storyteller"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the storyteller by email."),
    )


class RequiredNoteForm(NoteForm):
    note = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the storyteller, who can edit the story with their private link."),
    )


class ModerationAction:
    """A button on the change page: a method of the model, its transition in
    the model's table (the statuses the button is offered in; the method
    itself decides what is allowed), and the form of its confirmation page,
    if it needs one."""

    def __init__(self, name, label, transition, perform, form_class=None, message=""):
        self.name, self.label, self.transition = name, label, transition
        self.perform, self.form_class, self.message = perform, form_class, message

    @property
    def statuses(self):
        return self.transition.sources

    @property
    def submit_label(self):
        """The label without the "…" that says a page follows."""
        return str(self.label).rstrip("…")


MODERATION_ACTIONS = {
    action.name: action
    for action in [
        ModerationAction(
            "publish",
            _("Publish"),
            STORY_TRANSITIONS["publish"],
            lambda story, user, data: story.publish(by=user),
            message=_("Published: %(story)s"),
        ),
        ModerationAction(
            "decline",
            _("Decline…"),
            STORY_TRANSITIONS["decline"],
            lambda story, user, data: story.decline(by=user, **data),
            DeclineForm,
            _("Declined: %(story)s"),
        ),
        ModerationAction(
            "request_changes",
            _("Request changes…"),
            STORY_TRANSITIONS["request_changes"],
            lambda story, user, data: story.request_changes(by=user, **data),
            RequiredNoteForm,
            _("Changes requested: %(story)s"),
        ),
        ModerationAction(
            "unpublish",
            _("Unpublish…"),
            STORY_TRANSITIONS["unpublish"],
            lambda story, user, data: story.unpublish(by=user, **data),
            NoteForm,
            _("Unpublished: %(story)s"),
        ),
        ModerationAction(
            "reopen",
            _("Reopen…"),
            STORY_TRANSITIONS["reopen"],
            lambda story, user, data: story.reopen(by=user, **data),
            NoteForm,
            _("Back in the queue: %(story)s"),
        ),
        ModerationAction(
            "feature",
            _("Feature on the home page"),
            STORY_TRANSITIONS["feature"],
            lambda story, user, data: story.feature(by=user),
            message=_("Featured: %(story)s"),
        ),
        ModerationAction(
            "unfeature",
            _("Stop featuring"),
            STORY_TRANSITIONS["unfeature"],
            lambda story, user, data: story.unfeature(by=user),
            message=_("No longer featured: %(story)s"),
        ),
        ModerationAction(
            "replace_link",
            _("Replace the private link"),
            STORY_TRANSITIONS["replace_link"],
            lambda story, user, data: story.replace_manage_link(by=user),
            message=_("Private link replaced (the old one no longer works): %(story)s"),
        ),
    ]
}


def offered_actions(story):
    actions = [action for action in MODERATION_ACTIONS.values() if story.status in action.statuses]
    if story.is_featured:
        actions = [action for action in actions if action.name != "feature"]
    else:
        actions = [action for action in actions if action.name != "unfeature"]
    return actions


# --- Running them --------------------------------------------------------------------


class ModerationActionsMixin:
    """One view for every moderation button of a ModelAdmin (stories,
    translations): GET shows a confirmation (with the action's form); only
    POST acts, through the model's method, and a refusal is shown as a
    message. ``moderation_actions`` maps the URL's action names to the
    :class:`ModerationAction` objects; :meth:`may_moderate` says who may."""

    moderation_actions = {}

    def may_moderate(self, request, obj):
        return self.has_change_permission(request, obj)

    def moderation_view(self, request, object_id, action):
        action = self.moderation_actions.get(action)
        if action is None:
            raise Http404("No such moderation action.")
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such object.")
        if not self.may_moderate(request, obj):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        form = action.form_class(request.POST or None) if action.form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                action.perform(obj, request.user, form.cleaned_data if form else {})
            except ValidationError as error:  # IllegalTransition and IllegalTranslationChange included
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, action.message % {"story": obj})
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{action.submit_label}: {obj}",
            "story": obj,
            "action": action,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/stories/story/moderate.html", context)


def apply_to_each(request, objects, perform, success_message):
    """A bulk action: run ``perform(obj)`` on each selected object; one
    refusal (an illegal transition, say) is reported for that object and the
    others still go through. ``success_message`` has a ``%(count)s``."""
    done = 0
    failed = gettext("%(item)s: %(problem)s")
    for obj in objects:
        try:
            perform(obj)
        except ValidationError as error:  # IllegalTransition and IllegalTranslationChange included
            messages.error(request, failed % {"item": obj, "problem": " ".join(error.messages)})
        else:
            done += 1
    if done:
        messages.success(request, success_message % {"count": done})
