"""Stories told by refugees, migrants and the people who host them.

A story's ``status`` changes only through the methods of :class:`Story`
(``publish``, ``decline``, ``request_changes``, ``unpublish``, ``reopen``,
``withdraw``, ``edit_by_storyteller``, ``make_less_identifying``,
``keep_declined``, ``claim``, ...). Each one checks that the change is
allowed from the current status by :data:`STORY_TRANSITIONS`, the one table
of the workflow (raising :class:`IllegalTransition` otherwise), records it
in :class:`ModerationLogEntry`, saves only the fields it changed and emails
the storyteller where they need to know. :data:`TRANSLATION_TRANSITIONS` is
the same table for :class:`StoryTranslation`, :data:`REVISION_TRANSITIONS`
for :class:`StoryRevision` (a change the storyteller proposes to their
published story, applied only when a moderator approves it).

The moderation queue: a change of status ends a moderator's claim on the
story (``claimed_by``) and a first approval (``approved_by``, which only a
waiting minor's story has: it needs two different moderators to publish);
``waiting_since`` moves with the storyteller's actions and
``privacy_hint_count`` with the checked texts (on save), so the admin's
queue sorts and filters on stored columns.

Who may see what: :meth:`StoryQuerySet.published` is the one definition of a
public story. The storyteller's ``name``, ``email`` and ``storyteller_reply``
are never public; ``display_name`` is the name the public sees.

One address, every spelling: a storyteller's stories are found by
``email_normalised``, the canonical form of ``email``
(:func:`together.mail.normalise_email`, the form pledges, sign-ups and the
outbox compare too), through :meth:`StoryQuerySet.of_storyteller` ("send me
my links", the "my data" page and its erasure). ``save`` sets it whenever
``email`` is saved and empties it with ``email`` (withdrawal, erasure):
change the address through ``save``, never ``QuerySet.update()``.

Keep only what is needed: a story stores no personal detail that its
identity level does not show (:meth:`Story.erase_unused_identity`, run by
``clean`` and every ``save``, backed by the ``story_unused_name_erased``
constraints): no name when anonymous (so never for someone under 18), only
the first name with "first name only".

The storyteller's private link (``/stories/manage/<token>/``) is a signed
token over the story's id and its own random ``manage_secret``
(:meth:`Story.manage_token`). :meth:`Story.replace_manage_link` draws a new
secret: every earlier link answers 404 at once. Links made before the secret
existed (the id alone, signed) keep working while ``accepts_legacy_link`` is
set, that is until the secret is first replaced.

Without an email address, the storyteller opens the same private page with
a short ``access_code`` and a passphrase shown once (only its hash, made by
Django's password hashers, is stored; see :mod:`stories.keys`).

Search (:meth:`StoryQuerySet.search`, :mod:`stories.search`): the ``save``
of a story or a translation (:class:`SearchedText`) keeps a stored search
column in step with its title, text and language, in that language: on
PostgreSQL ``search_vector`` (a weighted ``tsvector``, GIN-indexed),
elsewhere ``search_words`` (the fallback used on SQLite: the words' Snowball
stems, matched word by word, unranked). Only the column of the database in
use is filled. ``QuerySet.update()`` and ``bulk_create()`` of a title, text
or language bypass ``save`` and leave it stale: change those through the
models' methods (``redact``, ``edit_by_storyteller``, ``withdraw``,
``StoryRevision.approve``, ``StoryTranslation.edit``, the admin).
"""

import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from stories import search
from stories.languages import STORY_LANGUAGES, is_rtl
from stories.privacy import count_privacy_hints
from stories.topics import TopicManager
from together.images import StoredImage, delete_renditions
from together.inrow import instances, json_list, read_json_list
from together.mail import erase_emails_to, erase_link_bodies_to, normalise_email, queue_email
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
# The private links made since each story has its own secret.
_MANAGE_SECRET_TOKEN_SALT = "stories.manage-secret"  # noqa: S105 (a namespace, not a secret)


def new_manage_secret():
    return secrets.token_urlsafe(24)


# Stands for the storyteller as the author of a logged change (they have no
# account; a moderator's change is logged with their user).
STORYTELLER = object()
_SLUG_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class ModerationRefused(Refusal, ValidationError):
    """A moderation step the story's state allows, refused for another reason
    (a second approval by the same moderator, releasing someone else's
    claim); ``code`` says which."""

    def __init__(self, message, code):
        super().__init__(message, code=code)


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


class _WithTagsIterable(models.query.ModelIterable):
    """Stories whose ``tags_in_row`` (StoryQuerySet.with_tags) becomes their
    prefetched tags, as Django's prefetch_related stores them."""

    def __iter__(self):
        for story in super().__iter__():
            rows = sorted(read_json_list(story.tags_in_row), key=lambda row: row.pop("added"))
            tags = Tag.objects.all()
            tags._result_cache = instances(Tag, rows)
            tags._prefetch_done = True
            cache = getattr(story, "_prefetched_objects_cache", {})
            story._prefetched_objects_cache = {**cache, "tags": tags}
            yield story


class ListColumns(NamedTuple):
    """The names, in a queryset of stories, of the columns the public lists
    read them by (the story's order and "in the reader's language")."""

    published_at: str
    pk: str
    language: str


STORY_LIST_COLUMNS = ListColumns("published_at", "pk", "language")
# Their copies on a topic's tagging rows (StoryQuerySet.tagged), equal to
# the story's for every published story (TaggedStory's triggers).
TAGGING_LIST_COLUMNS = ListColumns("listed_at", "listed_pk", "listed_language")


def list_columns(stories):
    """The :class:`ListColumns` to read ``stories`` (a queryset) by: the
    tagging's copies after :meth:`StoryQuerySet.tagged`, else the story's."""
    tagged = TAGGING_LIST_COLUMNS.published_at in stories.query.annotations
    return TAGGING_LIST_COLUMNS if tagged else STORY_LIST_COLUMNS


