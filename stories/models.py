"""Stories told by refugees, migrants and the people who host them.

A story's ``status`` changes only through the methods of :class:`Story`
(``publish``, ``decline``, ``request_changes``, ``unpublish``, ``reopen``,
``withdraw``, ``edit_by_storyteller``, ...). Each one checks that the change is
allowed from the current status by :data:`STORY_TRANSITIONS`, the one table
of the workflow (raising :class:`IllegalTransition` otherwise), records it
in :class:`ModerationLogEntry`, saves only the fields it changed and emails
the storyteller where they need to know. :data:`TRANSLATION_TRANSITIONS` is
the same table for :class:`StoryTranslation`.

Who may see what: :meth:`StoryQuerySet.published` is the one definition of a
public story. The storyteller's ``name``, ``email`` and ``storyteller_reply``
are never public; ``display_name`` is the name the public sees.

The storyteller's private link (``/stories/manage/<token>/``) is a signed
token over the story's id, not a stored secret (see :meth:`Story.manage_token`).

Search (:meth:`StoryQuerySet.search`, :mod:`stories.search`): the ``save``
of a story or a translation (:class:`SearchedText`) keeps a stored search
column in step with its title, text and language, in that language: on
PostgreSQL ``search_vector`` (a weighted ``tsvector``, GIN-indexed),
elsewhere ``search_words`` (the fallback used on SQLite: the words' Snowball
stems, matched word by word, unranked). Only the column of the database in
use is filled. ``QuerySet.update()`` and ``bulk_create()`` of a title, text
or language bypass ``save`` and leave it stale: change those through the
models' methods (``redact``, ``edit_by_storyteller``, ``withdraw``,
``StoryTranslation.edit``, the admin).
"""

import secrets
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from stories import search
from stories.languages import STORY_LANGUAGES, is_rtl
from stories.topics import TopicManager
from together.images import StoredImage, delete_renditions
from together.mail import erase_emails_to, queue_email
from together.refusals import Refusal
from together.tokens import make_token, read_token

# The group whose members moderate stories (created by a data migration);
# its active members with an email address receive storytellers' replies.
MODERATORS_GROUP = "Moderators"
# Volunteers who translate published stories (group made by a data migration).
TRANSLATORS_GROUP = "Translators"

# What a withdrawn story's title becomes: the row stays (for the moderation
# log and the transparency figures) but nothing the storyteller wrote does.
WITHDRAWN_TITLE = ""

_MANAGE_TOKEN_SALT = "stories.manage"  # noqa: S105 (a namespace, not a secret)

# Stands for the storyteller as the author of a logged change (they have no
# account; a moderator's change is logged with their user).
STORYTELLER = object()
_SLUG_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class IllegalTransition(Refusal, ValidationError):
    """A state change that the story's current status does not allow.

    A ``ValidationError`` (code ``illegal_transition``) so that forms and the
    admin can show it as an ordinary error message.
    """

    def __init__(self, story, action, to_status=None):
        from_label = Story.Status(story.status).label
        if to_status is None:
            message = gettext("A story that is %(from)s cannot be changed by “%(action)s”.") % {
                "from": from_label,
                "action": ModerationLogEntry.Action(action).label,
            }
        else:
            message = gettext("A story cannot go from %(from)s to %(to)s.") % {
                "from": from_label,
                "to": Story.Status(to_status).label,
            }
        super().__init__(message, code="illegal_transition")
        self.action = action
        self.from_status = story.status
        self.to_status = to_status


class SearchedText(models.Model):
    """A ``title`` and ``body`` in a ``language``, kept searchable by
    :meth:`save` in that language (see :mod:`stories.search`): on PostgreSQL
    ``search_vector`` (title weighted above the text, GIN-indexed), elsewhere
    ``search_words`` (the SQLite fallback: the words' Snowball stems). Only
    the column of the database in use is filled."""

    search_vector = SearchVectorField(null=True, editable=False)
    search_words = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or _SEARCHED_FIELDS & set(update_fields):
            self._index_for_search(kwargs.get("using") or router.db_for_write(type(self), instance=self))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_vector", "search_words"}
        super().save(**kwargs)

    def _index_for_search(self, using):
        if connections[using].vendor == "postgresql":
            # Built by PostgreSQL itself, with the configuration of the language.
            config = models.Value(search.config_of(self.language))
            self.search_vector = SearchVector(
                models.Value(self.title), config=config, weight="A"
            ) + SearchVector(models.Value(self.body), config=config, weight="B")
            self.search_words = ""
        else:
            self.search_vector = None
            self.search_words = search.search_words(self.title, self.body, self.language)


# What the search columns are made from (see SearchedText.save).
_SEARCHED_FIELDS = frozenset({"title", "body", "language"})


