"""Stand links: a tablet at an event's stand, taking pledges for that event.

A coordinator creates a :class:`StandLink` for an event in the admin. Its
address carries a :mod:`together.tokens` token over the link's id and a
random ``secret`` (undated: the link's own dates decide when it works), so
nobody can guess or change one. It works from ``valid_from`` to
``valid_until`` (by default the event's day or days, in the event's zone)
until it is revoked; revoking is :meth:`StandLink.revoke`, locked and logged.
A second token, for another purpose, goes into the QR code shown on the
kiosk: it attributes a pledge made on a visitor's own phone to the same event
but cannot open the kiosk (whose pledges are limited per stand link, not per
address). Nothing about the people pledging is stored here.
"""

import logging
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models.event import Event
from together.refusals import Refusal
from together.tokens import make_token, read_token

logger = logging.getLogger(__name__)


class StandLinkError(Refusal):
    """A change to a stand link was refused (revoking it twice)."""


def new_stand_secret():
    return secrets.token_urlsafe(16)


def event_days(event):
    """From the start of the event's first day to the end of its last, in its zone."""
    zone = event.zone
    first = timezone.localtime(event.starts_at, zone).date()
    last = timezone.localtime(event.ends_at, zone).date()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


class StandLink(models.Model):
    """The address of one stand's kiosk (a tablet) for one event."""

    KIOSK = "campaigns.stand.kiosk"
    PHONE = "campaigns.stand.phone"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="stand_links", verbose_name=_("event")
    )
    label = models.CharField(
        _("label"), max_length=100, help_text=_("Which stand or tablet, e.g. “Tablet 1, at the arch”.")
    )
    secret = models.CharField(max_length=32, default=new_stand_secret, editable=False)
    valid_from = models.DateTimeField(
        _("valid from"), blank=True, help_text=_("Empty: the event's first day.")
    )
    valid_until = models.DateTimeField(
        _("valid until"), blank=True, help_text=_("Empty: the end of the event's last day.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("stand link")
        verbose_name_plural = _("stand links")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="stand_link_valid_until_after_from",
                violation_error_message=_("A stand link must stop working after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_by__isnull=True) | models.Q(revoked_at__isnull=False),
                name="stand_link_revoked_by_has_date",
                violation_error_message=_("Only a revoked stand link has someone who revoked it."),
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.label}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        # The event's day(s) unless the coordinator typed other times; filled
        # here, before the constraints are checked.
        if self.event_id and (self.valid_from is None or self.valid_until is None):
            first, last = event_days(self.event)
            self.valid_from = self.valid_from or first
            self.valid_until = self.valid_until or last

    # -- Addresses -------------------------------------------------------------

    def token(self, purpose=KIOSK):
        return make_token([self.pk, self.secret], purpose=purpose, dated=False)

    @classmethod
    def from_token(cls, token, purpose=KIOSK):
        """The stand link a token names, whatever its state (see :meth:`refusal`).
        Raises ``signing.BadSignature`` or ``cls.DoesNotExist``."""
        try:
            pk, secret = read_token(token, purpose=purpose, dated=False)
        except (TypeError, ValueError):
            raise signing.BadSignature("Malformed stand token") from None
        return cls.objects.select_related("event__campaign").get(pk=pk, secret=secret)

    @classmethod
    def usable_from_token(cls, token, purpose):
        """The stand link a token names if it works now, else None."""
        try:
            link = cls.from_token(token, purpose)
        except (signing.BadSignature, cls.DoesNotExist):
            return None
        return link if link.refusal() is None else None

    def kiosk_path(self):
        return reverse("campaigns:stand_kiosk", args=[self.token()])

    def phone_url(self):
        """The campaign's pledge page, attributed to this stand's event: the
        QR code on the kiosk (absolute, in the current language)."""
        campaign = self.event.campaign
        return (
            f"{settings.SITE_URL}{campaign.get_absolute_url()}"
            f"?source=event_stand&stand={self.token(self.PHONE)}#pledge"
        )

    # -- State -----------------------------------------------------------------

    def refusal(self, now=None):
        """Why the kiosk does not take pledges now, in words for the person at
        the stand, or None when it does."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return gettext("The coordinators have closed this stand link.")
        if now < self.valid_from:
            return gettext("This stand link opens on %(date)s.") % {
                "date": self.event.format_local(self.valid_from)
            }
        if now >= self.valid_until:
            return gettext("This stand link closed on %(date)s.") % {
                "date": self.event.format_local(self.valid_until)
            }
        return None

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self, *, by):
        """Stop the link at once, for good. Raises :class:`StandLinkError` when
        it was revoked already (by someone else, maybe at the same instant)."""
        with transaction.atomic():
            state = StandLink.objects.select_for_update().filter(pk=self.pk).values("revoked_at").first()
            if state is None or state["revoked_at"] is not None:
                raise StandLinkError(gettext("This stand link is already revoked."))
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.save(update_fields=["revoked_at", "revoked_by"])
        logger.info(
            "Stand link %s of event %s revoked by user %s", self.pk, self.event_id, getattr(by, "pk", None)
        )
