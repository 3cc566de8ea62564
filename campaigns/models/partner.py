"""Partners: the coalition behind the campaigns, grouped by kind on /partners/.

The kinds' order is the order of ``PartnerKind`` (a constraint keeps the
column to them). A logo is stored as metadata-free renditions only
(:class:`together.images.StoredImage`); its files are deleted once the
transaction that replaced, removed or deleted it commits.
"""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaign import Campaign
from together.images import RENDITION_WIDTHS, OwnsStoredImage, StoredImage


class PartnerKind(models.TextChoices):
    # The order here is the order of the groups on /partners/.
    UN_AGENCY = "un_agency", _("UN agency")
    MEMBER_STATE = "member_state", _("Member State")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")

    @property
    def heading(self):
        """The heading of this kind's group on /partners/ (plural where the label is not)."""
        return _PARTNER_KIND_HEADINGS[self]


_PARTNER_KIND_HEADINGS = {
    PartnerKind.UN_AGENCY: _("UN agencies"),
    PartnerKind.MEMBER_STATE: _("Member States"),
    PartnerKind.PRIVATE_SECTOR: _("Private sector"),
    PartnerKind.CIVIL_SOCIETY: _("Civil society"),
    PartnerKind.ACADEMIA: _("Academia"),
}


class PartnerQuerySet(models.QuerySet):
    def with_pledges_brought(self):
        """Annotate ``pledges_brought``: the confirmed pledges the partner's
        links and widget brought, in every campaign (the pledge counters,
        reached through their relation: no pledge row is counted)."""
        return self.annotate(pledges_brought=Coalesce(Sum("pledge_counts__count"), 0))

    def grouped_by_kind(self):
        """``[(kind, [partner, ...]), ...]`` in the fixed order of ``PartnerKind``.

        One query, grouped in Python; kinds without partners are left out.
        """
        by_kind = {kind: [] for kind in PartnerKind}
        for partner in self:
            by_kind[partner.kind].append(partner)
        return [(kind, partners) for kind, partners in by_kind.items() if partners]


class Partner(OwnsStoredImage, models.Model):
    """A member of the coalition behind a campaign: an agency, a state, a company, ..."""

    stored_image = "logo"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind)
    description = models.CharField(
        _("short description"), max_length=400, blank=True, help_text=_("One or two sentences.")
    )
    website = models.URLField(_("website"), blank=True)
    # Renditions made by together.images (dicts of width, height, fmt, name);
    # the uploaded original is never stored. Empty when there is no logo.
    logo_renditions = models.JSONField(_("logo renditions"), default=list, blank=True, editable=False)
    logo_alt = models.CharField(
        _("logo alternative text"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the logo shows, for people who cannot see it. Leave empty when the logo only "
            "repeats the partner's name, which is always shown next to it."
        ),
    )
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("campaigns"), related_name="partners", blank=True
    )
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        help_text=_("Invented for demonstration; the public pages mark it as such."),
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first within their kind.")
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PartnerKind.values),
                name="partner_kind_valid",
                violation_error_message=_("Choose one of the kinds of partner."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('campaigns:partner_list')}#partner-{self.slug}"

    def toolkit_url(self):
        return reverse("campaigns:partner_toolkit", args=[self.slug])

    def website_host(self):
        """The website's host name ("www.iom.int"): a short, honest link text."""
        return urlsplit(self.website).hostname or self.website

    @property
    def logo(self):
        """The logo (:class:`together.images.StoredImage`), false without one.
        Its fallback is the narrowest JPEG: a logo is shown small."""
        return StoredImage(self.logo_renditions, fallback_width=min(RENDITION_WIDTHS))

    def logo_fallback_url(self):
        return self.logo.url

    def replace_logo(self, image):
        """Make ``image`` (as returned by ``images.clean_upload``) this partner's logo.

        Writes the new renditions to storage and saves ``logo_renditions``. The
        previous logo's files are deleted once the transaction commits, so a
        rollback leaves the old logo intact.
        """

        def save(new):
            self.logo_renditions = new.as_json()
            self.save(update_fields=["logo_renditions"])

        self.logo.replace_with(image, prefix="partners", save=save)

    def remove_logo(self):
        """Forget the logo and delete its files once the transaction commits."""
        previous = self.logo
        self.logo_renditions = []
        self.save(update_fields=["logo_renditions"])
        previous.delete_on_commit()