class StoryQuerySet(models.QuerySet):
    def published(self):
        """The public stories: everything the site shows, lists, feeds and maps."""
        return self.filter(status=Story.Status.PUBLISHED)

    def featured(self):
        return self.published().filter(is_featured=True)

    def with_reader_translation(self, language):
        """Prefetch each story's published translation into ``language`` (one
        query for all; see :attr:`Story.reader_translation`) and annotate
        ``in_reader_language``: written in or translated into ``language``."""
        public_translations = StoryTranslation.objects.published().filter(language=language)
        return self.annotate(
            in_reader_language=models.Q(language=language)
            | models.Exists(public_translations.filter(story=models.OuterRef("pk")))
        ).prefetch_related(
            models.Prefetch("translations", queryset=public_translations, to_attr="reader_translations")
        )

    def of_storyteller(self, email):
        """The stories sent with ``email`` that the storyteller can still
        manage (a withdrawn story has no address left anyway)."""
        return self.filter(email__iexact=email.strip()).exclude(status=Story.Status.WITHDRAWN)

    def awaiting_moderation(self):
        """Stories a moderator has to decide on (new or edited after a request)."""
        return self.filter(status=Story.Status.PENDING)

    def search(self, terms):
        """Stories whose text, or a published translation of it, matches the
        reader's query ``terms``, each in its own language (see
        :mod:`stories.search`). On PostgreSQL: full-text search on the
        stored, GIN-indexed ``search_vector``, best match first (title above
        text; a story found only through a translation ranks by its own text,
        so after the others); elsewhere (SQLite) the stemmed
        ``search_words`` fallback, in the queryset's order. Any text is safe:
        only its first 200 characters
        (:data:`stories.search.MAX_QUERY_LENGTH`) and 16 terms are read; a
        query without a word changes nothing."""
        alternatives = search.parse_query(terms)
        if not alternatives:
            return self
        if connections[self.db].vendor == "postgresql":
            condition, rank = search.postgresql_match(alternatives)
        else:
            condition, rank = search.fallback_match(alternatives), None
        # The same condition reads a translation's columns, in its language.
        # A UNION (rather than OR) lets each table answer from its indexes.
        matching = (
            Story.objects.filter(condition)
            .values("pk")
            .union(StoryTranslation.objects.published().filter(condition).values("story_id"))
        )
        found = self.filter(pk__in=matching)
        if rank is None:
            return found
        return found.annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-pk")

    def tagged(self, tag):
        """The stories carrying ``tag`` (a Tag)."""
        return self.filter(pk__in=TaggedStory.objects.filter(tag=tag).values("content_object_id"))

    def related_to(self, story, *, limit=3):
        """Other published stories sharing the most tags with ``story``, in one
        query (the story's tags must be prefetched, or this adds one)."""
        tag_ids = [tag.pk for tag in story.tags.all()]
        if not tag_ids:
            return self.none()
        return (
            self.published()
            .filter(tagged_items__tag_id__in=tag_ids)
            .exclude(pk=story.pk)
            .annotate(shared_tags=models.Count("tagged_items"))
            .order_by("-shared_tags", "-published_at")[:limit]
        )

    def used_countries(self):
        """The distinct countries (of origin or residence) of these stories, as codes."""
        pairs = self.order_by().values_list("country_of_origin", "country_of_residence").distinct()
        return {code for pair in pairs for code in pair if code}

    def used_languages(self):
        """The distinct language codes of these stories."""
        return set(self.order_by().values_list("language", flat=True).distinct())

    def used_tags(self):
        """The tags of these stories (one query), by name."""
        tagged = TaggedStory.objects.filter(content_object__in=self.order_by().values("pk"))
        return Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("name")

    def tag_names_for(self, language, *, limit):
        """The names of the ``limit`` tags to suggest to someone writing in
        ``language`` (one query): those most used by these stories written in
        it first, then the most used of all, then by name."""
        uses = (
            TaggedStory.objects.filter(content_object__in=self.order_by().values("pk"))
            .values("tag__name")
            .annotate(
                in_language=models.Count("pk", filter=models.Q(content_object__language=language)),
                overall=models.Count("pk"),
            )
            .order_by("-in_language", "-overall", "tag__name")
        )
        return [row["tag__name"] for row in uses[:limit]]

    def with_open_report_count(self):
        """Annotate ``open_report_count`` and ``is_reported`` (unhandled reports)."""
        open_reports = Report.objects.filter(story=models.OuterRef("pk"), handled_at__isnull=True)
        return self.annotate(
            open_report_count=models.functions.Coalesce(
                models.Subquery(
                    open_reports.values("story").annotate(count=models.Count("pk")).values("count")
                ),
                0,
            ),
            is_reported=models.Exists(open_reports),
        )


def _empty_list():
    return []


class StoryStatus(models.TextChoices):
    PENDING = "pending", _("pending review")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    PUBLISHED = "published", _("published")
    DECLINED = "declined", _("declined")
    UNPUBLISHED = "unpublished", _("unpublished")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Transition(NamedTuple):
    """One action of a workflow: the statuses it is allowed from and the
    status it leads to (``None``: the status stays as it is). ``button``: a
    moderator takes it with a button of the admin's change page."""

    sources: frozenset
    target: str | None = None
    button: bool = False

    @property
    def refusal_target(self):
        """The status a refusal names ("cannot go from X to Y"): the target of
        an action that always changes the status; ``None`` for one that may
        leave it as it is (refused by the action's name)."""
        return self.target if self.target not in self.sources else None


_NOT_WITHDRAWN = frozenset(StoryStatus) - {StoryStatus.WITHDRAWN}

# The story's workflow, written once, by action (the values of
# ModerationLogEntry.Action): the methods of Story check against it, their
# refusals (IllegalTransition) are worded from it and the admin offers the
# moderation buttons it names, in the statuses it allows.
STORY_TRANSITIONS = {
    "publish": Transition(
        frozenset({StoryStatus.PENDING, StoryStatus.UNPUBLISHED}), StoryStatus.PUBLISHED, button=True
    ),
    "decline": Transition(
        frozenset({StoryStatus.PENDING, StoryStatus.CHANGES_REQUESTED}), StoryStatus.DECLINED, button=True
    ),
    "request_changes": Transition(
        frozenset({StoryStatus.PENDING}), StoryStatus.CHANGES_REQUESTED, button=True
    ),
    "unpublish": Transition(frozenset({StoryStatus.PUBLISHED}), StoryStatus.UNPUBLISHED, button=True),
    "reopen": Transition(frozenset({StoryStatus.DECLINED}), StoryStatus.PENDING, button=True),
    "feature": Transition(frozenset({StoryStatus.PUBLISHED}), button=True),
    "unfeature": Transition(frozenset({StoryStatus.PUBLISHED}), button=True),
    # A moderator's correction, saved by the admin's change form.
    "redact": Transition(_NOT_WITHDRAWN),
    # The storyteller's own actions, through the private link.
    "edit": Transition(
        frozenset({StoryStatus.PENDING, StoryStatus.CHANGES_REQUESTED}), StoryStatus.PENDING
    ),
    "reply": Transition(frozenset({StoryStatus.DECLINED})),
    "withdraw": Transition(_NOT_WITHDRAWN, StoryStatus.WITHDRAWN),
}


