"""The storyteller's forms (sharing a story, editing it, answering a decline)
and the readers' (filtering the stories, reporting one).

The safety rules (a minor is anonymous and shows no photo, a photo needs a
description and everyone's agreement, a story about someone else needs their
consent) are checked here with one clear error per field; the database
constraints on Story back the first of them.
"""

import dataclasses

from django import forms
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.forms import TagField

from stories.keys import AccessKey
from stories.languages import STORY_LANGUAGES
from stories.models import (
    PUBLIC_ROLE_LABELS,
    REVISABLE_FIELDS,
    STORYTELLER,
    STORYTELLER_EDITABLE_FIELDS,
    Report,
    Sharing,
    Story,
    StoryRevision,
)
from stories.search import MAX_QUERY_LENGTH
from together.abuse import ProtectedForm, validate_not_disposable
from together.forms import ListSelect
from together.image_uploads import ImageUploadField
from together.images import delete_renditions, save_renditions
from together.validators import NoWebAddressValidator

BODY_MIN_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_TAGS = 5
MAX_TAG_LENGTH = 40

# The words the storyteller agrees to. Change CONSENT_VERSION whenever they
# change: each story records the version its storyteller agreed to.
# 2026-12-05: a storyteller without an email address withdraws with their
# code and passphrase; the earlier words promised everyone an emailed link.
CONSENT_VERSION = "2026-12-05"
CONSENT_TEXT = _(
    "I agree that TOGETHER publishes my story on this website, after review, in the way I chose above "
    "(name, places, photo). I understand that I can withdraw it at any time, with the private link we "
    "email me or, if I give no email address, with my code and passphrase, and that my email address "
    "is never published or shared."
)

PHOTO_STORAGE_PREFIX = "stories"


def in_model_order(model, names):
    """The fields ``names`` of ``model`` (many-to-many ones included) in the
    order the model declares them: the order forms ask for them in, so that a
    form's field list is derived from the model's editable-field constants
    rather than copied."""
    fields = sorted([*model._meta.fields, *model._meta.many_to_many], key=lambda f: f.creation_counter)
    return [field.name for field in fields if field.name in names]


def body_help_text():
    """The story text's help, in the language of the request that shows it:
    formatted when the form is shown, not at import (a lazy string formatted
    at import is English for everyone), its numbers grouped as that language
    writes them (20,000; 20 000; 20.000)."""
    return gettext(
        "Write in your own words, in any language. Leave an empty line between paragraphs. "
        "Between %(min)s and %(max)s characters."
    ) % {
        "min": number_format(BODY_MIN_LENGTH, force_grouping=True),
        "max": number_format(BODY_MAX_LENGTH, force_grouping=True),
    }


class StoryTextField(forms.CharField):
    """Plain text as the storyteller typed it, with browsers' CRLF line
    breaks made plain newlines so lengths count what people see."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class TopicsField(TagField):
    """Topics typed in any script, split and normalised by
    ``stories.topics.parse`` (taggit's parser setting), each short enough to
    read as a topic. The storyteller's forms and the admin use it."""

    def clean(self, value):
        tags = super().clean(value)
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A topic can have at most %(max)d characters: “%(tag)s” is longer."),
                code="tag_too_long",
                params={"max": MAX_TAG_LENGTH, "tag": too_long[0]},
            )
        return tags


