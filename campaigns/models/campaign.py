"""A campaign: what supporters pledge to, the hub the other aggregates hang off.

At most one campaign is active (a constraint): the one ``/pledge/`` leads to.
``confirmed_pledges`` is a counter written only by :mod:`campaigns.models.pledge`
(``Pledge.confirm``/``withdraw``, in their transaction, and
``Pledge.repair_counts``), ``paper_pledges`` one written only by
:mod:`campaigns.models.paper` (``PaperBatch.record``, ``repair_count``); the
counter reads here reach those modules through the reverse relations
(``pledges``, ``country_counts``, ``paper_batches``), so this module imports
none of the others. The hero image is stored as renditions only
(:class:`together.images.StoredImage`), never the upload.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from together.images import OwnsStoredImage, StoredImage
from together.inrow import instances, json_list, read_json_list

# How many listed supporters and approved messages the campaign page shows.
SUPPORTERS_SHOWN = 12
MESSAGES_SHOWN = 6


class CampaignQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_country_counts(self):
        """These campaigns with their confirmed pledges per country read in
        their own row (:mod:`together.inrow`; a counter row per country, so a
        short list): ``Campaign.top_countries`` then makes no query."""
        counts = _pledge_side(self.model, "country_counts").filter(campaign=models.OuterRef("pk")).top()
        return self.annotate(countries_in_row=json_list(counts, country="country", count="count"))

    def with_public_pledges(self):
        """These campaigns with their latest listed supporters and latest
        approved messages read in their own row (the two bounded lists the
        campaign page shows, as ``PledgeQuerySet`` defines them):
        ``latest_supporters`` and ``public_messages`` then make no query."""
        pledges = _pledge_side(self.model, "pledges").filter(campaign=models.OuterRef(models.OuterRef("pk")))
        supporters = pledges.latest_supporters(SUPPORTERS_SHOWN)
        messages = pledges.public_messages(MESSAGES_SHOWN)
        return self.annotate(
            supporters_in_row=json_list(supporters, **{name: name for name in pledges.SUPPORTER_FIELDS}),
            messages_in_row=json_list(messages, **{name: name for name in pledges.MESSAGE_FIELDS}),
        )

    def with_page_lists(self):
        """Everything the campaign page reads from the pledge side, in the
        campaign's own row: its countries, supporters and messages."""
        return self.with_country_counts().with_public_pledges()


def _pledge_side(campaign_model, relation):
    """The pledge side's queryset behind a reverse relation (``pledges``,
    ``country_counts``): this module never imports the pledge module."""
    return campaign_model._meta.get_field(relation).related_model._default_manager.all()


