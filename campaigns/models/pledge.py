"""Pledges: one person's support of a campaign, counted once confirmed.

One pledge per normalised address and campaign (a constraint;
:func:`together.mail.normalise_email`). Its state changes only through
``Pledge.submit``, ``confirm``, ``withdraw``, ``approve_message`` and
``delete_expired``; each locks the pledge row, and ``confirm``/``withdraw``
change the campaign's counters (``Campaign.confirmed_pledges`` and
:class:`CampaignCountryCount`) in the same transaction, the campaign row
first, so pages read totals instead of counting rows. ``Pledge.repair_counts``
recounts them under the same lock.

Every pledge records who brought it: a partner (its link or widget), an event
(its stand) or neither (a direct visit), never both (a constraint). The
confirmed pledges each brought are counters too, kept by the same two
methods in the same transaction: :class:`CampaignPartnerCount` per campaign
and partner, ``Event.confirmed_pledges`` per event (an event belongs to one
campaign). So a campaign's total is always the sum of its partners', its
events' and its direct pledges. A deleted partner or event leaves its
pledges counted as direct (their counters go with it). A refused change raises
:class:`PledgeStateError` (a :class:`together.refusals.Refusal`). Private
links are :mod:`together.tokens` tokens over the id and a random ``secret``;
withdrawing erases the pledge and every email sent about it.
"""

import secrets
from calendar import monthrange
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from campaigns.models.campaign import Campaign
from together.mail import erase_emails_to, normalise_email, queue_email
from together.refusals import Refusal
from together.tokens import make_token, read_token


class CountryCountQuerySet(models.QuerySet):
    def top(self):
        """Countries with confirmed pledges, largest first."""
        return self.filter(count__gt=0).order_by("-count", "country")


class CampaignCountryCount(models.Model):
    """Confirmed pledges of one campaign from one country: a counter kept by
    Pledge.confirm() and Pledge.withdraw(), so the breakdown is read, not
    counted, on every page view."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="country_counts", verbose_name=_("campaign")
    )
    country = CountryField(_("country"))
    count = models.PositiveIntegerField(_("confirmed pledges"), default=0)

    objects = CountryCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledges per country")
        verbose_name_plural = _("pledges per country")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "country"], name="campaign_country_count_unique"),
        ]
        indexes = [models.Index(fields=["campaign", "-count"], name="campaign_country_count_top")]

    def __str__(self):
        return f"{self.campaign}: {self.country.name} {self.count}"


class CampaignPartnerCount(models.Model):
    """Confirmed pledges of one campaign brought by one partner (its links
    and widget): a counter kept by Pledge.confirm() and Pledge.withdraw()."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="partner_counts", verbose_name=_("campaign")
    )
    partner = models.ForeignKey(
        "campaigns.Partner", on_delete=models.CASCADE, related_name="pledge_counts", verbose_name=_("partner")
    )
    count = models.PositiveIntegerField(_("confirmed pledges"), default=0)

    class Meta:
        verbose_name = _("pledges per partner")
        verbose_name_plural = _("pledges per partner")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "partner"], name="campaign_partner_count_unique"),
        ]

    def __str__(self):
        return f"{self.campaign}: {self.partner_id} {self.count}"


class PledgeSource(models.TextChoices):
    CAMPAIGN_PAGE = "campaign_page", _("Campaign page")
    PARTNER_WIDGET = "partner_widget", _("Partner widget")
    EVENT_STAND = "event_stand", _("Event stand")


class PledgeStateError(Refusal):
    """An illegal change of a pledge's state (e.g. approving an empty message)."""


class PledgeQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now=None):
        """Unconfirmed pledges whose last confirmation link has expired."""
        cutoff = (now or timezone.now()) - Pledge.CONFIRMATION_VALID_FOR
        return self.unconfirmed().filter(confirmation_sent_at__lt=cutoff)

    def past_retention(self, now=None):
        """Confirmed pledges still holding a name and an address whose
        campaign ended more than settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN
        months ago (a campaign without an end is still running)."""
        today = timezone.localdate(now or timezone.now())
        cutoff = months_before(today, settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN)
        return self.confirmed().filter(campaign__ends_on__lt=cutoff, anonymised_at__isnull=True)

    # What the campaign page reads of a listed supporter and of an approved
    # message: nothing else of the pledge leaves the database for them.
    SUPPORTER_FIELDS = ("id", "name", "country", "confirmed_at")
    MESSAGE_FIELDS = ("id", "name", "country", "show_publicly", "message", "message_approved_at", "language")

    def latest_supporters(self, limit):
        """Confirmed supporters who chose to be listed, newest first."""
        return (
            self.confirmed()
            .filter(show_publicly=True)
            .order_by("-confirmed_at")
            .only(*self.SUPPORTER_FIELDS)[:limit]
        )

    def public_messages(self, limit):
        """Messages a moderator approved, on confirmed pledges, newest first."""
        return (
            self.confirmed()
            .filter(message_approved_at__isnull=False)
            .order_by("-message_approved_at")
            .only(*self.MESSAGE_FIELDS)[:limit]
        )

    def confirmed_by_source(self):
        """{source label: confirmed pledges}, every source named (scans; admin only)."""
        counts = dict(
            self.confirmed().values_list("source").annotate(total=Count("pk")).values_list("source", "total")
        )
        return {label: counts.get(value, 0) for value, label in PledgeSource.choices}