class Story(SearchedText):
    Status = StoryStatus

    class TellerRole(models.TextChoices):
        REFUGEE = "refugee", _("I am a refugee")
        MIGRANT = "migrant", _("I am a migrant")
        HOST = "host", _("I am a member of a host community")
        ABOUT_ANOTHER = "about_another", _("I am writing about another person, with their consent")

    class Naming(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymously")
        PSEUDONYM = "pseudonym", _("Under a pseudonym")
        FIRST_NAME = "first_name", _("With my first name only")
        FULL_NAME = "full_name", _("With my full name")

    class DeclineReason(models.TextChoices):
        IDENTIFIES_PERSON = "identifies_person", _("It could identify or endanger a person")
        HATE = "hate", _("It contains hate, harassment or discrimination")
        NOT_PERSONAL = "not_personal", _("It is not a personal story")
        SPAM = "spam", _("It is spam or advertising")
        DUPLICATE = "duplicate", _("It duplicates another story")
        OTHER = "other", _("Another reason (explained in the note)")

    # --- What the storyteller wrote ---------------------------------------
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("story"), help_text=_("Stored exactly as written; paragraphs are kept."))
    teller_role = models.CharField(_("who is telling it"), max_length=20, choices=TellerRole)
    about_person_consent = models.BooleanField(
        _("the person written about agreed"),
        default=False,
        help_text=_("Required when writing about another person."),
    )
    naming = models.CharField(_("how to be named"), max_length=20, choices=Naming, default=Naming.ANONYMOUS)
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("As the storyteller typed it; only the part chosen under “how to be named” is shown."),
    )
    country_of_origin = CountryField(_("country of origin"), blank=True, blank_label=_("(not given)"))
    country_of_residence = CountryField(_("country of residence"), blank=True, blank_label=_("(not given)"))
    city_or_region = models.CharField(
        _("city or region"),
        max_length=100,
        blank=True,
        help_text=_("Please do not be precise: a region or a large city is enough."),
    )
    language = models.CharField(_("language of the story"), max_length=10, choices=STORY_LANGUAGES)
    tags = TaggableManager(
        _("tags"), through="TaggedStory", blank=True, help_text=_("Up to five topics."), manager=TopicManager
    )
    content_note = models.CharField(
        _("content note"),
        max_length=200,
        blank=True,
        help_text=_("Warns readers before the story, e.g. “mentions violence”."),
    )

    # --- Photo: only metadata-free renditions, never the uploaded original ---
    photo_renditions = models.JSONField(
        _("photo renditions"),
        default=_empty_list,
        blank=True,
        help_text=_("Stored sizes of the photo: a list of {width, height, fmt, name}."),
    )
    photo_alt_text = models.CharField(_("photo description"), max_length=300, blank=True)
    photo_people_consented = models.BooleanField(
        _("everyone recognisable in the photo agreed"), default=False
    )

    # --- Safety and consent ----------------------------------------------
    is_minor = models.BooleanField(_("storyteller is under 18"), default=False)
    guardian_consent = models.BooleanField(_("a parent or guardian agreed"), default=False)
    email = models.EmailField(_("email address"), blank=True, help_text=_("Private: never shown."))
    site_language = models.CharField(
        _("language of emails"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
        help_text=_("The site language the story was submitted in; emails use it."),
    )
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))

    # --- Moderation --------------------------------------------------------
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        help_text=_("Set on first publication and kept if the story is unpublished and published again."),
    )
    decided_at = models.DateTimeField(
        _("first decision"), null=True, blank=True, help_text=_("When it was first published or declined.")
    )
    decline_reason_code = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineReason, blank=True
    )
    decline_note = models.TextField(
        _("note to the storyteller"),
        blank=True,
        help_text=_("Shown to the storyteller with a decline, a request for changes or an unpublication."),
    )
    storyteller_reply = models.TextField(_("storyteller's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_status_published_idx"),
            models.Index(fields=["-submitted_at"], name="story_submitted_idx"),
            models.Index(fields=["language"], name="story_language_idx"),
            models.Index(fields=["teller_role"], name="story_teller_role_idx"),
            models.Index(fields=["country_of_origin"], name="story_country_origin_idx"),
            models.Index(fields=["country_of_residence"], name="story_country_residence_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=StoryStatus.values),
                name="story_status_valid",
                violation_error_message=_("Unknown story status."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="story_published_has_date",
                violation_error_message=_("A published story needs a publication date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason_code=""),
                name="story_declined_has_reason",
                violation_error_message=_("A declined story needs a reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_minor=False)
                | (models.Q(naming="anonymous") & models.Q(photo_renditions=[])),
                name="story_minor_anonymous_without_photo",
                violation_error_message=_(
                    "A story by someone under 18 can only be published anonymously and without a photo."
                ),
            ),
        ]

    def __str__(self):
        return self.title or gettext("Withdrawn story %(id)s") % {"id": self.pk}

    def save(self, **kwargs):
        # Only the first save names the story; the slug never changes after
        # that (except on withdrawal) so links keep working.
        if not self.slug:
            self.slug = self.make_slug(self.title)
        super().save(**kwargs)

    def get_absolute_url(self):
        """The public page (``stories:story_detail``); only published stories have one."""
        return reverse("stories:story_detail", kwargs={"slug": self.slug})

    @staticmethod
    def make_slug(title):
        """The title's words plus a random suffix, so titles never collide and
        nobody can walk through stories by guessing ids."""
        suffix = "".join(secrets.choice(_SLUG_SUFFIX_ALPHABET) for _ in range(6))
        base = slugify(title)[:60].strip("-") or "story"
        return f"{base}-{suffix}"

    # --- Public presentation -----------------------------------------------

    @property
    def allows_social_sharing(self):
        """Whether the storyteller's consent permits share cards (placeholder: the safety work defines it)."""
        return True

    @property
    def display_name(self):
        """The name the public sees: anonymous unless the storyteller chose
        otherwise, and always anonymous for someone under 18."""
        name = self.name.strip()
        if self.is_minor or not name or self.naming == self.Naming.ANONYMOUS:
            return gettext("Anonymous")
        if self.naming == self.Naming.FIRST_NAME:
            return name.split()[0]
        return name

    @property
    def reader_translation(self):
        """The published translation prefetched by
        :meth:`StoryQuerySet.with_reader_translation`, or None."""
        return next(iter(getattr(self, "reader_translations", ())), None)

    @property
    def language_is_rtl(self):
        return is_rtl(self.language)

    @property
    def photo(self):
        """The photo (:class:`together.images.StoredImage`), false without one.
        Its fallback is the widest JPEG up to 960 pixels, as wide as the text."""
        return StoredImage(self.photo_renditions, fallback_width=960)

    @property
    def renditions(self):
        """The photo's stored sizes as :class:`together.images.Rendition` objects."""
        return self.photo.renditions

    @property
    def has_photo(self):
        return bool(self.photo_renditions)

    @property
    def photo_webp_srcset(self):
        return self.photo.webp_srcset

    @property
    def photo_jpeg_srcset(self):
        return self.photo.jpeg_srcset

    @property
    def photo_fallback(self):
        return self.photo.fallback

    # --- The storyteller's private link --------------------------------------

    @property
    def storyteller_can_edit(self):
        return self.status in STORY_TRANSITIONS["edit"].sources

    @property
    def storyteller_can_reply(self):
        return self.status == self.Status.DECLINED and self.replied_at is None

    def manage_token(self):
        """A signed token naming this story, for the storyteller's private link.

        The same story always gets the same token (no timestamp inside). It
        does not expire: the link is the storyteller's only key and they
        must be able to withdraw their story years later. It carries no
        secret of its own, only the story's id signed with SECRET_KEY, so
        rotating SECRET_KEY invalidates every link (old keys can be kept in
        SECRET_KEY_FALLBACKS to avoid that).
        """
        return make_token(self.pk, purpose=_MANAGE_TOKEN_SALT, dated=False)

    @classmethod
    def pk_from_manage_token(cls, token):
        """The story id in ``token``, or None if it was not made by us."""
        try:
            pk = read_token(token, purpose=_MANAGE_TOKEN_SALT, dated=False)
        except signing.BadSignature:
            return None
        return pk if isinstance(pk, int) else None

    def manage_url(self):
        """The absolute private link, in the story's site language, for emails."""
        with translation.override(self.site_language):
            path = reverse("stories:story_manage", kwargs={"token": self.manage_token()})
        return settings.SITE_URL + path

    def email_storyteller(self, template, **context):
        """Queue ``template`` to the storyteller, in the language they used
        the site in, with their private link as ``manage_url``."""
        if self.email:
            queue_email(
                to=self.email,
                template=template,
                context={"story": self, "manage_url": self.manage_url(), **context},
                language=self.site_language,
            )

    # --- Submitting ------------------------------------------------------------

    @classmethod
    @transaction.atomic
    def submit(cls, *, email, consent_version, site_language, tags=(), **fields):
        """Record a story sent through the sharing form, pending review, and
        email the storyteller their private link (in ``site_language``, the
        language they used the site in). ``fields`` are what they wrote (see
        :data:`STORYTELLER_EDITABLE_FIELDS`; ``photo_renditions`` already
        stored), ``tags`` a list of topic names; they consented to
        ``consent_version`` now. Returns the story."""
        unknown = set(fields) - STORYTELLER_EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"These fields cannot be submitted: {', '.join(sorted(unknown))}")
        story = cls(
            **fields,
            email=email,
            status=cls.Status.PENDING,
            consent_version=consent_version,
            consented_at=timezone.now(),
            site_language=site_language,
        )
        story.save()
        story.tags.set(tags)
        story.email_storyteller("stories/email/received")
        return story

    # --- State changes ---------------------------------------------------------
    # Each runs in a transaction, re-reads the status under a row lock (two
    # moderators clicking at once cannot both act), logs, and saves only the
    # fields it changed.

    @transaction.atomic
    def publish(self, *, by):
        """Make the story public (from pending, or again after an unpublication).

        A republished story keeps its first ``published_at``, so feeds and
        lists do not present it as new. Emails the storyteller.
        """
        from_status = self._lock_and_check("publish")
        now = timezone.now()
        fields = self._set_status("publish")
        if self.published_at is None:
            self.published_at = now
            fields.append("published_at")
        fields += self._mark_decided(now)
        self._save_and_log(fields, from_status=from_status, action=ModerationLogEntry.Action.PUBLISH, by=by)
        self.email_storyteller("stories/email/published")

    @transaction.atomic
    def decline(self, *, by, reason_code, note=""):
        """Refuse the story with a standard reason and an optional note the
        storyteller sees (they may answer once). Emails the storyteller."""
        if reason_code not in self.DeclineReason.values:
            raise ValidationError(gettext("Choose a reason for declining."), code="invalid_reason")
        if reason_code == self.DeclineReason.OTHER and not note.strip():
            raise ValidationError(
                gettext("Explain the reason in the note when it is “another reason”."), code="note_required"
            )
        from_status = self._lock_and_check("decline")
        fields = self._set_status("decline")
        self.decline_reason_code = reason_code
        self.decline_note = note
        fields += ["decline_reason_code", "decline_note", *self._mark_decided(timezone.now())]
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.DECLINE, by=by, note=note
        )
        self.email_storyteller("stories/email/declined")

    @transaction.atomic
    def request_changes(self, *, by, note):
        """Ask the storyteller to change something before publication; their
        edit through the private link puts the story back to pending."""
        if not note.strip():
            raise ValidationError(gettext("Say what should change."), code="note_required")
        from_status = self._lock_and_check("request_changes")
        fields = self._set_status("request_changes")
        self.decline_note = note
        fields.append("decline_note")
        self._save_and_log(
            fields,
            from_status=from_status,
            action=ModerationLogEntry.Action.REQUEST_CHANGES,
            by=by,
            note=note,
        )
        self.email_storyteller("stories/email/changes_requested")

    @transaction.atomic
    def unpublish(self, *, by, note=""):
        """Take a published story off the site (it can be published again).
        Also ends its featuring. Emails the storyteller."""
        from_status = self._lock_and_check("unpublish")
        fields = self._set_status("unpublish")
        self.is_featured = False
        self.decline_note = note
        fields += ["is_featured", "decline_note"]
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.UNPUBLISH, by=by, note=note
        )
        self.email_storyteller("stories/email/unpublished")

    @transaction.atomic
    def reopen(self, *, by, note=""):
        """Put a declined story back in the moderation queue (for instance
        after the storyteller's reply). Nothing is emailed."""
        from_status = self._lock_and_check("reopen")
        fields = self._set_status("reopen")
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.REOPEN, by=by, note=note
        )

    @transaction.atomic
    def feature(self, *, by):
        from_status = self._lock_and_check("feature")
        self.is_featured = True
        self._save_and_log(
            ["is_featured"], from_status=from_status, action=ModerationLogEntry.Action.FEATURE, by=by
        )

    @transaction.atomic
    def unfeature(self, *, by):
        from_status = self._lock_and_check("unfeature")
        self.is_featured = False
        self._save_and_log(
            ["is_featured"], from_status=from_status, action=ModerationLogEntry.Action.UNFEATURE, by=by
        )

    @transaction.atomic
    def edit_by_storyteller(self, *, tags=None, **changes):
        """Apply the storyteller's own edit (only before publication).

        ``changes`` are field values (see :data:`STORYTELLER_EDITABLE_FIELDS`),
        ``tags`` a list of tag names. A story with changes requested goes back
        to pending. A replaced photo's old files are deleted once the
        transaction commits. The log lists which fields changed, not their
        contents (the log outlives a withdrawal).
        """
        from_status = self._lock_and_check("edit", reread=["photo_renditions"])
        fields = self._apply_changes(changes, allowed=STORYTELLER_EDITABLE_FIELDS, tags=tags)
        fields += self._set_status("edit")
        self._save_and_log(
            fields,
            from_status=from_status,
            action=ModerationLogEntry.Action.EDIT,
            by=STORYTELLER,
            note=_changed_fields_note(changes, tags),
        )

    @transaction.atomic
    def redact(self, *, by, note="", tags=None, **changes):
        """A moderator's correction (removing a surname, a street, a photo)
        in any status but withdrawn; the status does not change."""
        from_status = self._lock_and_check("redact", reread=["photo_renditions"])
        fields = self._apply_changes(changes, allowed=MODERATOR_EDITABLE_FIELDS, tags=tags)
        note = " ".join(filter(None, [_changed_fields_note(changes, tags), note]))
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.REDACT, by=by, note=note
        )
        if {"title", "body"} & set(changes):
            # A published translation no longer matches the corrected text.
            for story_translation in self.translations.filter(status=StoryTranslation.Status.PUBLISHED):
                story_translation.back_to_review(by=by)

    @transaction.atomic
    def reply_to_decline(self, text):
        """The storyteller's one answer to a decline; emailed to the moderators
        (see :func:`moderator_addresses`). The text is stored on the story
        only, not in the log, so a withdrawal erases it."""
        if not text.strip():
            raise ValidationError(gettext("Write your reply."), code="required")
        from_status = self._lock_and_check("reply", reread=["replied_at"])
        if self.replied_at is not None:
            raise ValidationError(
                gettext("You have already replied to this decision."), code="already_replied"
            )
        self.storyteller_reply = text
        self.replied_at = timezone.now()
        self._save_and_log(
            ["storyteller_reply", "replied_at"],
            from_status=from_status,
            action=ModerationLogEntry.Action.REPLY,
            by=STORYTELLER,
        )
        for address in moderator_addresses():
            queue_email(
                to=address,
                template="stories/email/moderator_reply",
                context={"story": self},
                language=settings.LANGUAGE_CODE,
            )

    @transaction.atomic
    def withdraw(self):
        """The storyteller takes the story back: erase everything they wrote.

        Allowed from any status but withdrawn. Erases the title, text, name,
        email address (and every stored email to it), place, content note,
        tags, reply, the notes moderators wrote about it and the comments of
        readers' reports (they may quote it), the photo description and, once
        the transaction commits, the photo files. The slug loses the title's
        words. Kept: the id, the dates, the status "withdrawn" and the
        moderation log without its notes, so the transparency figures stay
        true.
        """
        from_status = self._lock_and_check("withdraw", reread=["email", "photo_renditions", "slug"])
        old_email, old_renditions = self.email, self.renditions
        fields = self._set_status("withdraw")
        erased = {
            "title": WITHDRAWN_TITLE,
            "body": "",
            "naming": self.Naming.ANONYMOUS,
            "name": "",
            "email": "",
            "country_of_origin": "",
            "country_of_residence": "",
            "city_or_region": "",
            "content_note": "",
            "photo_renditions": [],
            "photo_alt_text": "",
            "photo_people_consented": False,
            "decline_note": "",
            "storyteller_reply": "",
            "is_featured": False,
            "slug": f"withdrawn-{self.slug.rsplit('-', 1)[-1]}-{self.pk}",
        }
        for field, value in erased.items():
            setattr(self, field, value)
        fields += list(erased)
        self.tags.clear()
        # Translations contain the story: they go with it (their log entries
        # stay, without their notes, like the story's).
        self.translations.all().delete()
        self.log_entries.update(note="")
        # Readers' report comments may quote the story or name its teller.
        self.reports.update(comment="")
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.WITHDRAW, by=STORYTELLER
        )
        if old_email:
            erase_emails_to(old_email)
        if old_renditions:
            transaction.on_commit(lambda: delete_renditions(old_renditions))

    # --- Helpers of the state changes ------------------------------------------

    def _lock_and_check(self, action, *, reread=()):
        """Re-read the status (and the ``reread`` fields, whose stored value
        the change depends on) under a row lock; refuse ``action`` if
        :data:`STORY_TRANSITIONS` does not allow it from there. Returns the
        status before the change, for the log."""
        current = type(self).objects.select_for_update().values("status", *reread).get(pk=self.pk)
        for field, value in current.items():
            setattr(self, field, value)
        transition = STORY_TRANSITIONS[action]
        if self.status not in transition.sources:
            raise IllegalTransition(self, action, transition.refusal_target)
        return self.status

    def _set_status(self, action):
        """Move to the status ``action`` leads to; the fields it changed."""
        self.status = STORY_TRANSITIONS[action].target
        return ["status"]

    def _mark_decided(self, now):
        if self.decided_at is None:
            self.decided_at = now
            return ["decided_at"]
        return []

    def _apply_changes(self, changes, *, allowed, tags):
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"These fields cannot be changed this way: {', '.join(sorted(unknown))}")
        if "photo_renditions" in changes:
            replaced = [
                r for r in self.renditions if r.name not in {d["name"] for d in changes["photo_renditions"]}
            ]
            if replaced:
                transaction.on_commit(lambda: delete_renditions(replaced))
        for field, value in changes.items():
            setattr(self, field, value)
        if tags is not None:
            self.tags.set(tags, clear=True)
        return list(changes)

    def _save_and_log(self, fields, *, from_status, action, by, note=""):
        """Save ``fields`` and log the change from ``from_status`` (as
        :meth:`_lock_and_check` read it); ``by`` is the moderator, or
        :data:`STORYTELLER` for the storyteller's own actions."""
        self.save(update_fields=sorted({*fields, "updated_at"}))
        ModerationLogEntry.objects.create(
            story=self,
            actor=None if by is STORYTELLER else by,
            by_storyteller=by is STORYTELLER,
            from_status=from_status,
            to_status=self.status,
            action=action,
            note=note,
        )