class BaseStoryForm(forms.ModelForm):
    """The fields a storyteller fills in, and their rules; shared by the
    sharing form and the edit form."""

    body = StoryTextField(
        label=_("Your story"),
        min_length=BODY_MIN_LENGTH,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "dir": "auto"}),
        help_text=lazy(body_help_text, str)(),
        error_messages={
            "min_length": _(
                "Your story has %(show_value)d characters; please write at least %(limit_value)d."
            ),
            "max_length": _(
                "Your story has %(show_value)d characters; it can have at most %(limit_value)d. "
                "Please shorten it."
            ),
        },
    )
    tags = TopicsField(
        label=_("Topics"),
        required=False,
        help_text=_("Up to five words or short phrases, separated by commas, e.g. “family, work”."),
    )
    # Validated by its content; the decoded image (not the upload) is what
    # the form keeps. Nothing is written to storage until the form is saved.
    photo = ImageUploadField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "Optional. JPEG, PNG or WebP. We remove the location and every other hidden detail from it. "
            "Avoid showing faces, street names or house numbers."
        ),
    )

    class Meta:
        model = Story
        # What the storyteller may write, the topics included; the photo is
        # uploaded as ``photo`` and stored as ``photo_renditions``.
        fields = [
            "photo" if name == "photo_renditions" else name
            for name in in_model_order(Story, STORYTELLER_EDITABLE_FIELDS | {"tags"})
        ]
        labels = {
            "title": _("Title"),
            "teller_role": _("Who is telling this story?"),
            "about_person_consent": _("The person I am writing about agreed that I share their story"),
            "naming": _("How do you want to be named?"),
            "name": _("Your name or pseudonym"),
            "country_of_origin": _("Country of origin (optional)"),
            "country_of_residence": _("Country where you live now (optional)"),
            "city_or_region": _("City or region (optional)"),
            "language": _("Language of your story"),
            "content_note": _("Content note for readers (optional)"),
            "photo_alt_text": _("Describe the photo for people who cannot see it"),
            "photo_people_consented": _(
                "Everyone who can be recognised in the photo agreed to its publication"
            ),
            "is_minor": _("I am under 18"),
            "guardian_consent": _("My parent or guardian read my story and agrees to its publication"),
        }
        help_texts = {
            "title": _("A few words that invite people to read."),
            "name": _(
                "Needed unless you stay anonymous. If you stay anonymous we do not keep it; "
                "with “first name only” we keep and show only its first word."
            ),
            "about_person_consent": _("Needed when you write about someone else."),
            "city_or_region": _("Please do not be precise: a region or a large city is enough."),
            "content_note": _("For example “mentions violence” or “mentions the loss of a child”."),
            "photo_alt_text": _("Needed when you add a photo, e.g. “Two hands planting a tree”."),
            "is_minor": _(
                "Stories by young people are welcome. They are published anonymously and without a photo."
            ),
        }
        # dir="auto": text typed in Arabic, Persian or Hebrew runs right to left as it is typed.
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "teller_role": forms.RadioSelect,
            "naming": forms.RadioSelect,
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "country_of_origin": ListSelect,
            "country_of_residence": ListSelect,
            "city_or_region": forms.TextInput(attrs={"dir": "auto"}),
            "content_note": forms.TextInput(attrs={"dir": "auto"}),
            "photo_alt_text": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args, suggested_tags=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if suggested_tags:
            # In the help text, so screen readers announce it with the field.
            # Django renders help text unescaped, and tags are typed by people.
            # One sentence to translate, not fragments joined in English order.
            self.fields["tags"].help_text = gettext(
                "Up to five words or short phrases, separated by commas, e.g. “family, work”. "
                "Topics others often use: %(topics)s"
            ) % {"topics": ", ".join(escape(tag) for tag in suggested_tags)}
        # The title is quoted in the emails to the storyteller's address,
        # which nobody confirms: no link in it (together.validators).
        self.fields["title"].validators.append(
            NoWebAddressValidator(
                _("Please write the title without a web address."), code="title_has_web_address"
            )
        )
        self.fields["teller_role"].choices = Story.TellerRole.choices
        self.fields["naming"].choices = Story.Naming.choices

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Please choose at most %(max)d topics (you gave %(count)d)."),
                code="too_many_tags",
                params={"max": MAX_TAGS, "count": len(tags)},
            )
        return tags

    def clean(self):
        data = super().clean()
        if data.get("naming", Story.Naming.ANONYMOUS) != Story.Naming.ANONYMOUS and not data.get("name"):
            self._field_error(
                "name", _("Please write the name to show, or choose to stay anonymous."), "name_required"
            )
        if data.get("teller_role") == Story.TellerRole.ABOUT_ANOTHER and not data.get("about_person_consent"):
            self._field_error(
                "about_person_consent",
                _("You can share another person's story only if they agreed. Please confirm it."),
                "about_person_consent_required",
            )
        if self.has_photo_after_save():
            if not data.get("photo_alt_text", "").strip():
                self._field_error("photo_alt_text", _("Please describe the photo."), "alt_text_required")
            if not data.get("photo_people_consented"):
                self._field_error(
                    "photo_people_consented",
                    _("Please confirm that everyone recognisable in the photo agreed, or leave it out."),
                    "photo_consent_required",
                )
        if data.get("is_minor"):
            self._clean_minor(data)
        return data

    def _clean_minor(self, data):
        """Someone under 18: anonymous, a guardian's consent, no photo."""
        if data.get("naming") != Story.Naming.ANONYMOUS:
            self._field_error(
                "naming",
                _("Stories by people under 18 are published anonymously. Please choose “Anonymously”."),
                "minor_must_be_anonymous",
            )
        if not data.get("guardian_consent"):
            self._field_error(
                "guardian_consent",
                _("If you are under 18, a parent or guardian must agree. Please confirm that they did."),
                "guardian_consent_required",
            )
        if self.has_photo_after_save():
            self._field_error(
                "photo",
                _("Stories by people under 18 are published without a photo. Please leave it out."),
                "minor_no_photo",
            )

    def _field_error(self, field, message, code):
        self.add_error(field, forms.ValidationError(message, code=code))

    def has_photo_after_save(self):
        return bool(self.cleaned_data.get("photo"))

    def photo_upload_lost(self):
        """True when a valid photo was sent but the form has other errors:
        browsers cannot keep a chosen file, so the page asks for it again."""
        sent = bool(self.files.get(self.add_prefix("photo")))
        return sent and bool(self.errors) and "photo" not in self.errors

    def _store_photo(self):
        """Write the renditions of the validated photo; call only once the
        whole form is valid. Returns them as stored on the model."""
        image = self.cleaned_data.get("photo")
        if image is None:
            return None
        return [dataclasses.asdict(r) for r in save_renditions(image, prefix=PHOTO_STORAGE_PREFIX)]


