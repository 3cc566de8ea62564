"""The moderation buttons of the change pages: each names a model method
(which alone decides what is allowed and logs it), the statuses it is
offered in, and the form of its confirmation page, if it needs one."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stories.models import Story

Status = Story.Status


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
    """A button on the change page: a method of Story, the statuses it is
    offered in (the method itself decides what is allowed), and the form of
    its confirmation page, if it needs one."""

    def __init__(self, name, label, statuses, perform, form_class=None, message=""):
        self.name, self.label, self.statuses = name, label, statuses
        self.perform, self.form_class, self.message = perform, form_class, message

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
            {Status.PENDING, Status.UNPUBLISHED},
            lambda story, user, data: story.publish(by=user),
            message=_("Published: %(story)s"),
        ),
        ModerationAction(
            "decline",
            _("Decline…"),
            {Status.PENDING, Status.CHANGES_REQUESTED},
            lambda story, user, data: story.decline(by=user, **data),
            DeclineForm,
            _("Declined: %(story)s"),
        ),
        ModerationAction(
            "request_changes",
            _("Request changes…"),
            {Status.PENDING},
            lambda story, user, data: story.request_changes(by=user, **data),
            RequiredNoteForm,
            _("Changes requested: %(story)s"),
        ),
        ModerationAction(
            "unpublish",
            _("Unpublish…"),
            {Status.PUBLISHED},
            lambda story, user, data: story.unpublish(by=user, **data),
            NoteForm,
            _("Unpublished: %(story)s"),
        ),
        ModerationAction(
            "reopen",
            _("Reopen…"),
            {Status.DECLINED},
            lambda story, user, data: story.reopen(by=user, **data),
            NoteForm,
            _("Back in the queue: %(story)s"),
        ),
        ModerationAction(
            "feature",
            _("Feature on the home page"),
            {Status.PUBLISHED},
            lambda story, user, data: story.feature(by=user),
            message=_("Featured: %(story)s"),
        ),
        ModerationAction(
            "unfeature",
            _("Stop featuring"),
            {Status.PUBLISHED},
            lambda story, user, data: story.unfeature(by=user),
            message=_("No longer featured: %(story)s"),
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