class StoryQuerySet(models.QuerySet):
    def published(self):
        """The public stories: everything the site shows, lists, feeds and maps."""
        return self.filter(status=Story.Status.PUBLISHED)

    def featured(self):
        return self.published().filter(is_featured=True)

    def for_partners(self):
        """The public stories partner organisations may show or receive
        (widgets, syndication, the Atom feed): their storytellers allowed it."""
        return self.published().filter(sharing__in=allowed_levels(Sharing.PARTNERS))

    def for_press(self):
        """The public stories journalists and social media may receive (share
        cards, press requests): their storytellers allowed it."""
        return self.published().filter(sharing__in=allowed_levels(Sharing.PRESS))

    def declined_past_answer_window(self, now=None):
        """Declined stories not yet erased whose last decline is older than
        the answer window (settings.RETENTION_DECLINED_STORY_DAYS): their
        storytellers can no longer answer, so nothing they wrote is kept."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DECLINED_STORY_DAYS)
        last_decline = (
            ModerationLogEntry.objects.filter(
                story=models.OuterRef("pk"), action=ModerationLogEntry.Action.DECLINE
            )
            .order_by("-created_at")
            .values("created_at")[:1]
        )
        return (
            self.filter(status=Story.Status.DECLINED, erased_at__isnull=True)
            .annotate(last_declined_at=models.Subquery(last_decline))
            .filter(
                models.Q(last_declined_at__lt=cutoff)
                | models.Q(last_declined_at__isnull=True, decided_at__lt=cutoff)
            )
        )

    def with_reader_translation(self, language):
        """Each of these (published) stories with its published translation
        into ``language``, joined in the same query (see
        :attr:`Story.reader_translation`), and annotated
        ``in_reader_language``: written in or translated into ``language``.

        One LEFT JOIN instead of a prefetch: a translation is unique per story
        and language, so the join never multiplies the rows, and every page
        listing stories saves a query (whatever its length)."""
        reader = models.FilteredRelation(
            "translations",
            condition=models.Q(
                translations__language=language, translations__status=StoryTranslation.Status.PUBLISHED
            ),
        )
        # EXISTS, not the join's column, in ``in_reader_language``: PostgreSQL
        # estimates "not in the reader's language" well as an anti-join, and
        # then reads a page of them along the index (stories.pagination).
        # A topic's stories by their tagging's columns (list_columns): the
        # tag's index then answers the condition without reading a story.
        columns = list_columns(self)
        public_translations = StoryTranslation.objects.filter(
            language=language, status=StoryTranslation.Status.PUBLISHED, story=models.OuterRef(columns.pk)
        )
        return self.annotate(
            reader_translation_join=reader,
            in_reader_language=models.Q(**{columns.language: language}) | models.Exists(public_translations),
            **{
                f"{READER_TRANSLATION_PREFIX}{name}": models.F(f"reader_translation_join__{name}")
                for name in READER_TRANSLATION_FIELDS
            },
        )

    def with_tags(self):
        """These stories with their tags read in the same query, as
        ``prefetch_related("tags")`` gives them (``story.tags.all()``, in the
        order they were added) but without its second query: each row
        carries its tags as a JSON list (a correlated subquery, one small
        aggregate per story shown), made into Tag objects as the rows are
        read (:class:`_WithTagsIterable`). For short lists whose page counts
        its queries (the home page)."""
        # "added": the tagging's id, to order them (not every database
        # orders inside an aggregate).
        taggings = TaggedStory.objects.filter(content_object=models.OuterRef("pk"))
        rows = self.annotate(
            tags_in_row=json_list(taggings, id="tag_id", name="tag__name", slug="tag__slug", added="pk")
        )
        rows._iterable_class = _WithTagsIterable
        return rows

    def of_storyteller(self, email):
        """The stories sent with ``email``, in any spelling of that mailbox
        (compared in the canonical form, ``email_normalised``), that the
        storyteller can still manage (a withdrawn story has no address left
        anyway). None for an empty address: stories sent without one are
        nobody's to find by address."""
        canonical = normalise_email(email)
        if not canonical:
            return self.none()
        return self.filter(email_normalised=canonical).exclude(status=Story.Status.WITHDRAWN)

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
        """The published stories carrying ``tag`` (a Tag), each joined to its
        tagging (one: a story carries a tag once), whose copies of the
        story's list columns (:class:`TaggedStory`) are aliased as
        :data:`TAGGING_LIST_COLUMNS`: the public lists read a topic's stories
        by them (:func:`list_columns`), so that PostgreSQL walks the tag's
        own index newest first, deciding "in the reader's language" from
        the index alone. Aliases, not filters on ``tagged_items``: a later
        filter on them reuses this join instead of adding another."""
        columns = TAGGING_LIST_COLUMNS
        return self.filter(tagged_items__tag=tag, tagged_items__published_at__isnull=False).alias(
            **{
                columns.published_at: models.F("tagged_items__published_at"),
                columns.pk: models.F("tagged_items__content_object_id"),
                columns.language: models.F("tagged_items__language"),
            }
        )

    def related_to(self, story, *, limit=3):
        """Other published stories sharing the most tags with ``story``, newest
        first among equals, in one query (the story's tags must be
        prefetched, or this adds one).

        Chosen among the taggings alone (their copies of the story's
        publication time, kept by triggers: see :class:`TaggedStory`), from
        the tags' own index; only the ``limit`` chosen stories are read. A
        join of the stories grouped by story read every story of every tag
        shared: 45 ms for a topic of 5,000 stories, on every story page."""
        tag_ids = [tag.pk for tag in story.tags.all()]
        if not tag_ids:
            return self.none()
        shared_taggings = models.Q(tagged_items__tag_id__in=tag_ids)
        chosen = (
            TaggedStory.objects.filter(tag_id__in=tag_ids, published_at__isnull=False)
            .exclude(content_object_id=story.pk)
            .values("content_object_id")
            .annotate(shared=models.Count("pk"), latest=models.Max("published_at"))
            .order_by("-shared", "-latest", "-content_object_id")
            .values("content_object_id")[:limit]
        )
        return (
            self.published()
            .filter(pk__in=chosen)
            .annotate(shared_tags=models.Count("tagged_items", filter=shared_taggings))
            .order_by("-shared_tags", "-published_at", "-pk")
        )

    def used_countries(self):
        """The distinct countries (of origin or residence) of these stories, as codes."""
        pairs = self.order_by().values_list("country_of_origin", "country_of_residence").distinct()
        return {code for pair in pairs for code in pair if code}

    def used_languages(self):
        """The distinct language codes of these stories."""
        return set(self.order_by().values_list("language", flat=True).distinct())

    def used_countries_and_languages(self):
        """:meth:`used_countries` and :meth:`used_languages` in one query
        (the story list's filters)."""
        rows = self.order_by().values_list("country_of_origin", "country_of_residence", "language").distinct()
        countries, languages = set(), set()
        for origin, residence, language in rows:
            countries.update(code for code in (origin, residence) if code)
            languages.add(language)
        return countries, languages

    def used_tags(self):
        """The tags of these stories (one query), by name.

        Each tag is looked up until its first use by one of these stories
        (a subquery with LIMIT 1, which PostgreSQL runs per tag): a few
        dozen tags cost well under a millisecond at 100,000 stories, where
        ``IN`` (or EXISTS, made a semi-join) joined every tagging of every
        story, about 100-200 ms on each story list, topic and search page."""
        first_use = TaggedStory.objects.filter(
            tag=models.OuterRef("pk"), content_object__in=self.order_by().values("pk")
        ).values("pk")[:1]
        return (
            Tag.objects.alias(first_use=models.Subquery(first_use))
            .filter(first_use__isnull=False)
            .order_by("name")
        )

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

    def moderation_queue(self):
        """Every story, annotated and ordered as moderators take them: a
        storyteller's answer to a decline first (``has_reply_waiting``), then
        open reports (``is_reported``, ``open_report_count``), then pending
        stories (``is_pending``), each longest waiting first."""
        return (
            self.with_open_report_count()
            .annotate(
                has_reply_waiting=models.ExpressionWrapper(REPLY_WAITING, output_field=models.BooleanField()),
                is_pending=models.ExpressionWrapper(
                    models.Q(status=StoryStatus.PENDING), output_field=models.BooleanField()
                ),
            )
            .order_by(*QUEUE_ORDER)
        )

    def overdue(self, now=None):
        """Stories waiting for a decision longer than
        ``settings.MODERATION_OVERDUE_AFTER``."""
        now = now or timezone.now()
        return self.filter(AWAITING_DECISION, waiting_since__lt=now - settings.MODERATION_OVERDUE_AFTER)

    def unclaimed(self, now=None):
        """Stories nobody holds: never claimed, or the claim expired."""
        return self.filter(_unclaimed(now or timezone.now()))

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