class StoryForm(ProtectedForm, BaseStoryForm):
    """The public form at /stories/share/. The email address is optional:
    with ``no_email`` ticked, the storyteller gets a code and a passphrase
    instead (:mod:`stories.keys`) and is told they will not be notified."""

    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        validators=[validate_not_disposable],
        help_text=_(
            "Never published or shared. We send you a private link to follow, edit or withdraw your story."
        ),
    )
    sharing = forms.ChoiceField(
        label=_("Where may your story appear once it is published?"),
        choices=Sharing.choices,
        initial=Sharing.SITE,
        widget=forms.RadioSelect,
        help_text=_(
            "You can narrow this at any time from your private page; it takes effect at once. "
            "Partner organisations and journalists never receive your name or email address."
        ),
        error_messages={"required": _("Choose where your story may appear.")},
    )
    no_email = forms.BooleanField(
        label=_("I don't want to give an email address"),
        required=False,
        help_text=_(
            "You will get a code and a passphrase to open your story instead. "
            "We cannot tell you when it is published or if a moderator asks for a change."
        ),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("We can publish your story only with your agreement. Please tick the box.")
        },
    )

    class Meta(BaseStoryForm.Meta):
        fields = [*BaseStoryForm.Meta.fields, "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()

    def clean(self):
        data = super().clean()
        if data.get("no_email"):
            # Not kept, even if typed before ticking the box.
            data["email"] = ""
            self.instance.email = ""
        elif not data.get("email") and "email" not in self.errors:
            self._field_error(
                "email",
                _("Please write your email address, or tick “I don't want to give an email address”."),
                "email_or_no_email",
            )
        return data

    def save(self):
        """Create the pending story with its photo renditions and tags
        (``Story.submit``, which emails the storyteller their private link).

        The photo files are written only now that every field is valid, and
        deleted again if saving the story fails, so no file is ever left
        without its story.
        """
        fields = {
            field: self.cleaned_data[field]
            for field in self._meta.fields
            if field in STORYTELLER_EDITABLE_FIELDS or field == "email"
        }
        if not self.has_photo_after_save():
            fields |= {"photo_alt_text": "", "photo_people_consented": False}
        self.access_key = None if fields["email"] else AccessKey.generate()
        renditions = self._store_photo() or []
        try:
            return Story.submit(
                **fields,
                access_key=self.access_key,
                photo_renditions=renditions,
                tags=self.cleaned_data["tags"],
                consent_version=CONSENT_VERSION,
                sharing=self.cleaned_data["sharing"],
                site_language=get_language(),
            )
        except BaseException:
            delete_renditions([r["name"] for r in renditions])
            raise


class StoryEditForm(BaseStoryForm):
    """The storyteller's edit, through the private link, before publication.
    Saving goes through ``Story.edit_by_storyteller``."""

    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].label = _("Replace the photo") if self.instance.has_photo else _("Photo")
        if not self.instance.has_photo:
            del self.fields["remove_photo"]

    def has_photo_after_save(self):
        if self.cleaned_data.get("photo"):
            return True
        return self.instance.has_photo and not self.cleaned_data.get("remove_photo")

    def save(self):
        """Apply the changed fields through the model; on failure, delete
        the newly written photo files."""
        changes = {
            field: self.cleaned_data[field]
            for field in self.changed_data
            if field in STORYTELLER_EDITABLE_FIELDS and field != "photo"
        }
        if self.instance.has_photo and not self.has_photo_after_save():
            changes.update(photo_renditions=[], photo_alt_text="", photo_people_consented=False)
        tags = self.cleaned_data["tags"] if "tags" in self.changed_data else None
        renditions = self._store_photo()
        if renditions is not None:
            changes["photo_renditions"] = renditions
        try:
            self.instance.edit_by_storyteller(tags=tags, **changes)
        except BaseException:
            delete_renditions([r["name"] for r in renditions or []])
            raise
        return self.instance