class Campaign(OwnsStoredImage, models.Model):
    """A campaign people can pledge to support, such as TOGETHER itself."""

    stored_image = "hero"

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences, shown in lists."))
    body = models.TextField(_("body"))
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One objective per line."))
    pledge_text = models.TextField(_("pledge text"), help_text=_("The words supporters sign up to."))
    pledge_goal = models.PositiveIntegerField(_("pledge goal"), default=10_000)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("The active campaign is the one /pledge/ leads to.")
    )
    # Metadata-free renditions made by together.images (the upload itself is
    # never stored): a list of {"width", "height", "fmt", "name"}.
    hero_image_renditions = models.JSONField(
        _("hero image renditions"), default=list, blank=True, editable=False
    )
    hero_image_alt = models.CharField(
        _("hero image description"),
        max_length=250,
        blank=True,
        help_text=_("What the hero image shows, for people who cannot see it."),
    )
    # Kept by Pledge.confirm() and Pledge.withdraw() in the same transaction,
    # so pages read the total instead of counting a million rows.
    confirmed_pledges = models.PositiveIntegerField(_("confirmed pledges"), default=0, editable=False)
    # The net count of paper pledge forms, kept by PaperBatch.record() in the
    # transaction that records a batch: never mixed into confirmed_pledges.
    paper_pledges = models.PositiveIntegerField(_("paper pledges"), default=0, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="campaign_single_active",
                violation_error_message=_("Another campaign is already active."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", kwargs={"slug": self.slug})

    def objective_list(self):
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def accepts_pledges(self):
        return self.is_active

    @property
    def total_pledges(self):
        """Online pledges confirmed by email plus paper pledge forms: always
        shown with its two parts (``confirmed_pledges``, ``paper_pledges``)."""
        return self.confirmed_pledges + self.paper_pledges

    @property
    def pledge_progress_percent(self):
        """Share of the goal reached by all pledges, online and on paper,
        0-100 (a campaign may pass its goal)."""
        if not self.pledge_goal:
            return 100
        return min(100, self.total_pledges * 100 // self.pledge_goal)

    # -- Hero image ----------------------------------------------------------

    @property
    def hero(self):
        """The hero image (:class:`together.images.StoredImage`); its
        fallback is the widest JPEG, the image spanning the page."""
        return StoredImage(self.hero_image_renditions)

    @property
    def hero_renditions(self):
        return list(self.hero)

    @property
    def hero_srcset_webp(self):
        return self.hero.webp_srcset

    @property
    def hero_fallback(self):
        return self.hero.fallback

    def replace_hero_image(self, image):
        """Store renditions of a cleaned image (see together.images.clean_upload) as the
        hero image and delete the previous renditions' files once saved. Its
        description (hero_image_alt) is written per language, with the other texts."""

        def save(new):
            self.hero_image_renditions = new.as_json()
            self.save(update_fields=["hero_image_renditions"])

        self.hero.replace_with(image, prefix=f"campaigns/{self.slug}", save=save)

    # -- Pledge counters -------------------------------------------------------
    # Read and repaired by the pledge side (PledgeQuerySet, CountryCountQuerySet,
    # Pledge.repair_counts), reached through the reverse relations so this
    # module never imports the pledge module that depends on it.

    # Each reads the campaign's own row when it was fetched with the list
    # (CampaignQuerySet.with_country_counts, with_public_pledges), and makes
    # one query otherwise.

    def top_countries(self):
        """Confirmed pledges per country, largest first (from the counter table)."""
        if not hasattr(self, "countries_in_row"):
            return list(self.country_counts.top())
        rows = instances(self.country_counts.model, read_json_list(self.countries_in_row))
        return sorted(rows, key=lambda row: (-row.count, row.country.code))

    def latest_supporters(self):
        """Confirmed supporters who chose to be listed, newest first."""
        if not hasattr(self, "supporters_in_row"):
            return list(self.pledges.latest_supporters(SUPPORTERS_SHOWN))
        rows = instances(self.pledges.model, read_json_list(self.supporters_in_row))
        return sorted(rows, key=lambda pledge: (pledge.confirmed_at, pledge.pk), reverse=True)

    def public_messages(self):
        """Messages a moderator approved, on confirmed pledges, newest first."""
        if not hasattr(self, "messages_in_row"):
            return list(self.pledges.public_messages(MESSAGES_SHOWN))
        rows = instances(self.pledges.model, read_json_list(self.messages_in_row))
        return sorted(rows, key=lambda pledge: (pledge.message_approved_at, pledge.pk), reverse=True)

    def partner_counts_brought(self):
        """Partners that brought confirmed pledges, with how many, largest first
        (rows of the counter table, their partner joined: one query)."""
        return list(
            self.partner_counts.filter(count__gt=0)
            .select_related("partner")
            .order_by("-count", "partner__name")
        )

    def event_counts_brought(self):
        """This campaign's events at which confirmed pledges were made (their
        ``confirmed_pledges`` counter), largest first."""
        return list(self.events.filter(confirmed_pledges__gt=0).order_by("-confirmed_pledges", "starts_at"))

    def event_counts(self):
        """``(brought, on_paper)``: this campaign's events at which confirmed
        pledges were made, by their ``confirmed_pledges`` counter, and those
        where paper pledge forms were counted, by ``paper_pledges``, each
        largest first (as :meth:`event_counts_brought` and
        ``Event.objects.with_paper_pledges``), read in one query."""
        events = list(
            self.events.with_paper_pledge_count().filter(
                models.Q(confirmed_pledges__gt=0) | models.Q(paper_pledges__gt=0)
            )
        )
        brought = sorted(
            (event for event in events if event.confirmed_pledges > 0),
            key=lambda event: (-event.confirmed_pledges, event.starts_at, event.pk),
        )
        on_paper = sorted(
            (event for event in events if event.paper_pledges > 0),
            key=lambda event: (-event.paper_pledges, event.starts_at, event.pk),
        )
        return brought, on_paper

    def confirmed_pledges_by_source(self):
        """{source label: confirmed pledges} for organisers (scans; admin only)."""
        return self.pledges.confirmed_by_source()

    def repair_pledge_counts(self):
        """Make the counters equal the true counts of confirmed pledges (see
        :meth:`Pledge.repair_counts`) and of paper forms (see
        :meth:`PaperBatch.repair_count`); returns what was wrong."""
        fixes = self.pledges.model.repair_counts(self)
        paper_fix = self.paper_batches.model.repair_count(self)
        return [*fixes, paper_fix] if paper_fix else fixes
