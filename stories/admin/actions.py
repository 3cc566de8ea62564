"""The moderation buttons of the change pages: each names a model method
(which alone decides what is allowed and logs it), its transition in the
model's table (the statuses it is offered in), and the form of its
confirmation page, if it needs one; one view runs any of them
(:class:`ModerationActionsMixin`) and one helper runs a bulk action
(:func:`apply_to_each`)."""

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy, pgettext
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


class LogNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the moderation log"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Not sent to the storyteller."),
    )


def with_claim_confirmation(form_class, holder):
    """``form_class`` (or an empty form) with a required checkbox saying that
    the moderator knows ``holder`` is working on the story."""
    label = _("I know that %(name)s is working on this story, and I want to go ahead.") % {
        "name": holder.get_username()
    }
    return type(
        "ClaimConfirmationForm",
        (form_class or forms.Form,),
        {"override_claim": forms.BooleanField(label=label, required=True)},
    )


class ModerationAction:
    """A button on the change page: a method of the model, its transition in
    the model's table (the statuses the button is offered in; the method
    itself decides what is allowed), and the form of its confirmation page,
    if it needs one. ``offered(story, user)`` narrows where the button shows
    within those statuses; ``unfinished_message`` is shown when the method
    returns False (a minor's story approved once, not yet published)."""

    def __init__(
        self,
        name,
        label,
        transition,
        perform,
        form_class=None,
        message="",
        offered=None,
        unfinished_message="",
    ):
        self.name, self.label, self.transition = name, label, transition
        self.perform, self.form_class, self.message = perform, form_class, message
        self.offered = offered or (lambda story, user: True)
        self.unfinished_message = unfinished_message

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
            unfinished_message=_(
                "Approved: %(story)s. A story by someone under 18 needs a second moderator: "
                "it is published when another moderator publishes it too."
            ),
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
            offered=lambda story, user: not story.is_featured,
        ),
        ModerationAction(
            "unfeature",
            _("Stop featuring"),
            STORY_TRANSITIONS["unfeature"],
            lambda story, user, data: story.unfeature(by=user),
            message=_("No longer featured: %(story)s"),
            offered=lambda story, user: story.is_featured,
        ),
        ModerationAction(
            "keep_declined",
            _("Keep declined…"),
            STORY_TRANSITIONS["keep_declined"],
            lambda story, user, data: story.keep_declined(by=user, **data),
            LogNoteForm,
            _("The decline is kept and the reply handled: %(story)s"),
            offered=lambda story, user: story.reply_waiting,
        ),
        ModerationAction(
            "claim",
            _("Claim this story"),
            STORY_TRANSITIONS["claim"],
            lambda story, user, data: story.claim(by=user),
            message=_("You are working on this story: %(story)s"),
            offered=lambda story, user: story.holder() != user,
        ),
        ModerationAction(
            "release",
            _("Release my claim"),
            STORY_TRANSITIONS["release"],
            lambda story, user, data: story.release(by=user),
            message=_("Claim released: %(story)s"),
            offered=lambda story, user: story.claimed_by_id == user.pk,
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


def offered_actions(story, user):
    """The buttons ``user`` sees on the change page of ``story``."""
    return [
        action
        for action in MODERATION_ACTIONS.values()
        if story.status in action.statuses and action.offered(story, user)
    ]


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

    def other_holder(self, request, obj):
        """Who else is working on ``obj`` (acting asks them to confirm), or
        None; nobody, unless the admin keeps claims."""

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
        form_class, holder = action.form_class, self.other_holder(request, obj)
        if holder is not None:
            form_class = with_claim_confirmation(form_class, holder)
        form = form_class(request.POST or None) if form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            # The confirmation is the view's business, not the model method's.
            data = {
                name: value
                for name, value in (form.cleaned_data if form else {}).items()
                if name != "override_claim"
            }
            try:
                finished = action.perform(obj, request.user, data)
            except ValidationError as error:  # every Refusal of the models included
                messages.error(request, " ".join(error.messages))
            else:
                if finished is False:
                    messages.warning(request, action.unfinished_message % {"story": obj})
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
            "holder": holder,
        }
        return TemplateResponse(request, "admin/stories/story/moderate.html", context)


class Skip(NamedTuple):
    """A reason a bulk action leaves a selected story alone: ``applies(story,
    user)``, and the message naming the stories it left (an
    ``ngettext_lazy`` keyed on ``count``, with ``%(titles)s``)."""

    applies: Callable
    message: str


# A story held by someone else is acted on from its own page, which asks
# for confirmation (never silently, never in bulk).
HELD_BY_OTHER = Skip(
    lambda story, user: story.held_by_other(user) is not None,
    ngettext_lazy(
        "%(count)s story was left alone because someone else is working on it: %(titles)s.",
        "%(count)s stories were left alone because someone else is working on them: %(titles)s.",
        "count",
    ),
)


def apply_to_each(request, objects, perform, success_message, skips=()):
    """A bulk action: run ``perform(obj)`` on each selected object; one
    refusal (an illegal transition, say) is reported for that object and the
    others still go through. ``success_message`` has a ``%(count)s``.
    Objects to which one of ``skips`` applies are left alone, with one
    message per reason naming them."""
    done = 0
    failed = gettext("%(item)s: %(problem)s")
    skipped = {skip: [] for skip in skips}
    for obj in objects:
        reasons = [skip for skip in skips if skip.applies(obj, request.user)]
        for skip in reasons:
            skipped[skip].append(obj)
        if reasons:
            continue
        try:
            perform(obj)
        except ValidationError as error:  # IllegalTransition and IllegalTranslationChange included
            messages.error(request, failed % {"item": obj, "problem": " ".join(error.messages)})
        else:
            done += 1
    separator = pgettext("separator between the parts of a line", ", ")
    for skip, left in skipped.items():
        if left:
            titles = separator.join(f"“{obj}”" for obj in left)
            messages.warning(request, skip.message % {"count": len(left), "titles": titles})
    if done:
        messages.success(request, success_message % {"count": done})