class StoryRevisionForm(StoryEditForm):
    """The storyteller's proposed change to their published story, through
    the private link (issue 14): the same fields as the edit form but the
    photo (removing it never waits: ``Story.make_less_identifying``; a new
    one cannot be added once published). Shown with a pending proposal's
    values, to be continued; saving proposes what differs from the
    published story (``StoryRevision.propose``), which replaces a pending
    proposal."""

    def __init__(self, *args, **kwargs):
        story = kwargs["instance"]
        pending = story.revisions.filter(status=StoryRevision.Status.PENDING).first()
        if pending is not None:
            initial = dict(pending.changes)
            if pending.tags is not None:
                initial["tags"] = ", ".join(pending.tags)
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for field in ("photo", "remove_photo"):
            self.fields.pop(field, None)

    def _field_error(self, field, message, code):
        # A rule about the photo (a minor's story has none) has no field here
        # to stand beside: it is said at the top of the form.
        super()._field_error(field if field in self.fields else None, message, code)

    def save(self):
        story = self.instance
        # The published story as stored, not as this form's validation left it.
        story.refresh_from_db()
        changes = {
            field: self.cleaned_data[field]
            for field in self._meta.fields
            if field in REVISABLE_FIELDS
            and field in self.cleaned_data
            and self.cleaned_data[field] != getattr(story, field)
        }
        tags = sorted(self.cleaned_data["tags"])
        unchanged_tags = tags == sorted(story.tags.names())
        return StoryRevision.propose(
            story, by=STORYTELLER, changes=changes, tags=None if unchanged_tags else tags
        )