def months_before(day, months):
    """The date ``months`` calendar months before ``day`` (the month's last
    day when it is shorter: 31 August minus 6 months is 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))


def new_pledge_secret():
    return secrets.token_urlsafe(16)


class Pledge(models.Model):
    """One person's support of a campaign, counted once they confirm it.

    State changes have one home each: submit() (create or resend), confirm(),
    withdraw() and approve_message(). Only confirm() and withdraw() touch the
    campaign's counters, in the same transaction as the change itself.
    """

    CONFIRMATION_VALID_FOR = timedelta(days=7)
    _CONFIRM_SALT = "campaigns.pledge.confirm"
    _WITHDRAW_SALT = "campaigns.pledge.withdraw"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    email_normalised = models.CharField(_("normalised email"), max_length=254, editable=False)
    country = CountryField(_("country"))
    show_publicly = models.BooleanField(
        _("listed publicly"), default=False, help_text=_("First name and country shown among supporters.")
    )
    keep_informed = models.BooleanField(_("keep informed"), default=False)
    message = models.CharField(_("message"), max_length=280, blank=True)
    message_approved_at = models.DateTimeField(_("message approved"), null=True, blank=True, editable=False)
    message_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("message approved by"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=PledgeSource.choices, default=PledgeSource.CAMPAIGN_PAGE
    )
    # Who brought the pledge (at most one; neither is a direct visit).
    partner = models.ForeignKey(
        "campaigns.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="pledges",
        verbose_name=_("brought by partner"),
    )
    event = models.ForeignKey(
        "campaigns.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="pledges",
        verbose_name=_("made at event"),
    )
    language = models.CharField(_("language"), max_length=10, editable=False)
    # A random value in every signed link, so a link names this pledge only.
    secret = models.CharField(max_length=32, default=new_pledge_secret, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    # Set when the name, address and message were erased after the campaign
    # ended (retention, Pledge.anonymise); the country and the count stay.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_normalised"],
                condition=models.Q(anonymised_at__isnull=True),
                name="pledge_one_per_email_and_campaign",
                violation_error_message=_("This address has already pledged to this campaign."),
            ),
            models.CheckConstraint(
                condition=models.Q(message_approved_at__isnull=True) | ~models.Q(message=""),
                name="pledge_approved_message_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(partner__isnull=True) | models.Q(event__isnull=True),
                name="pledge_one_attribution",
                violation_error_message=_("A pledge is brought by a partner or made at an event, not both."),
            ),
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=True)
                | models.Q(name="", email="", email_normalised="", message="", confirmed_at__isnull=False),
                name="pledge_anonymised_holds_no_name",
                violation_error_message=_("An anonymised pledge keeps no name, address or message."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "-confirmed_at"],
                condition=models.Q(show_publicly=True, confirmed_at__isnull=False),
                name="pledge_public_supporters",
            ),
            models.Index(
                fields=["campaign", "-message_approved_at"],
                condition=models.Q(message_approved_at__isnull=False),
                name="pledge_public_messages",
            ),
            models.Index(
                fields=["confirmation_sent_at"],
                condition=models.Q(confirmed_at__isnull=True),
                name="pledge_unconfirmed_by_age",
            ),
            # A person's own pledges, in every campaign (together.personal_data):
            # the unique index leads with the campaign, so it cannot answer.
            models.Index(
                fields=["email_normalised"],
                condition=models.Q(anonymised_at__isnull=True),
                name="pledge_email_idx",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} ({self.country.code}) - {self.campaign}"

    @property
    def first_name(self):
        parts = self.name.split()
        return parts[0] if parts else ""

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    # -- Submitting ------------------------------------------------------------

    @classmethod
    def submit(
        cls,
        *,
        campaign,
        name,
        email,
        country,
        show_publicly,
        keep_informed,
        message,
        source,
        language,
        partner=None,
        event=None,
    ):
        """Record a pledge and send its confirmation email.

        One pledge per address and campaign: when the address has pledged
        already, an unconfirmed pledge takes the new details and gets a fresh
        confirmation email; a confirmed one is left as it is and its owner is
        told by email. Callers answer the same in every case, so the page
        never tells whether an address had pledged. ``partner`` or ``event``
        (at most one) is who brought it; the latest submission of an
        unconfirmed pledge decides. Returns the pledge.
        """
        details = {
            "name": name,
            "email": email.strip(),
            "country": country,
            "show_publicly": show_publicly,
            "keep_informed": keep_informed,
            "message": message,
            "source": source,
            "language": language,
            "partner": partner,
            "event": event,
        }
        with transaction.atomic():
            pledge, created = cls.objects.select_for_update().get_or_create(
                campaign=campaign,
                email_normalised=normalise_email(email),
                # The unique index is partial (anonymised pledges keep no
                # address): without its condition the lookup scans every row.
                anonymised_at__isnull=True,
                defaults=details,
            )
            if pledge.is_confirmed:
                # Only the owner of the address learns it had pledged; this
                # also keeps the work, and so the response time, the same.
                pledge.send_email("pledge_already", language=language)
                return pledge
            if not created:
                for field, value in details.items():
                    setattr(pledge, field, value)
                pledge.confirmation_sent_at = timezone.now()
                pledge.save(update_fields=[*details, "confirmation_sent_at"])
            pledge.send_email("pledge_confirm")
        return pledge

    def send_email(self, kind, *, language=None):
        """Email the person: "pledge_confirm" (with the confirmation link) or
        "pledge_already" (they had confirmed already). Every email carries the
        link to withdraw. In the pledge's language unless another is given."""
        language = language or self.language
        with translation.override(language):
            context = {
                "pledge": self,
                "campaign": self.campaign,
                "withdraw_url": settings.SITE_URL
                + reverse("campaigns:pledge_withdraw", args=[self.withdraw_token()]),
            }
            if not self.is_confirmed:
                context["confirm_url"] = settings.SITE_URL + reverse(
                    "campaigns:pledge_confirm", args=[self.confirm_token()]
                )
                context["valid_days"] = self.CONFIRMATION_VALID_FOR.days
        queue_email(
            to=self.email,
            template=f"campaigns/email/{kind}",
            context=context,
            language=language,
            holds_private_link=True,
        )

    # -- Signed links ------------------------------------------------------------

    def confirm_token(self):
        return make_token([self.pk, self.secret], purpose=self._CONFIRM_SALT)

    def withdraw_token(self):
        return make_token([self.pk, self.secret], purpose=self._WITHDRAW_SALT)

    @classmethod
    def from_confirm_token(cls, token):
        """The pledge a confirmation link names. Raises signing.SignatureExpired
        after CONFIRMATION_VALID_FOR, signing.BadSignature for a forged or
        damaged link and cls.DoesNotExist when the pledge is gone."""
        return cls._from_token(token, cls._CONFIRM_SALT, cls.CONFIRMATION_VALID_FOR)

    @classmethod
    def from_withdraw_token(cls, token):
        """Like from_confirm_token; withdrawal links do not expire."""
        return cls._from_token(token, cls._WITHDRAW_SALT, None)

    @classmethod
    def _from_token(cls, token, salt, max_age):
        try:
            pk, secret = read_token(token, purpose=salt, max_age=max_age)
        except (TypeError, ValueError):  # signed, but not what we sign
            raise signing.BadSignature("Malformed pledge token") from None
        return cls.objects.select_related("campaign").get(pk=pk, secret=secret)

    # -- State changes -------------------------------------------------------------

    def confirm(self):
        """Count the pledge, once. Confirming again changes nothing.

        The row lock makes it exactly-once under concurrency: of two
        simultaneous confirmations the second waits, then finds it confirmed,
        and only the first increments the counters, in the same transaction.
        Returns True when this call confirmed it. Raises
        :class:`PledgeStateError` when the pledge was withdrawn meanwhile.
        """
        with transaction.atomic():
            self._lock()
            if self.is_confirmed:
                return False
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])
            self._add_to_counters(+1)
        return True

    def withdraw(self):
        """Delete the pledge and every email sent about it, and take it out of
        the count if it was confirmed. Withdrawing twice changes nothing.
        Returns True when this call deleted it."""
        with transaction.atomic():
            # The row lock makes a concurrent confirm() wait, then find nothing.
            locked = Pledge.objects.select_for_update().filter(pk=self.pk).first()
            if locked is None:
                return False
            if locked.is_confirmed:
                locked._add_to_counters(-1)
            locked._erase()
        return True

    def _lock(self):
        """Lock this pledge's row and re-read its state, so a change acts on
        what the previous one left: its confirmation, its message and what
        the counters count it under (a submission again before confirming
        may have changed the country or who brought it since this instance
        was read). Raises :class:`PledgeStateError` once the pledge is
        withdrawn (deleted): a link or a page showed it earlier."""
        state = (
            Pledge.objects.select_for_update()
            .filter(pk=self.pk)
            .values("confirmed_at", "message", "message_approved_at", "country", "event_id", "partner_id")
            .first()
        )
        if state is None:
            raise PledgeStateError(_("This pledge has been withdrawn."))
        for field, value in state.items():
            setattr(self, field, value)

    def _erase(self):
        self.delete()
        # The stored emails hold the person's name and private links.
        erase_emails_to(self.email)

    def _add_to_counters(self, delta):
        """Add delta to the campaign's total, its country's count and the
        count of the partner or event that brought the pledge.

        Must run inside the transaction that changes the pledge. The campaign
        row is updated first, so every writer takes the same lock first."""
        Campaign.objects.filter(pk=self.campaign_id).update(confirmed_pledges=F("confirmed_pledges") + delta)
        _add_to_count_row(CampaignCountryCount, delta, campaign_id=self.campaign_id, country=self.country)
        if self.event_id:
            # Through the relation: this module imports no other aggregate.
            events = Pledge.event.field.related_model.objects
            events.filter(pk=self.event_id).update(confirmed_pledges=F("confirmed_pledges") + delta)
        if self.partner_id:
            _add_to_count_row(
                CampaignPartnerCount, delta, campaign_id=self.campaign_id, partner_id=self.partner_id
            )

    @transaction.atomic
    def approve_message(self, *, by):
        """Let the message be shown publicly (on a confirmed pledge only)."""
        self._lock()
        if not self.message:
            raise PledgeStateError(_("This pledge has no message to approve."))
        if not self.is_confirmed:
            raise PledgeStateError(_("Only the message of a confirmed pledge can be approved."))
        if self.message_approved_at is not None:
            raise PledgeStateError(_("This message is already approved."))
        self.message_approved_at = timezone.now()
        self.message_approved_by = by
        self.save(update_fields=["message_approved_at", "message_approved_by"])

    @classmethod
    def repair_counts(cls, campaign):
        """Make the campaign's counters equal the true counts of confirmed pledges.

        Locks the campaign row first, as confirm() and withdraw() do, so no
        confirmation can slip between counting and writing. Returns a list of
        human-readable descriptions of what was wrong (empty when all agreed).
        """
        fixes = []
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            confirmed = cls.objects.confirmed().filter(campaign=locked)
            true_total = confirmed.count()
            if locked.confirmed_pledges != true_total:
                fixes.append(f"{locked.slug}: total {locked.confirmed_pledges} -> {true_total}")
                Campaign.objects.filter(pk=locked.pk).update(confirmed_pledges=true_total)
            stored = {row.country.code: row for row in locked.country_counts.all()}
            fixes += _repair_count_rows(
                locked, "", _count_by(confirmed, "country"), stored, CampaignCountryCount, "country"
            )
            fixes += cls._repair_attribution_counts(locked, confirmed)
        campaign.refresh_from_db(fields=["confirmed_pledges"])
        return fixes

    def anonymise(self, *, now=None):
        """Erase the name, address and message of a confirmed pledge once
        the retention period after its campaign has passed, with the emails
        sent about it; its links stop working. The pledge stays confirmed
        with its country, so the campaign's counters stay exact (nothing
        counted changes). Re-checked under the row lock: safe to run twice.
        Returns True when this call anonymised it."""
        with transaction.atomic():
            locked = Pledge.objects.past_retention(now).select_for_update().filter(pk=self.pk).first()
            if locked is None:
                return False
            address = locked.email
            erased = {
                "name": "",
                "email": "",
                "email_normalised": "",
                "message": "",
                "message_approved_at": None,
                "message_approved_by": None,
                "show_publicly": False,
                "keep_informed": False,
                "secret": new_pledge_secret(),
                "anonymised_at": timezone.now(),
            }
            for field, value in erased.items():
                setattr(self, field, value)
            self.save(update_fields=list(erased))
            erase_emails_to(address)
        return True

    @classmethod
    def _repair_attribution_counts(cls, campaign, confirmed):
        """The partner and event counters of ``campaign`` (whose row the caller locked)."""
        fixes = []
        by_event = _count_by(confirmed, "event")
        for event in campaign.events.order_by("pk"):
            true_count = by_event.get(event.pk, 0)
            if event.confirmed_pledges != true_count:
                fixes.append(f"{campaign.slug}: event {event.slug} {event.confirmed_pledges} -> {true_count}")
                type(event).objects.filter(pk=event.pk).update(confirmed_pledges=true_count)
        stored = {row.partner_id: row for row in campaign.partner_counts.all()}
        fixes += _repair_count_rows(
            campaign, "partner ", _count_by(confirmed, "partner"), stored, CampaignPartnerCount, "partner_id"
        )
        return fixes

    @classmethod
    def delete_expired(cls, now=None):
        """Delete unconfirmed pledges whose confirmation link has expired, and
        the emails sent about them (they were never counted). A pledge
        confirmed meanwhile is kept: each is re-checked under its row lock.
        Returns how many were deleted."""
        deleted = 0
        for pk in cls.objects.expired(now).values_list("pk", flat=True).iterator():
            with transaction.atomic():
                pledge = cls.objects.expired(now).select_for_update().filter(pk=pk).first()
                if pledge is not None:
                    pledge._erase()
                    deleted += 1
        return deleted