def allowed_levels(level):
    """The sharing levels that allow the uses of ``level`` (it and wider)."""
    return SHARING_LEVELS[SHARING_LEVELS.index(level) :]


def _empty_list():
    return []


def _unclaimed(now):
    return models.Q(claimed_by__isnull=True) | models.Q(
        claimed_at__lt=now - settings.MODERATION_CLAIM_EXPIRES_AFTER
    )


class StoryStatus(models.TextChoices):
    PENDING = "pending", _("pending review")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    PUBLISHED = "published", _("published")
    DECLINED = "declined", _("declined")
    UNPUBLISHED = "unpublished", _("unpublished")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Sharing(models.TextChoices):
    """Where the storyteller lets the story appear, narrowest first: each
    level includes the ones before it (see :data:`SHARING_LEVELS`). These
    labels are the consent wording of the sharing form and of the private
    page: change :data:`SHARING_CONSENT_VERSION` whenever they change, each
    choice records the version it was made under."""

    SITE = "site", _("On this website only")
    PARTNERS = (
        "partners",
        _("Also by the partner organisations of TOGETHER, on their websites and in the news feeds they read"),
    )
    PRESS = (
        "press",
        _("Also by journalists and on social media: share previews of the story, and press requests"),
    )


# The version of the wording above. Stories shared before the choice existed
# agreed to "publishes my story on this website" only: the migration that
# added the choice gave them SITE under the version of that older consent.
SHARING_CONSENT_VERSION = "2026-12-05"
# The levels in order: a level allows every use of the ones before it.
SHARING_LEVELS = list(Sharing)


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
    "edit": Transition(frozenset({StoryStatus.PENDING, StoryStatus.CHANGES_REQUESTED}), StoryStatus.PENDING),
    "reply": Transition(frozenset({StoryStatus.DECLINED})),
    "withdraw": Transition(_NOT_WITHDRAWN, StoryStatus.WITHDRAWN),
    # The storyteller changes where the story may appear (any time).
    "change_sharing": Transition(_NOT_WITHDRAWN),
    # The retention period after a decline has passed (purge_personal_data):
    # what the storyteller wrote is erased, the decision stays for the figures.
    "erase_declined": Transition(frozenset({StoryStatus.DECLINED})),
    # --- The moderation queue (claims, second approvals, answered declines).
    # The first "publish" of a minor's story by one moderator is an approval:
    # the status stays until a second moderator publishes (Story.publish).
    "approve": Transition(frozenset({StoryStatus.PENDING, StoryStatus.UNPUBLISHED})),
    # The moderator reads the storyteller's answer to a decline and keeps the
    # decision (reopening is the other answer); the reply leaves the queue.
    "keep_declined": Transition(frozenset({StoryStatus.DECLINED}), button=True),
    # A moderator holds a story for a while, so that others take another one.
    "claim": Transition(_NOT_WITHDRAWN, button=True),
    "release": Transition(_NOT_WITHDRAWN, button=True),
    # A new private link (the old one stops working), asked for by the
    # storyteller from the private page or by a moderator's button.
    "replace_link": Transition(_NOT_WITHDRAWN, button=True),
    # --- Changes to a published story (StoryRevision); the status stays. ---
    # The storyteller proposes a change to what is public ...
    "propose_revision": Transition(frozenset({StoryStatus.PUBLISHED})),
    # ... a moderator applies it (also while unpublished: it then shows when
    # the story is published again) or turns it down.
    "approve_revision": Transition(frozenset({StoryStatus.PUBLISHED, StoryStatus.UNPUBLISHED})),
    "reject_revision": Transition(_NOT_WITHDRAWN),
    # Removing the photo, the city or the name: at once, never reviewed.
    "less_identifying": Transition(_NOT_WITHDRAWN),
}

# The actions that are a moderator's decision on a story (what a daily limit
# counts, see ModeratorPreferences); claims and corrections are not.
DECISION_ACTIONS = frozenset(
    {"publish", "approve", "decline", "request_changes", "unpublish", "reopen", "keep_declined"}
)

# A storyteller's answer to a decline that no moderator has handled yet
# (reopening or keeping the decision handles it): the top of the queue.
REPLY_WAITING = models.Q(status=StoryStatus.DECLINED, replied_at__isnull=False, reply_handled_at__isnull=True)
# What waits for a moderator: new or edited stories and unanswered replies
# (reported stories are found by their open reports).
AWAITING_DECISION = models.Q(status=StoryStatus.PENDING) | REPLY_WAITING
# Fields whose text is searched for contact details (stories.privacy); their
# hints are counted on save into Story.privacy_hint_count.
PRIVACY_CHECKED_FIELDS = ("title", "body", "name", "city_or_region")
# The queue's order (see StoryQuerySet.moderation_queue); pk last, so that a
# page of the list and "claim the next story" agree on ties.
QUEUE_ORDER = ("-has_reply_waiting", "-is_reported", "-is_pending", "waiting_since", "pk")