class ReplyForm(forms.Form):
    """The storyteller's one answer to a decline."""

    text = StoryTextField(
        label=_("Your answer"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("You can answer once. A moderator will read it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SharingForm(forms.Form):
    """The storyteller's new choice of where the story may appear, from the
    private page (``Story.change_sharing``)."""

    sharing = forms.ChoiceField(
        label=_("Where may your story appear?"),
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where your story may appear.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AccessKeyForm(forms.Form):
    """The code and the passphrase of a story shared without an email
    address (:mod:`stories.keys`). Limited by attempts and failures in the
    view, not by a form stamp: a person may need many tries."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("Eight letters and numbers, for example ABCD-EF23."),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=_("The five words, in order."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ManageLinkRequestForm(ProtectedForm):
    """Asks for the private links again, for someone who lost the email."""

    email = forms.EmailField(
        label=_("The email address you gave with your story"),
        help_text=_("We send the private links of your stories to this address, and nowhere else."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- Public browsing ---------------------------------------------------------------


class SearchTermsField(forms.CharField):
    """The search box. Any text is accepted: past
    :data:`stories.search.MAX_QUERY_LENGTH` characters it is cut, not refused
    (a pasted paragraph still searches by its beginning); browsers stop
    typing there too (``maxlength``)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_QUERY_LENGTH, **kwargs)

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH]


class StoryFilterForm(forms.Form):
    """The filters and search box of the public story list (sent by GET, so
    they stay in the URL). Only values that some published story has are
    offered; an unknown value in the URL is reported on its field and ignored."""

    q = SearchTermsField(label=_("Search the stories"), required=False)
    role = forms.ChoiceField(label=_("Told by"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    tag = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, data=None, *, stories, with_tag=True):
        super().__init__(data)
        self.fields["role"].choices = [("", _("Anyone"))] + [
            (role, capfirst(label)) for role, label in PUBLIC_ROLE_LABELS.items()
        ]
        used_countries, used_languages = stories.used_countries_and_languages()
        self.fields["country"].choices = [("", _("Any country"))] + [
            (code, name) for code, name in countries if code in used_countries
        ]
        self.fields["language"].choices = [("", _("Any language"))] + [
            (code, name) for code, name in STORY_LANGUAGES if code in used_languages
        ]
        if with_tag:
            self.tags_by_slug = {tag.slug: tag for tag in stories.used_tags()}
            self.fields["tag"].choices = [("", _("Any topic"))] + [
                (tag.slug, tag.name) for tag in self.tags_by_slug.values()
            ]
        else:
            del self.fields["tag"]

    def filter(self, stories):
        """``stories`` narrowed by every valid filter, searched when there are terms."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("role"):
            stories = stories.filter(teller_role=values["role"])
        if values.get("country"):
            code = values["country"]
            stories = stories.filter(Q(country_of_origin=code) | Q(country_of_residence=code))
        if values.get("language"):
            stories = stories.filter(language=values["language"])
        if values.get("tag"):
            stories = stories.tagged(self.tags_by_slug[values["tag"]])
        if values.get("q"):
            stories = stories.search(values["q"])
        return stories

    @property
    def is_search(self):
        """Whether the list is searched (ranked by relevance: numbered pages)."""
        return bool(getattr(self, "cleaned_data", {}).get("q"))

    @property
    def is_filtered(self):
        return any(getattr(self, "cleaned_data", {}).values())


class ReportForm(ProtectedForm, forms.ModelForm):
    # No empty "select an option" choice among the radio buttons.
    reason = forms.ChoiceField(
        label=_("Why are you reporting this story?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Report
        fields = ["reason", "comment"]
        labels = {"comment": _("Anything to add? (optional)")}
        help_texts = {
            "comment": _("Please do not write your own or anyone else's contact details here."),
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}