# What the storyteller may change through the private link before publication.
STORYTELLER_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "body",
        "teller_role",
        "about_person_consent",
        "naming",
        "name",
        "country_of_origin",
        "country_of_residence",
        "city_or_region",
        "language",
        "content_note",
        "photo_renditions",
        "photo_alt_text",
        "photo_people_consented",
        "is_minor",
        "guardian_consent",
    }
)
# What a moderator may correct: what is shown, never the consent records.
MODERATOR_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "body",
        "naming",
        "name",
        "city_or_region",
        "content_note",
        "photo_renditions",
        "photo_alt_text",
    }
)


def _changed_fields_note(changes, tags, *, model=None):
    model = model or Story
    names = [str(model._meta.get_field(field).verbose_name) for field in sorted(changes)]
    if tags is not None:
        names.append(str(Story._meta.get_field("tags").verbose_name))
    return gettext("Changed: %(fields)s.") % {"fields": ", ".join(names)} if names else ""


def moderator_addresses():
    """Where storytellers' replies are sent: the active members of the
    Moderators group who have an email address, plus settings.MODERATION_EMAIL
    (a shared mailbox) when it is set."""
    addresses = set(
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if getattr(settings, "MODERATION_EMAIL", ""):
        addresses.add(settings.MODERATION_EMAIL)
    return sorted(addresses)


class TaggedStory(TaggedItemBase):
    """A story's tag, through a real foreign key rather than taggit's generic
    relation: joins stay plain (indexable, no content-type condition) and a
    story's tags go with it."""

    content_object = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("story tag")
        verbose_name_plural = _("story tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_story_unique"),
        ]