class Story(SearchedText):
    Status = StoryStatus
    Sharing = Sharing

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
    # together.mail.normalise_email(email), kept in step by save() (empty
    # when email is): the one form a storyteller's stories are found by.
    email_normalised = models.CharField(
        _("normalised email"), max_length=254, blank=True, editable=False, db_default=""
    )
    site_language = models.CharField(
        _("language of emails"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
        help_text=_("The site language the story was submitted in; emails use it."),
    )
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    sharing = models.CharField(
        _("where the story may appear"),
        max_length=10,
        choices=Sharing,
        default=Sharing.SITE,
        help_text=_("Chosen by the storyteller; only they can change it, from their private page."),
    )
    sharing_consent_version = models.CharField(_("sharing wording version"), max_length=20)
    sharing_chosen_at = models.DateTimeField(_("sharing chosen at"), default=timezone.now)

    # --- The keys to the private page (see the module docstring) -----------
    manage_secret = models.CharField(max_length=64, unique=True, default=new_manage_secret, editable=False)
    accepts_legacy_link = models.BooleanField(
        _("old private link still works"),
        default=False,
        editable=False,
        help_text=_("The link sent before each story had its own secret; it stops working once replaced."),
    )
    access_code = models.CharField(
        _("access code"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    passphrase_hash = models.CharField(max_length=128, blank=True, editable=False)

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
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("When what the storyteller wrote was erased, the answer window after a decline over."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    # --- The moderation queue ------------------------------------------------
    # Kept by the methods below (and save, for the hints), so that the story
    # list sorts and filters on stored columns: its query count never grows.
    waiting_since = models.DateTimeField(
        _("waiting since"),
        default=timezone.now,
        help_text=_("Submission, or the storyteller's last edit or reply."),
    )
    # NULL: not counted yet (stories older than the count, until
    # ``manage.py count_privacy_hints``); the queue treats it as hints found.
    privacy_hint_count = models.PositiveIntegerField(_("privacy hints"), null=True, editable=False)
    reply_handled_at = models.DateTimeField(_("reply handled"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed or last worked on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first approval by"),
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-submitted_at"]
        indexes = [
            # The public lists, newest first (stories.pagination reads each
            # page along it: the id makes the order total, as in the cursors).
            models.Index(fields=["status", "-published_at", "-id"], name="story_status_published_id_idx"),
            # The story list's filter choices (StoryQuerySet.used_countries_and_languages)
            # from the index alone, without reading the stories' rows.
            models.Index(
                fields=["status", "country_of_origin", "country_of_residence", "language"],
                name="story_filter_choices_idx",
            ),
            # The home page's featured stories, newest first, without reading
            # the others (a handful among 100,000).
            models.Index(
                fields=["-published_at"],
                condition=models.Q(is_featured=True, status="published"),
                name="story_featured_idx",
            ),
            models.Index(fields=["-submitted_at"], name="story_submitted_idx"),
            models.Index(fields=["language"], name="story_language_idx"),
            models.Index(fields=["teller_role"], name="story_teller_role_idx"),
            models.Index(fields=["country_of_origin"], name="story_country_origin_idx"),
            models.Index(fields=["country_of_residence"], name="story_country_residence_idx"),
            models.Index(fields=["status", "waiting_since"], name="story_queue_idx"),
            # A storyteller's own stories (StoryQuerySet.of_storyteller: their
            # links, their data), by the canonical address; stories without
            # one (most, at scale) are left out of the index.
            models.Index(
                fields=["email_normalised"],
                condition=~models.Q(email_normalised=""),
                name="story_email_normalised_idx",
            ),
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
                condition=models.Q(sharing__in=Sharing.values),
                name="story_sharing_valid",
                violation_error_message=_("Unknown choice of where the story may appear."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_minor=False)
                | (models.Q(naming="anonymous") & models.Q(photo_renditions=[])),
                name="story_minor_anonymous_without_photo",
                violation_error_message=_(
                    "A story by someone under 18 can only be published anonymously and without a photo."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(claimed_by__isnull=True) | models.Q(claimed_at__isnull=False),
                name="story_claim_has_date",
                violation_error_message=_("A claimed story needs the time of the claim."),
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | models.Q(is_minor=True, status__in=["pending", "unpublished"]),
                name="story_first_approval_minor_waiting",
                violation_error_message=_("Only a waiting story by someone under 18 has a first approval."),
            ),
            # Keep only what is needed (see erase_unused_identity).
            models.CheckConstraint(
                condition=~models.Q(naming="anonymous") | models.Q(name=""),
                name="story_unused_name_erased",
                violation_error_message=_("A story told anonymously keeps no name."),
            ),
            models.CheckConstraint(
                condition=~models.Q(naming="first_name") | ~models.Q(name__contains=" "),
                name="story_first_name_only",
                violation_error_message=_("A story signed with a first name keeps only that first name."),
            ),
            models.CheckConstraint(
                condition=models.Q(access_code__isnull=True) | ~models.Q(passphrase_hash=""),
                name="story_access_code_has_passphrase",
                violation_error_message=_("An access code needs its passphrase."),
            ),
        ]

    def __str__(self):
        return self.title or gettext("Withdrawn story %(id)s") % {"id": self.pk}

    def save(self, **kwargs):
        # Only the first save names the story; the slug never changes after
        # that (except on withdrawal) so links keep working.
        if not self.slug:
            self.slug = self.make_slug(self.title)
        # Nothing the identity level does not use reaches the database, by
        # any path (the sharing form, an edit, the admin, a script).
        # (A form's clean() may have erased it already: a saved change of
        # the level always saves the name too.)
        self.erase_unused_identity()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"naming", "name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name"}
        # The hints are counted when their text changes, so that the queue
        # lists and filters them without reading every text.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(PRIVACY_CHECKED_FIELDS) & set(update_fields):
            self.privacy_hint_count = self.count_privacy_hints()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "privacy_hint_count"}
        # The canonical address follows the address, by any path (submit,
        # the erasures, a script): empty when it is.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "email" in update_fields:
            self.email_normalised = normalise_email(self.email)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "email_normalised"}
        super().save(**kwargs)

    def get_absolute_url(self):
        """The public page (``stories:story_detail``); only published stories have one."""
        return reverse("stories:story_detail", kwargs={"slug": self.slug})

    def count_privacy_hints(self):
        """The number of privacy hints in the checked fields (stories.privacy)."""
        return count_privacy_hints(*(getattr(self, field) for field in PRIVACY_CHECKED_FIELDS))

    def clean(self):
        super().clean()
        # Before the constraints are validated: switching to anonymous in a
        # form erases the name rather than refusing the form.
        self.erase_unused_identity()

    def erase_unused_identity(self):
        """Blank what the chosen identity level does not show: the name of an
        anonymous story (a minor's story is always anonymous), all but the
        first name with "first name only"."""
        self.name = kept_name(self.naming, self.name)

    @staticmethod
    def make_slug(title):
        """The title's words plus a random suffix, so titles never collide and
        nobody can walk through stories by guessing ids."""
        suffix = "".join(secrets.choice(_SLUG_SUFFIX_ALPHABET) for _ in range(6))
        base = slugify(title)[:60].strip("-") or "story"
        return f"{base}-{suffix}"

    # --- Public presentation -----------------------------------------------

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
    def allows_social_sharing(self):
        """Share cards (Open Graph and Twitter tags, their image) and press
        use: a public story whose storyteller chose the widest level."""
        return self.status == self.Status.PUBLISHED and self.sharing in allowed_levels(Sharing.PRESS)

    @property
    def allows_partners(self):
        """Partner organisations may show or receive this public story."""
        return self.status == self.Status.PUBLISHED and self.sharing in allowed_levels(Sharing.PARTNERS)

    @property
    def content_note_summary(self):
        """What stands for the text where an excerpt would be shown (feeds,
        share previews) when the story has a content note: the note, never
        the text (issue 14)."""
        return gettext("Content note: %(note)s") % {"note": self.content_note}

    @cached_property
    def reader_translation(self):
        """The published translation joined by
        :meth:`StoryQuerySet.with_reader_translation`, or None (also for a
        story loaded without it)."""
        if getattr(self, f"{READER_TRANSLATION_PREFIX}id", None) is None:
            return None
        values = [getattr(self, f"{READER_TRANSLATION_PREFIX}{name}") for name in READER_TRANSLATION_FIELDS]
        return StoryTranslation.from_db(self._state.db, READER_TRANSLATION_FIELDS, values)

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
        return self.status == self.Status.DECLINED and self.replied_at is None and self.erased_at is None

    def manage_token(self):
        """A signed token over this story's id and ``manage_secret``, for the
        storyteller's private link.

        The same story gets the same token until its secret is replaced
        (:meth:`replace_manage_link`; no timestamp inside). It does not
        expire: the link is the storyteller's only key and they must be able
        to withdraw their story years later. Rotating SECRET_KEY invalidates
        every link (old keys can be kept in SECRET_KEY_FALLBACKS to avoid that).
        """
        return make_token([self.pk, self.manage_secret], purpose=_MANAGE_SECRET_TOKEN_SALT, dated=False)

    @classmethod
    def from_manage_token(cls, token):
        """The story whose private link carries ``token``, or None: a token
        not made by us, of a replaced secret, or of the old kind (the id
        alone) once the story no longer accepts it."""
        try:
            pk, secret = read_token(token, purpose=_MANAGE_SECRET_TOKEN_SALT, dated=False)
        except (signing.BadSignature, TypeError, ValueError):
            pk, secret = cls._pk_from_legacy_token(token), None
        if not isinstance(pk, int):
            return None
        if secret is None:
            return cls.objects.filter(pk=pk, accepts_legacy_link=True).first()
        return cls.objects.filter(pk=pk, manage_secret=secret).first() if isinstance(secret, str) else None

    @staticmethod
    def _pk_from_legacy_token(token):
        """The story id in a link made before each story had its secret."""
        try:
            return read_token(token, purpose=_MANAGE_TOKEN_SALT, dated=False)
        except signing.BadSignature:
            return None

    def manage_url(self):
        """The absolute private link, in the story's site language, for emails."""
        with translation.override(self.site_language):
            path = reverse("stories:story_manage", kwargs={"token": self.manage_token()})
        return settings.SITE_URL + path

    def email_storyteller(self, template, **context):
        """Queue ``template`` to the storyteller, in the language they used
        the site in, with their private link as ``manage_url`` (so the
        outbox erases its body a day after delivery)."""
        if self.email:
            queue_email(
                to=self.email,
                template=template,
                context={"story": self, "manage_url": self.manage_url(), **context},
                language=self.site_language,
                holds_private_link=True,
            )

    @property
    def has_access_code(self):
        return self.access_code is not None

    @transaction.atomic
    def replace_manage_link(self, *, by):
        """Draw a new secret for the private link: the old link (and one
        of the old kind) answers 404 at once. The stored emails that carried
        the old link lose their body; the new link is emailed when the
        address is known. ``by``: a moderator, or :data:`STORYTELLER`."""
        from_status = self._lock_and_check("replace_link", reread=["email"])
        self.manage_secret = new_manage_secret()
        self.accepts_legacy_link = False
        self._save_and_log(
            ["manage_secret", "accepts_legacy_link"],
            from_status=from_status,
            action=ModerationLogEntry.Action.REPLACE_LINK,
            by=by,
        )
        if self.email:
            erase_link_bodies_to(self.email)
            self.email_storyteller("stories/email/new_link")

    # --- Submitting ------------------------------------------------------------

    @classmethod
    @transaction.atomic
    def submit(
        cls,
        *,
        email,
        consent_version,
        site_language,
        sharing=Sharing.SITE,
        tags=(),
        access_key=None,
        **fields,
    ):
        """Record a story sent through the sharing form, pending review, and
        email the storyteller their private link (in ``site_language``, the
        language they used the site in). ``fields`` are what they wrote (see
        :data:`STORYTELLER_EDITABLE_FIELDS`; ``photo_renditions`` already
        stored), ``tags`` a list of topic names; they consented to
        ``consent_version`` now. Without an ``email``, ``access_key`` (a
        :class:`stories.keys.AccessKey`) is what opens the private page:
        its code is stored, its passphrase only hashed. Returns the story."""
        unknown = set(fields) - STORYTELLER_EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"These fields cannot be submitted: {', '.join(sorted(unknown))}")
        if not email and access_key is None:
            raise ValueError("A story without an email address needs an access key.")
        story = cls(
            **fields,
            email=email,
            status=cls.Status.PENDING,
            consent_version=consent_version,
            consented_at=timezone.now(),
            sharing=sharing,
            sharing_consent_version=SHARING_CONSENT_VERSION,
            site_language=site_language,
        )
        if access_key is not None:
            story.access_code, story.passphrase_hash = access_key.code, access_key.passphrase_hash()
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

        A story by someone under 18 needs two moderators: the first call
        records their approval (logged as "approve"; the status stays), the
        second, by another moderator, publishes (logged as "publish", noting
        the second approval). The same moderator twice is refused. Returns
        True when the story was published, False when it was only approved.
        """
        from_status = self._lock_and_check("publish", reread=["is_minor"])
        if self.is_minor:
            if self.approved_by_id is None:
                self.approved_by = by
                self._save_and_log(
                    ["approved_by"], from_status=from_status, action=ModerationLogEntry.Action.APPROVE, by=by
                )
                return False
            if self.approved_by_id == by.pk:
                raise ModerationRefused(
                    gettext(
                        "You already approved this story. A story by someone under 18 needs a second, "
                        "different moderator to publish it."
                    ),
                    code="same_moderator",
                )
        now = timezone.now()
        fields = self._set_status("publish")
        if self.published_at is None:
            self.published_at = now
            fields.append("published_at")
        fields += self._mark_decided(now)
        note = gettext("Second approval.") if self.is_minor else ""
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.PUBLISH, by=by, note=note
        )
        self.email_storyteller("stories/email/published")
        return True

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
        from_status = self._lock_and_check("reopen", reread=["replied_at", "reply_handled_at"])
        fields = self._set_status("reopen") + self._handle_reply()
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.REOPEN, by=by, note=note
        )

    @transaction.atomic
    def keep_declined(self, *, by, note=""):
        """Answer the storyteller's reply to a decline by keeping the decision
        (reopening is the other answer): the reply is handled and leaves the
        top of the queue. ``note`` is for the log."""
        from_status = self._lock_and_check("keep_declined", reread=["replied_at", "reply_handled_at"])
        fields = self._handle_reply()
        if not fields:
            raise ModerationRefused(gettext("No answer of the storyteller is waiting."), code="no_reply")
        self._save_and_log(
            fields, from_status=from_status, action=ModerationLogEntry.Action.KEEP_DECLINED, by=by, note=note
        )

    @property
    def reply_waiting(self):
        """The storyteller answered the decline and no moderator handled it yet."""
        return (
            self.status == self.Status.DECLINED
            and self.replied_at is not None
            and self.reply_handled_at is None
        )

    def _handle_reply(self):
        if self.replied_at is None or self.reply_handled_at is not None:
            return []
        self.reply_handled_at = timezone.now()
        return ["reply_handled_at"]

    # --- Claims: who is working on a story ---------------------------------
    # A claim tells other moderators to take another story. It lapses after
    # settings.MODERATION_CLAIM_EXPIRES_AFTER without its holder acting on
    # the story (every logged action of the holder renews it) and ends with
    # any change of status. Claims are advice between colleagues, not locks:
    # the admin asks for confirmation before acting on someone else's story.

    def holder(self, now=None):
        """Who holds an unexpired claim on the story, or None."""
        if self.claimed_by_id is None:
            return None
        if self.claimed_at < (now or timezone.now()) - settings.MODERATION_CLAIM_EXPIRES_AFTER:
            return None
        return self.claimed_by

    def held_by_other(self, user):
        """The holder of the story's claim when it is not ``user``, or None."""
        holder = self.holder()
        return holder if holder is not None and holder.pk != user.pk else None

    @transaction.atomic
    def claim(self, *, by):
        """Hold the story (taking it over from someone else's claim is
        logged with their name: the admin asks before that)."""
        from_status = self._lock_and_check("claim")
        previous = self.held_by_other(by)
        self.claimed_by, self.claimed_at = by, timezone.now()
        note = gettext("Taken over from %(name)s.") % {"name": previous.get_username()} if previous else ""
        self._save_and_log(
            ["claimed_by", "claimed_at"],
            from_status=from_status,
            action=ModerationLogEntry.Action.CLAIM,
            by=by,
            note=note,
        )

    @transaction.atomic
    def release(self, *, by):
        """Give up one's claim on the story."""
        from_status = self._lock_and_check("release")
        if self.claimed_by_id != by.pk:
            raise ModerationRefused(gettext("You do not hold this story."), code="not_holder")
        self.claimed_by, self.claimed_at = None, None
        self._save_and_log(
            ["claimed_by", "claimed_at"],
            from_status=from_status,
            action=ModerationLogEntry.Action.RELEASE,
            by=by,
        )

    @classmethod
    @transaction.atomic
    def claim_next(cls, *, by):
        """Claim the first story of the queue (answered declines, open
        reports, pending stories; see :meth:`StoryQuerySet.moderation_queue`)
        that nobody else holds, and return it (None when there is none).

        Moderators clicking at once get different stories: each candidate row
        is locked, and rows locked by another click are skipped (PostgreSQL;
        SQLite serialises the clicks)."""
        now = timezone.now()
        waiting = (
            cls.objects.moderation_queue()
            .filter(AWAITING_DECISION | models.Q(is_reported=True))
            .filter(_unclaimed(now) | models.Q(claimed_by=by))
            .select_for_update(skip_locked=True, of=("self",))
        )
        story = waiting.first()
        if story is not None:
            story.claim(by=by)
        return story

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
        # Back in the queue as new: waiting from now, and a first approval
        # (of a minor's story) was of another text.
        self.waiting_since, self.approved_by = timezone.now(), None
        fields += ["waiting_since", "approved_by"]
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
        self._translations_back_to_review(changes, by=by)

    def _translations_back_to_review(self, changes, *, by):
        """A published translation no longer matches a changed title or text."""
        if {"title", "body"} & set(changes):
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
        self.replied_at = self.waiting_since = timezone.now()
        self._save_and_log(
            ["storyteller_reply", "replied_at", "waiting_since"],
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
        email address (and every stored email to it), access code and
        passphrase hash, place, content note,
        tags, reply, proposed changes, the notes moderators wrote about it and the comments of
        readers' reports (they may quote it), the photo description and, once
        the transaction commits, the photo files. The slug loses the title's
        words. Kept: the id, the dates, the status "withdrawn" and the
        moderation log without its notes, so the transparency figures stay
        true.
        """
        from_status = self._lock_and_check("withdraw", reread=["email", "photo_renditions", "slug"])
        fields = self._set_status("withdraw")
        erase = self._erase_what_was_written()
        self._save_and_log(
            fields + erase, from_status=from_status, action=ModerationLogEntry.Action.WITHDRAW, by=STORYTELLER
        )

    @transaction.atomic
    def erase_declined(self, *, now=None):
        """Erase what the storyteller wrote once the answer window after a
        decline has passed (see :meth:`StoryQuerySet.declined_past_answer_window`):
        the same erasure as :meth:`withdraw`, but the story stays "declined"
        (the decision, its reason and dates keep the transparency figures
        true). Returns False when the row no longer qualifies (answered,
        reopened or erased meanwhile: re-checked under the row lock)."""
        try:
            from_status = self._lock_and_check("erase_declined", reread=["email", "photo_renditions", "slug"])
        except IllegalTransition:  # withdrawn or reopened since the purge listed it
            return False
        if not Story.objects.declined_past_answer_window(now).filter(pk=self.pk).exists():
            return False
        erase = self._erase_what_was_written()
        self.erased_at = timezone.now()
        self._save_and_log(
            [*erase, "erased_at"],
            from_status=from_status,
            action=ModerationLogEntry.Action.ERASE_DECLINED,
            by=None,
        )
        return True

    @transaction.atomic
    def change_sharing(self, level, *, by):
        """Set where the story may appear to ``level`` (a :class:`Sharing`
        value), chosen now under :data:`SHARING_CONSENT_VERSION`; effective at
        once on every surface (they read :meth:`StoryQuerySet.for_partners`,
        :meth:`StoryQuerySet.for_press` and :attr:`allows_social_sharing`).
        ``by`` is :data:`STORYTELLER` (only they choose it). Returns the
        level before the change."""
        if level not in Sharing.values:
            raise ValidationError(gettext("Choose where your story may appear."), code="invalid_sharing")
        from_status = self._lock_and_check("change_sharing", reread=["sharing"])
        before = self.sharing
        self.sharing = level
        self.sharing_consent_version = SHARING_CONSENT_VERSION
        self.sharing_chosen_at = timezone.now()
        self._save_and_log(
            ["sharing", "sharing_consent_version", "sharing_chosen_at"],
            from_status=from_status,
            action=ModerationLogEntry.Action.CHANGE_SHARING,
            by=by,
            # Codes, not the wording: the log outlives the choice.
            note=f"{before} → {level}",
        )
        return before

    def _erase_what_was_written(self):
        """Erase everything the storyteller wrote (see :meth:`withdraw`);
        the caller holds the row lock and saves the fields returned."""
        old_email, old_renditions = self.email, self.renditions
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
            "access_code": None,
            "passphrase_hash": "",
            "is_featured": False,
            "slug": f"withdrawn-{self.slug.rsplit('-', 1)[-1]}-{self.pk}",
        }
        for field, value in erased.items():
            setattr(self, field, value)
        self.tags.clear()
        # Translations contain the story: they go with it (their log entries
        # stay, without their notes, like the story's).
        self.translations.all().delete()
        # Proposed changes hold what the storyteller wrote, too.
        self.revisions.all().delete()
        self.log_entries.update(note="")
        # Readers' report comments may quote the story or name its teller.
        self.reports.update(comment="")
        if old_email:
            erase_emails_to(old_email)
        if old_renditions:
            transaction.on_commit(lambda: delete_renditions(old_renditions))
        return list(erased)

    # --- Less identifying, at once (issue 14) -----------------------------------

    @transaction.atomic
    def make_less_identifying(self, *, by, what):
        """Remove the photo (``what="photo"``), the city (``"city"``) or the
        name (``"name"``: anonymous) at once, in any status but withdrawn,
        without review: making a story less identifying never waits. The
        same part of a pending proposed change (:class:`StoryRevision`) goes
        too, so that approving it later cannot bring it back. Returns the
        fields that changed (none when there was nothing to remove); only a
        change is logged. The photo's files are deleted once the transaction
        commits."""
        erased = LESS_IDENTIFYING_CHANGES[what]
        from_status = self._lock_and_check("less_identifying", reread=list(erased))
        changes = {field: value for field, value in erased.items() if getattr(self, field) != value}
        revision = self.revisions.select_for_update().filter(status=StoryRevision.Status.PENDING).first()
        if revision is not None:
            revision.forget(LESS_IDENTIFYING_FORGETS[what])
        if not changes:
            return []
        fields = self._apply_changes(changes, allowed=STORYTELLER_EDITABLE_FIELDS, tags=None)
        self._save_and_log(
            fields,
            from_status=from_status,
            action=ModerationLogEntry.Action.LESS_IDENTIFYING,
            by=by,
            note=_changed_fields_note(changes, None),
        )
        return fields

    # --- Helpers of the state changes ------------------------------------------

    def _lock_and_check(self, action, *, reread=()):
        """Re-read the status (and the ``reread`` fields, whose stored value
        the change depends on) under a row lock; refuse ``action`` if
        :data:`STORY_TRANSITIONS` does not allow it from there. Returns the
        status before the change, for the log."""
        current = (
            type(self)
            .objects.select_for_update()
            .values("status", "claimed_by_id", "claimed_at", "approved_by_id", *reread)
            .get(pk=self.pk)
        )
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

    def _claim_and_approval_after(self, action, by, from_status):
        """A change of status ends the story's claim and its first approval;
        anything else the holder does renews the claim. The fields changed."""
        fields = []
        if self.status != from_status:
            if self.claimed_by_id is not None:
                self.claimed_by, self.claimed_at = None, None
                fields += ["claimed_by", "claimed_at"]
            if self.approved_by_id is not None:
                self.approved_by = None
                fields.append("approved_by")
        elif by not in (STORYTELLER, None) and self.claimed_by_id == by.pk and action != "release":
            # (None: the site itself, e.g. the retention purge, holds no claim.)
            self.claimed_at = timezone.now()
            fields.append("claimed_at")
        return fields

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
        fields = [*fields, *self._claim_and_approval_after(action, by, from_status)]
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


def kept_name(naming, name):
    """What a story keeps of ``name`` under ``naming``: nothing when
    anonymous, the first word with "first name only", all of it otherwise.
    The one rule, read by the model, its data migration and its constraints."""
    if naming == Story.Naming.ANONYMOUS:
        return ""
    if naming == Story.Naming.FIRST_NAME:
        return next(iter(name.split()), "")
    return name


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


# What each "less identifying" button of the private page erases at once
# (Story.make_less_identifying), and what it takes out of a pending proposed
# change (the name goes with "anonymous"; see the safety rule in save()).
LESS_IDENTIFYING_CHANGES = {
    "photo": {"photo_renditions": [], "photo_alt_text": "", "photo_people_consented": False},
    "city": {"city_or_region": ""},
    "name": {"naming": Story.Naming.ANONYMOUS},
}
LESS_IDENTIFYING_FORGETS = {
    "photo": frozenset(LESS_IDENTIFYING_CHANGES["photo"]),
    "city": frozenset({"city_or_region"}),
    "name": frozenset({"naming", "name"}),
}


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
    story's tags go with it.

    Invariant: ``published_at`` is the story's ``published_at`` while the
    story is published (NULL otherwise) and ``language`` the story's
    language. Database triggers keep them so (migration 0018): on every
    insert or update of a tagging, and on every change of a story's status,
    ``published_at`` or language, whatever writes it (the models, a
    QuerySet.update, the bulk COPY of ``seed_scale``, the admin, SQL by
    hand). Nothing in Python writes them. They let PostgreSQL read a topic's
    published stories newest first from the tag's own index, in or out of
    the reader's language, without walking every published story for a
    group the topic has none of (StoryQuerySet.tagged). On SQLite (tests,
    development) a later migration that rebuilds either table drops its
    triggers: tests/stories/test_tagged_story_listing.py then fails, and
    that migration must create them again."""

    content_object = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="tagged_items")
    published_at = models.DateTimeField(null=True, editable=False)
    language = models.CharField(max_length=10, db_default="", editable=False)

    class Meta:
        verbose_name = _("story tag")
        verbose_name_plural = _("story tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_story_unique"),
        ]
        indexes = [
            # A topic's published stories, newest first, with their language
            # in the index (an index-only walk decides "in the reader's
            # language" without reading a story).
            models.Index(
                fields=["tag", "-published_at", "-content_object", "language"],
                condition=models.Q(published_at__isnull=False),
                name="tagged_story_listed_idx",
            ),
        ]


class ModerationLogEntry(models.Model):
    """One change to a story: who, when, from which status to which, and why.

    Written only by the state-change methods of :class:`Story`,
    :class:`StoryTranslation` and :class:`StoryRevision`. The storyteller's
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
        REPLACE_LINK = "replace_link", _("private link replaced")
        FEATURE = "feature", _("feature")
        UNFEATURE = "unfeature", _("stop featuring")
        CHANGE_SHARING = "change_sharing", _("where the story may appear, changed by the storyteller")
        ERASE_DECLINED = "erase_declined", _("erased after the answer window of a decline")
        APPROVE = "approve", _("first approval")
        KEEP_DECLINED = "keep_declined", _("decline kept after the reply")
        CLAIM = "claim", _("claim")
        RELEASE = "release", _("release the claim")
        SUBMIT_TRANSLATION = "submit_translation", _("translation submitted")
        EDIT_TRANSLATION = "edit_translation", _("translation edited")
        PUBLISH_TRANSLATION = "publish_translation", _("translation published")
        RETURN_TRANSLATION = "return_translation", _("translation returned for changes")
        REVIEW_TRANSLATION = "review_translation", _("translation back to review after a correction")
        PROPOSE_REVISION = "propose_revision", _("change proposed by the storyteller")
        APPROVE_REVISION = "approve_revision", _("proposed change approved")
        REJECT_REVISION = "reject_revision", _("proposed change rejected")
        LESS_IDENTIFYING = "less_identifying", _("made less identifying by the storyteller")

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


# The columns of a story's reader translation that
# StoryQuerySet.with_reader_translation reads with the story, as annotations
# named with this prefix (never the search columns: pages do not show them).
READER_TRANSLATION_PREFIX = "reader_translation_"
READER_TRANSLATION_FIELDS = tuple(
    field.attname
    for field in StoryTranslation._meta.concrete_fields
    if field.name not in {"search_vector", "search_words"}
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


# --- Changes to a published story (issue 14) -------------------------------------------


class IllegalRevisionChange(Refusal, ValidationError):
    """A decision on a proposed change that its status does not allow (it
    was decided, or replaced by a newer proposal, since the page was read)."""


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a moderator")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("replaced by a newer proposal")


# What a storyteller may propose for a published story: what they may edit
# before publication, but a new photo (removing one never waits:
# Story.make_less_identifying).
REVISABLE_FIELDS = STORYTELLER_EDITABLE_FIELDS - {"photo_renditions"}

# The proposed change's workflow, written once, by method (read like
# STORY_TRANSITIONS; proposing makes a new revision pending).
REVISION_TRANSITIONS = {
    "approve": Transition(frozenset({RevisionStatus.PENDING}), RevisionStatus.APPROVED, button=True),
    "reject": Transition(frozenset({RevisionStatus.PENDING}), RevisionStatus.REJECTED, button=True),
    # A newer proposal of the storyteller replaces a pending one.
    "supersede": Transition(frozenset({RevisionStatus.PENDING}), RevisionStatus.SUPERSEDED),
}


class StoryRevision(models.Model):
    """A change the storyteller proposes to their published story, through
    the private link: the story stays public as it is until a moderator
    approves the change (which applies it through the story's save, so the
    search columns follow) or rejects it; the storyteller is emailed either
    way.

    ``changes`` holds only the fields that differ from the story when it was
    proposed (field name to value, see :data:`REVISABLE_FIELDS`), ``tags``
    the new topics or ``None`` when they stay. A story has at most one
    pending revision (a database constraint): a newer proposal supersedes it.
    Its ``status`` changes only through ``propose``, ``approve``, ``reject``
    and ``supersede``, checked against :data:`REVISION_TRANSITIONS` under the
    story's row lock (always taken first, as every change of the story
    does), each logged in the story's :class:`ModerationLogEntry` with the
    names of the fields, never their contents. Withdrawing the story deletes
    its revisions (they hold what the storyteller wrote).
    """

    Status = RevisionStatus

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("story")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    tags = models.JSONField(_("proposed topics"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.TextField(
        _("note to the storyteller"), blank=True, help_text=_("Why the change was rejected.")
    )

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story"],
                condition=models.Q(status="pending"),
                name="story_revision_one_pending",
                violation_error_message=_("This story already has a proposed change waiting for review."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RevisionStatus.values),
                name="story_revision_status_valid",
                violation_error_message=_("Unknown status of a proposed change."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "superseded"]) | models.Q(decided_at__isnull=False),
                name="story_revision_decided_has_date",
                violation_error_message=_("An approved or rejected change needs the date of the decision."),
            ),
        ]

    def __str__(self):
        return gettext("Proposed change to “%(story)s”") % {"story": self.story}

    @property
    def changed_field_names(self):
        """The names of what the proposal changes, in the story's field order."""
        names = [field.name for field in Story._meta.fields if field.name in self.changes]
        return [*names, "tags"] if self.tags is not None else names

    # --- State changes (the story's row lock, then the revision's; logged) -------

    @classmethod
    @transaction.atomic
    def propose(cls, story, *, by, changes, tags=None):
        """Record the storyteller's proposed ``changes`` (field values that
        differ from the story) and ``tags`` (a list of topic names, ``None``
        when unchanged) for the published ``story``; a pending proposal is
        superseded. Returns the new revision."""
        unknown = set(changes) - REVISABLE_FIELDS
        if unknown:
            raise ValueError(f"These fields cannot be proposed: {', '.join(sorted(unknown))}")
        if not changes and tags is None:
            raise ValidationError(gettext("You have not changed anything."), code="no_change")
        from_status = story._lock_and_check("propose_revision")
        for pending in cls.objects.select_for_update().filter(story=story, status=cls.Status.PENDING):
            pending._decide("supersede", by=None)
            pending.save(update_fields=["status"])
        revision = cls.objects.create(story=story, changes=changes, tags=None if tags is None else list(tags))
        revision._log(from_status, action=ModerationLogEntry.Action.PROPOSE_REVISION, by=by)
        return revision

    @transaction.atomic
    def approve(self, *, by):
        """Apply the proposed change to the story (its save keeps the search
        columns in step; a published translation goes back to review when
        the title or text changed) and email the storyteller. Refused
        (``ValidationError``) when the result would break a rule of the
        story, such as a minor's story with a name."""
        story = Story.objects.get(pk=self.story_id)
        # The fields the story's rules read, as stored now (validate_constraints).
        reread = sorted({*self.changes, "is_minor", "naming", "photo_renditions"})
        from_status = story._lock_and_check("approve_revision", reread=reread)
        self._lock_and_check("approve")
        fields = story._apply_changes(self.changes, allowed=REVISABLE_FIELDS, tags=self.tags)
        story.validate_constraints()
        story._save_and_log(
            fields,
            from_status=from_status,
            action=ModerationLogEntry.Action.APPROVE_REVISION,
            by=by,
            note=_changed_fields_note(self.changes, self.tags),
        )
        story._translations_back_to_review(self.changes, by=by)
        self._decide("approve", by=by)
        self.save(update_fields=["status", "decided_at", "decided_by"])
        self.story = story
        story.email_storyteller("stories/email/revision_approved", revision=self)

    @transaction.atomic
    def reject(self, *, by, note):
        """Turn the proposed change down; ``note`` (required) tells the
        storyteller why, by email. The story does not change."""
        if not note.strip():
            raise ValidationError(gettext("Say why the change cannot be made."), code="note_required")
        story = Story.objects.get(pk=self.story_id)
        from_status = story._lock_and_check("reject_revision")
        self._lock_and_check("reject")
        self._decide("reject", by=by)
        self.note = note
        self.save(update_fields=["status", "decided_at", "decided_by", "note"])
        self.story = story
        self._log(from_status, action=ModerationLogEntry.Action.REJECT_REVISION, by=by, note=note)
        story.email_storyteller("stories/email/revision_rejected", revision=self)

    def forget(self, fields):
        """Drop ``fields`` from this pending proposal (the storyteller has
        just erased them at once: see :meth:`Story.make_less_identifying`).
        Call under the story's row lock."""
        kept = {field: value for field, value in self.changes.items() if field not in fields}
        if kept != self.changes:
            self.changes = kept
            self.save(update_fields=["changes"])

    def _lock_and_check(self, action):
        """Re-read the status under a row lock (after the story's); refuse
        ``action`` if :data:`REVISION_TRANSITIONS` does not allow it."""
        self.status = type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
        if self.status not in REVISION_TRANSITIONS[action].sources:
            raise IllegalRevisionChange(
                gettext("This proposed change is already %(status)s.")
                % {"status": self.Status(self.status).label},
                code="illegal_transition",
            )

    def _decide(self, action, *, by):
        self.status = REVISION_TRANSITIONS[action].target
        if action != "supersede":
            self.decided_at, self.decided_by = timezone.now(), by

    def _log(self, from_status, *, action, by, note=""):
        note = note or _changed_fields_note(self.changes, self.tags)
        ModerationLogEntry.objects.create(
            story_id=self.story_id,
            actor=None if by is STORYTELLER else by,
            by_storyteller=by is STORYTELLER,
            from_status=from_status,
            to_status=from_status,
            action=action,
            note=note,
        )