def _add_to_count_row(model, delta, **key):
    """Add ``delta`` to the ``count`` of the counter row of ``model`` that
    ``key`` names, atomically (one UPDATE once the row exists, the usual
    case). The first time, the row is inserted (a concurrent insert wins
    harmlessly: ON CONFLICT DO NOTHING waits for it) and then incremented."""
    if model.objects.filter(**key).update(count=F("count") + delta):
        return
    model.objects.bulk_create([model(**key, count=0)], ignore_conflicts=True)
    model.objects.filter(**key).update(count=F("count") + delta)


def _count_by(confirmed, field):
    """{value of ``field``: how many of the ``confirmed`` pledges have it},
    pledges without one left out."""
    with_value = confirmed.exclude(**{f"{field}__isnull": True})
    return dict(with_value.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def _repair_count_rows(campaign, label, true_counts, stored, model, key_field):
    """Make the counter rows ``stored`` ({key: row of ``model``}) of
    ``campaign`` say ``true_counts`` ({key: count}), creating missing rows;
    returns a line for each fix ("<slug>: <label><key> <was> -> <is>")."""
    fixes = []
    for key in sorted(set(true_counts) | set(stored)):
        true_count = true_counts.get(key, 0)
        row = stored.get(key)
        stored_count = row.count if row else 0
        if stored_count == true_count:
            continue
        fixes.append(f"{campaign.slug}: {label}{key} {stored_count} -> {true_count}")
        if row:
            model.objects.filter(pk=row.pk).update(count=true_count)
        else:
            model.objects.create(campaign=campaign, **{key_field: key}, count=true_count)
    return fixes