class ModerationLogEntry(models.Model):
    """One change to a story: who, when, from which status to which, and why.

    Written only by the state-change methods of :class:`Story` and
    :class:`StoryTranslation`. The storyteller's
    own actions have no ``actor`` and ``by_storyteller`` set.
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publish")
        DECLINE = "decline", _("decline")
        REQUEST_CHANGES = "request_changes", _("request changes")
        UNPUBLISH = "unpublish", _("unpublish")
        REOPEN = "reopen", _("reopen")
        WITHDRAW = "withdraw", _("withdraw")
        EDIT = "edit", _("edit by the storyteller")
        REDACT = "redact", _("correction by a moderator")
        REPLY = "reply", _("reply by the storyteller")
        FEATURE = "feature", _("feature")
        UNFEATURE = "unfeature", _("stop featuring")
        SUBMIT_TRANSLATION = "submit_translation", _("translation submitted")
        EDIT_TRANSLATION = "edit_translation", _("translation edited")
        PUBLISH_TRANSLATION = "publish_translation", _("translation published")
        RETURN_TRANSLATION = "return_translation", _("translation returned for changes")
        REVIEW_TRANSLATION = "review_translation", _("translation back to review after a correction")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="log_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    by_storyteller = models.BooleanField(_("by the storyteller"), default=False)
    # Set for a change to a translation of the story (its statuses share the
    # story's values); the language stays when a withdrawal deletes it.
    translation = models.ForeignKey(
        "StoryTranslation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        verbose_name=_("translation"),
    )
    translation_language = models.CharField(
        _("language of the translation"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Story.Status)
    to_status = models.CharField(_("to"), max_length=20, choices=Story.Status)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["story", "-created_at"], name="story_log_story_created_idx")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.story_id} · {self.created_at:%Y-%m-%d %H:%M}"


# --- Translations ---------------------------------------------------------------------


class IllegalTranslationChange(ValidationError):
    """A change to a translation that its status, its story or the person
    asking does not allow (``code`` says which)."""


class StoryTranslationQuerySet(models.QuerySet):
    def published(self):
        """The public translations: published, of a public story."""
        return self.filter(status=StoryTranslation.Status.PUBLISHED, story__in=Story.objects.published())

    def awaiting_review(self):
        return self.filter(status=StoryTranslation.Status.PENDING)


class StoryTranslationStatus(models.TextChoices):
    # The same values as the story statuses, so the moderation log can record
    # a translation's changes in its story's status columns.
    PENDING = StoryStatus.PENDING.value, _("pending review")
    CHANGES_REQUESTED = StoryStatus.CHANGES_REQUESTED.value, _("changes requested")
    PUBLISHED = StoryStatus.PUBLISHED.value, _("published")


# What a translator may change (StoryTranslation.edit).
TRANSLATION_EDITABLE_FIELDS = frozenset({"title", "body"})

# The translation's workflow, written once, by method (read like
# STORY_TRANSITIONS; submitting makes a new translation pending).
TRANSLATION_TRANSITIONS = {
    "publish": Transition(
        frozenset({StoryTranslationStatus.PENDING}), StoryTranslationStatus.PUBLISHED, button=True
    ),
    "return_for_changes": Transition(
        frozenset({StoryTranslationStatus.PENDING, StoryTranslationStatus.PUBLISHED}),
        StoryTranslationStatus.CHANGES_REQUESTED,
        button=True,
    ),
    # The translator's correction, saved by the admin's form.
    "edit": Transition(frozenset(StoryTranslationStatus), StoryTranslationStatus.PENDING),
    # After the story's text is corrected (Story.redact).
    "back_to_review": Transition(
        frozenset({StoryTranslationStatus.PUBLISHED}), StoryTranslationStatus.PENDING
    ),
}


class StoryTranslation(SearchedText):
    """A volunteer's translation of a published story into another site language.

    Reviewed before publication like a story. Its ``status`` changes only
    through its methods (``submit``, ``edit``, ``publish``,
    ``return_for_changes``, ``back_to_review``), each logged in the story's
    :class:`ModerationLogEntry`. It is public only while its story is
    (:meth:`StoryTranslationQuerySet.published`) and is deleted when the
    storyteller withdraws the story.
    """

    Status = StoryTranslationStatus

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="translations", verbose_name=_("story")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("translation"), help_text=_("Plain text, paragraphs separated by a blank line.")
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("translated by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    objects = StoryTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("story translation")
        verbose_name_plural = _("story translations")
        ordering = ["-created_at"]
        permissions = [("publish_storytranslation", _("Can publish story translations"))]
        indexes = [
            models.Index(fields=["language", "status"], name="story_translation_lang_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "language"],
                name="story_translation_unique_language",
                violation_error_message=_("This story already has a translation into this language."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=StoryTranslationStatus.values),
                name="story_translation_status_valid",
                violation_error_message=_("Unknown translation status."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="story_translation_published_has_date",
                violation_error_message=_("A published translation needs a publication date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reviewed_by=models.F("translated_by")),
                name="story_translation_reviewer_not_translator",
                violation_error_message=_(
                    "A translation must be reviewed by someone other than its translator."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"

    def clean(self):
        super().clean()
        if self.story_id is not None and self.language and self.language == self.story.language:
            raise ValidationError(
                {"language": gettext("The story is already written in this language.")},
                code="same_language",
            )

    # --- State changes (transaction, row lock, update_fields, log) ---------------

    @transaction.atomic
    def submit(self, *, by):
        """Add this new translation to the review queue. Only a published
        story is translated (the text must be final and public)."""
        if self.pk is not None:
            raise IllegalTranslationChange(
                gettext("This translation was already submitted."), code="submitted"
            )
        self.full_clean(exclude=["translated_by", "status"])
        self._check_story_published(gettext("Only a published story can be translated."))
        self.translated_by, self.status = by, self.Status.PENDING
        self.save()
        self._log(self.Status.PENDING, action=ModerationLogEntry.Action.SUBMIT_TRANSLATION, by=by)

    @transaction.atomic
    def edit(self, *, by, **changes):
        """Change the title or text; a translation that was published or
        returned for changes goes (back) to review."""
        unknown = set(changes) - TRANSLATION_EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"These fields cannot be changed this way: {', '.join(sorted(unknown))}")
        from_status = self._lock_and_check("edit")
        for field, value in changes.items():
            setattr(self, field, value)
        self.status = TRANSLATION_TRANSITIONS["edit"].target
        self.save(update_fields=[*sorted(changes), "status", "updated_at"])
        self._log(
            from_status,
            action=ModerationLogEntry.Action.EDIT_TRANSLATION,
            by=by,
            note=_changed_fields_note(changes, None, model=StoryTranslation),
        )

    @transaction.atomic
    def publish(self, *, by):
        """Make the translation public. Needs the ``publish_storytranslation``
        permission, a published story and a reviewer other than the
        translator (a second pair of eyes on every translation)."""
        if not by.has_perm("stories.publish_storytranslation"):
            raise IllegalTranslationChange(
                gettext("You are not allowed to publish translations."), code="permission"
            )
        from_status = self._lock_and_check("publish")
        if by.pk == self.translated_by_id:
            raise IllegalTranslationChange(
                gettext("A translation must be reviewed and published by someone other than its translator."),
                code="own_translation",
            )
        self._check_story_published(gettext("Publish the story before its translation."))
        now = timezone.now()
        self.status, self.reviewed_by = TRANSLATION_TRANSITIONS["publish"].target, by
        fields = ["status", "reviewed_by", "updated_at"]
        if self.published_at is None:
            self.published_at = now
            fields.append("published_at")
        self.save(update_fields=fields)
        self._log(from_status, action=ModerationLogEntry.Action.PUBLISH_TRANSLATION, by=by)

    @transaction.atomic
    def return_for_changes(self, *, by, note):
        """Send the translation back to its translator (a published one goes
        off the site); ``note`` says what to change."""
        if not note.strip():
            raise ValidationError(gettext("Say what should change."), code="note_required")
        if not by.has_perm("stories.publish_storytranslation"):
            raise IllegalTranslationChange(
                gettext("You are not allowed to review translations."), code="permission"
            )
        from_status = self._lock_and_check("return_for_changes")
        self.status, self.reviewed_by = TRANSLATION_TRANSITIONS["return_for_changes"].target, by
        self.save(update_fields=["status", "reviewed_by", "updated_at"])
        self._log(from_status, action=ModerationLogEntry.Action.RETURN_TRANSLATION, by=by, note=note)

    @transaction.atomic
    def back_to_review(self, *, by):
        """Take a published translation off the site because its story's text
        was corrected (:meth:`Story.redact`): it must be checked again."""
        from_status = self._lock_and_check("back_to_review")
        self.status = TRANSLATION_TRANSITIONS["back_to_review"].target
        self.save(update_fields=["status", "updated_at"])
        self._log(
            from_status,
            action=ModerationLogEntry.Action.REVIEW_TRANSLATION,
            by=by,
            note=gettext("The story was corrected; check the translation against it."),
        )

    def _lock_and_check(self, action):
        """Re-read the status under a row lock (two reviewers clicking at once
        cannot both act); refuse ``action`` if :data:`TRANSLATION_TRANSITIONS`
        does not allow it from there. Returns the status before the change."""
        self.status = type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        if self.status not in TRANSLATION_TRANSITIONS[action].sources:
            raise IllegalTranslationChange(
                gettext("A translation that is %(status)s cannot be changed this way.")
                % {"status": self.Status(self.status).label},
                code="illegal_transition",
            )
        return self.status

    def _check_story_published(self, message):
        if not Story.objects.select_for_update().published().filter(pk=self.story_id).exists():
            raise IllegalTranslationChange(message, code="story_not_published")

    def _log(self, from_status, *, action, by, note=""):
        ModerationLogEntry.objects.create(
            story_id=self.story_id,
            translation=self,
            translation_language=self.language,
            actor=by,
            from_status=from_status,
            to_status=self.status,
            action=action,
            note=note,
        )


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(handled_at__isnull=True)

    def mark_handled(self, *, by):
        """Close the open reports among these; returns how many were closed."""
        return self.open().update(handled_at=timezone.now(), handled_by=by)


class Report(models.Model):
    """A reader's report that a published story breaks the rules or puts
    someone at risk.

    A report only brings the story to the top of the moderators' queue; it
    never hides the story by itself (mass reporting is an expected attack).
    Nothing about the reader is stored.
    """

    class Reason(models.TextChoices):
        IDENTIFIES_PERSON = "identifies_person", _("It could identify or endanger someone")
        HATE = "hate", _("It contains hate, harassment or discrimination")
        FALSE = "false", _("It seems false or misleading")
        SPAM = "spam", _("It is spam or advertising")
        MINE = "mine", _("It is about me and I did not agree to it")
        OTHER = "other", _("Something else")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=30, choices=Reason)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["story"], condition=models.Q(handled_at__isnull=True), name="report_open_story_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.story_id} · {self.created_at:%Y-%m-%d %H:%M}"


# How the public pages name a storyteller's role (the choices themselves are
# worded for the storyteller filling in the form: "I am a refugee").
PUBLIC_ROLE_LABELS = {
    Story.TellerRole.REFUGEE: _("a refugee"),
    Story.TellerRole.MIGRANT: _("a migrant"),
    Story.TellerRole.HOST: _("a member of a host community"),
    Story.TellerRole.ABOUT_ANOTHER: _("someone writing about another person, with their consent"),
}