# How the public pages name a storyteller's role (the choices themselves are
# worded for the storyteller filling in the form: "I am a refugee").
PUBLIC_ROLE_LABELS = {
    Story.TellerRole.REFUGEE: _("a refugee"),
    Story.TellerRole.MIGRANT: _("a migrant"),
    Story.TellerRole.HOST: _("a member of a host community"),
    Story.TellerRole.ABOUT_ANOTHER: _("someone writing about another person, with their consent"),
}


# --- Care for moderators ------------------------------------------------------------


class ModeratorPreferences(models.Model):
    """What a moderator chose for themselves (edited on their own page of the
    admin). ``daily_limit``: after that many decisions in a day (counted from
    the moderation log, see :data:`DECISION_ACTIONS`) the queue tells them to
    stop for today; it never blocks them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderator_preferences",
        verbose_name=_("moderator"),
    )
    daily_limit = models.PositiveSmallIntegerField(
        _("daily limit"),
        null=True,
        blank=True,
        help_text=_(
            "After this many decisions in a day, the story list suggests that you stop for today. "
            "Leave empty for no limit."
        ),
    )

    class Meta:
        verbose_name = _("moderator preferences")
        verbose_name_plural = _("moderator preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_limit__isnull=True) | models.Q(daily_limit__gte=1),
                name="moderator_daily_limit_positive",
                violation_error_message=_("A daily limit is at least one decision."),
            ),
        ]

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        """The user's preferences (unsaved defaults when they chose nothing)."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    @staticmethod
    def decisions_today(user, now=None):
        """How many decisions ``user`` made since midnight (the site's time zone)."""
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return ModerationLogEntry.objects.filter(
            actor=user, action__in=DECISION_ACTIONS, created_at__gte=midnight, translation__isnull=True
        ).count()


# The moderation desk's models (surge mode, report digests, surges) live with
# the code that uses them; importing the module registers them in this app.
import stories.floods  # noqa: E402, F401
