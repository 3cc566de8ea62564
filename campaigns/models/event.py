"""Events people join in person, and their sign-ups with a waiting list.

Times are stored in UTC with the IANA zone of the place, in which they are
always shown. ``Event.places_taken`` counts the sign-ups holding a place; it
changes only in :class:`SignUp`'s transitions (``confirm``, ``cancel``,
``promote``, ``remove``, ``register_again``), each of which locks the event
row first, and a constraint keeps it within ``places``. A freed place goes to
the first person waiting (``Event.promote_next``). Refusals raise
:class:`SignUpError` (a :class:`together.refusals.Refusal`) with a message for
the person. One sign-up per address and event (compared in the canonical
form of :func:`together.mail.normalise_email`, kept in ``email_normalised``;
mail goes to ``email``, as typed); the private links carry a random
secret signed by :mod:`together.tokens`, never the id or the address.
"""

import secrets
import uuid
import zoneinfo
from datetime import timedelta
from urllib.parse import urlencode

from babel.dates import get_timezone_location
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from campaigns.models.campaign import Campaign
from together.mail import erase_emails_to, normalise_email, queue_email
from together.refusals import Refusal
from together.tokens import make_token, read_token


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SignUpError(Refusal):
    """A sign-up or a change to one was refused; the message is written for
    the person concerned and shown to them as it is."""


class SignUpGone(SignUpError):
    """The sign-up was deleted (or its event) while a change to it waited."""


class EventQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Events that have not ended yet, soonest first."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        """Events that have ended, most recent first."""
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_public_counts(self):
        """Annotate ``nationality_count``: how many nationalities the people
        holding a place declared. (How many people take part is the
        ``places_taken`` counter itself.) Nobody on the waiting list or still
        unconfirmed is counted, and no name ever leaves the database.

        A subquery per event rather than a join grouped by event: a page
        of events (the events list, the home page) counts its own events'
        sign-ups only, after the LIMIT, instead of every event's (20 ms for
        500 events and 20,000 sign-ups, on each list query)."""
        per_event = (
            SignUp.objects.filter(event=models.OuterRef("pk"), status=SignUp.Status.CONFIRMED)
            .exclude(nationality="")
            .order_by()
            .values("event")
            .annotate(count=models.Count("nationality", distinct=True))
            .values("count")
        )
        return self.annotate(nationality_count=Coalesce(models.Subquery(per_event), 0))

    def with_paper_pledge_count(self):
        """Annotate ``paper_pledges``: the net count of paper pledge forms
        signed at each event (corrections included), in the same query (a
        subquery, so it adds no rows to the other annotations' joins)."""
        batches = self.model._meta.get_field("paper_batches").related_model.objects
        per_event = (
            batches.filter(event=models.OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(total=models.Sum("count"))
            .values("total")
        )
        return self.annotate(paper_pledges=Coalesce(models.Subquery(per_event), 0))

    def with_paper_pledges(self, campaign):
        """The campaign's events where paper pledge forms were counted, with
        ``paper_pledges``, largest first; events whose batches were corrected
        to nothing are left out."""
        return (
            self.filter(campaign=campaign)
            .with_paper_pledge_count()
            .filter(paper_pledges__gt=0)
            .order_by("-paper_pledges", "starts_at", "pk")
        )


class Event(models.Model):
    """Something people can join in person, such as the UN team at a race.

    Times are stored as aware datetimes (UTC in the database) together with
    the IANA name of the place's time zone, in which they are always shown.

    ``places_taken`` counts the sign-ups holding a place. It is changed only
    by :class:`SignUp`'s transitions, in the transaction that changes the
    sign-up and with this row locked, and a constraint keeps it within
    ``places`` whatever happens."""

    class Kind(models.TextChoices):
        RUN = "run", _("run")
        STAND = "stand", _("information stand")
        TALK = "talk", _("talk")
        OTHER = "other", _("other")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="events", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One sentence, shown in lists."))
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="Europe/Brussels",
        help_text=_("Where the event takes place. Times are entered and shown in this zone."),
    )
    venue_name = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    places = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    # Confirmed pledges made at the event's stand (its stand links and their
    # QR codes): a counter kept by Pledge.confirm() and Pledge.withdraw().
    confirmed_pledges = models.PositiveIntegerField(_("confirmed pledges"), default=0, editable=False)
    signups_open_at = models.DateTimeField(_("sign-up opens"))
    signups_close_at = models.DateTimeField(_("sign-up closes"))
    # The calendar entry's UID: the same event stays one entry in people's
    # calendars however often they download it, and whatever the site's host.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="event_when_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(signups_close_at__gt=models.F("signups_open_at")),
                name="event_signups_close_after_opening",
                violation_error_message=_("Sign-up must close after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(signups_close_at__lte=models.F("ends_at")),
                name="event_signups_close_by_end",
                violation_error_message=_("Sign-up must close by the end of the event."),
            ),
            models.CheckConstraint(
                condition=models.Q(places__isnull=True) | models.Q(places_taken__lte=models.F("places")),
                name="event_places_not_overbooked",
                violation_error_message=_("More places are taken than the event has."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    # Spelled out: a comparison with NULL would let a lone latitude through.
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="event_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:event_detail", kwargs={"slug": self.slug})

    def clean(self):
        # places_taken is not in the admin form, so its constraint would not be
        # checked there: say it plainly instead of failing on save.
        if self.places is not None and self.places < self.places_taken:
            raise ValidationError(
                {
                    "places": ValidationError(
                        _("%(taken)s people already hold a place: there cannot be fewer places."),
                        code="fewer_places_than_taken",
                        params={"taken": self.places_taken},
                    )
                }
            )

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_city(self):
        """The zone's city in the current language, from CLDR: "Brussels",
        "Bruxelles", "بروكسل" for Europe/Brussels."""
        return get_timezone_location(
            self.zone, locale=translation.to_locale(translation.get_language()), return_city=True
        )

    def has_ended(self, now=None):
        return self.ends_at < (now or timezone.now())

    @property
    def places_left(self):
        """Free places, or None when the number of places is not limited."""
        return None if self.places is None else self.places - self.places_taken

    @property
    def is_full(self):
        return self.places is not None and self.places_taken >= self.places

    def signups_refusal(self, now=None):
        """Why nobody can sign up right now, or None when sign-up is open."""
        now = now or timezone.now()
        if now < self.signups_open_at:
            return _("Sign-up for this event opens on %(date)s.") % {
                "date": self.format_local(self.signups_open_at)
            }
        if now >= self.signups_close_at:
            return _("Sign-up for this event closed on %(date)s.") % {
                "date": self.format_local(self.signups_close_at)
            }
        return None

    def format_local(self, moment):
        """A moment in the event's own time, its zone named (for messages;
        templates use the ``timezone`` tag)."""
        local = timezone.localtime(moment, self.zone)
        return f"{date_format(local, 'DATETIME_FORMAT')} ({self.zone_city}, {local.tzname()})"

    @property
    def map_url(self):
        """The place on OpenStreetMap: a plain link, nothing is loaded from there."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})

    def register(self, *, name, email, role, nationality="", language):
        """Sign someone up, or answer a second sign-up from the same address.

        A new person gets a pending sign-up and an email with a link to
        confirm it. Someone already pending is sent a fresh link (with their
        new details); someone holding a place or waiting is reminded of it
        by email, so the page says the same thing whoever signs up and
        nobody can learn from it who takes part; someone who had cancelled
        starts again. Raises :class:`SignUpError` outside the sign-up window.
        """
        refusal = self.signups_refusal()
        if refusal:
            raise SignUpError(refusal)
        # Mail goes to the address as typed; the canonical form only tells
        # whether this person has signed up already.
        email = email.strip()
        email_normalised = normalise_email(email)
        details = {"name": name, "role": role, "nationality": nationality, "language": language}
        with transaction.atomic():
            # Not locked here: register_again() locks the event row first, in
            # the same order as every other transition.
            signup = self.signups.filter(email_normalised=email_normalised).first()
            if signup is None:
                try:
                    with transaction.atomic():
                        signup = self.signups.create(
                            email=email, email_normalised=email_normalised, **details
                        )
                except IntegrityError:  # the same address, at the same instant
                    signup = self.signups.get(email_normalised=email_normalised)
                else:
                    signup.send_email("confirm")
                    return signup
            signup.register_again(**details)
        return signup

    def promote_next(self):
        """Give a free place to the first person on the waiting list (in the
        order they confirmed) and email them. Returns that sign-up, or None
        when no place is free, nobody is waiting or the event is over."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.pk)
            first = event.signups.waiting_list().first()
            # After the event, a freed place is worth no email.
            if first is None or event.is_full or event.has_ended():
                return None
            first.promote()
            self.places_taken = first.event.places_taken
            return first

    def _take_place(self):
        """Callers hold this row's lock; the constraint refuses an overbooking
        that a missing lock would let through."""
        Event.objects.filter(pk=self.pk).update(places_taken=models.F("places_taken") + 1)
        self.places_taken += 1

    def _release_place(self):
        Event.objects.filter(pk=self.pk).update(places_taken=models.F("places_taken") - 1)
        self.places_taken -= 1


def new_signup_secret():
    return secrets.token_urlsafe(24)


class SignUpQuerySet(models.QuerySet):
    def past_retention(self, now=None):
        """Sign-ups still holding a name and an address whose event ended
        more than settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT days ago."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT)
        return self.filter(event__ends_at__lt=cutoff, erased_at__isnull=True)

    def waiting_list(self):
        """Confirmed people waiting for a place, first come first served."""
        return self.filter(status=SignUp.Status.WAITING).order_by("confirmed_at", "pk")


class SignUp(models.Model):
    """One person's sign-up for an event, private to them and the organisers.

    Its status changes only through :meth:`confirm`, :meth:`cancel`,
    :meth:`promote`, :meth:`remove` and :meth:`register_again` (called by
    :meth:`Event.register`); each locks the event row first, so places are
    counted one change at a time."""

    class Role(models.TextChoices):
        RUNNER = "runner", _("runner")
        WALKER = "walker", _("walker")
        VOLUNTEER = "volunteer", _("volunteer at the stand")
        SUPPORTER = "supporter", _("supporter")

    class Status(models.TextChoices):
        PENDING = "pending", _("not confirmed yet")
        CONFIRMED = "confirmed", _("has a place")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    # How long the link in the confirmation email works.
    CONFIRMATION_MAX_AGE = timedelta(days=3)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="signups", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    # As typed: emails go to it. The canonical form tells people apart.
    email = models.EmailField(_("email"))
    email_normalised = models.CharField(_("normalised email"), max_length=254, editable=False)
    role = models.CharField(_("role"), max_length=10, choices=Role)
    nationality = CountryField(_("nationality"), blank=True, blank_label=_("(prefer not to say)"))
    language = models.CharField(_("language"), max_length=10, help_text=_("Emails are written in it."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False
    )
    # The private links (confirm, cancel) carry this, signed: never the id or
    # the address.
    secret = models.CharField(max_length=64, unique=True, default=new_signup_secret, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True, editable=False)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("promoted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    # Set when the name and address were erased after the event (retention,
    # SignUp.erase_after_event); the role, nationality and status stay, so
    # the event's figures stay true.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "created_at"]
        indexes = [
            models.Index(fields=["event", "status", "confirmed_at"], name="signup_event_status_idx"),
            # A person's own sign-ups, at every event (together.personal_data):
            # the unique index leads with the event, so it cannot answer.
            models.Index(
                fields=["email_normalised"],
                condition=models.Q(erased_at__isnull=True),
                name="signup_email_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalised"],
                condition=models.Q(erased_at__isnull=True),
                name="signup_one_per_email_and_event",
                violation_error_message=_("This address is already signed up for this event."),
            ),
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True) | models.Q(name="", email="", email_normalised=""),
                name="signup_erased_holds_no_name",
                violation_error_message=_("An erased sign-up keeps no name and no address."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "confirmed", "waiting", "cancelled"]),
                name="signup_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["confirmed", "waiting"])
                | models.Q(confirmed_at__isnull=False),
                name="signup_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancelled_at__isnull=False),
                name="signup_cancelled_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.event})"

    # Transitions -------------------------------------------------------------

    def _lock(self):
        """Lock the event row, then reload this sign-up: every transition
        sees the state the previous one left, never a stale copy. Raises
        :class:`SignUpGone` when the sign-up (or its event) was deleted
        meanwhile."""
        event = Event.objects.select_for_update().filter(pk=self.event_id).first()
        state = SignUp.objects.filter(pk=self.pk).values("status", "confirmed_at").first()
        if event is None or state is None:
            raise SignUpGone(_("This sign-up no longer exists."))
        self.event = event
        for field, value in state.items():
            setattr(self, field, value)

    def confirm(self, *, notify=True):
        """The person confirmed their address: they take a free place, or
        join the waiting list when none is left. Emails them which (unless
        ``notify`` is false, as for demo data)."""
        with transaction.atomic():
            self._lock()
            if self.status != self.Status.PENDING:
                raise SignUpError(self._already_message())
            self.confirmed_at = timezone.now()
            if self.event.is_full:
                self.status = self.Status.WAITING
            else:
                self.event._take_place()
                self.status = self.Status.CONFIRMED
            self.save(update_fields=["status", "confirmed_at"])
            if notify:
                self.send_email("confirmed" if self.status == self.Status.CONFIRMED else "waiting")

    def cancel(self):
        """The person withdraws. A place they held goes to the first person
        waiting, who is told by email."""
        with transaction.atomic():
            self._lock()
            if self.status == self.Status.CANCELLED:
                raise SignUpError(_("This sign-up is already cancelled."))
            if self.event.has_ended():
                raise SignUpError(_("This event has already taken place: there is nothing to cancel."))
            held_place = self.status == self.Status.CONFIRMED
            self.status = self.Status.CANCELLED
            self.cancelled_at = timezone.now()
            self.save(update_fields=["status", "cancelled_at"])
            if held_place:
                self.event._release_place()
                self.event.promote_next()

    def promote(self, *, by=None):
        """Give this person on the waiting list a free place and email them;
        ``by`` is the organiser who chose them, None for the automatic
        first-come promotion. Never takes a place that is not free."""
        with transaction.atomic():
            self._lock()
            if self.status != self.Status.WAITING:
                raise SignUpError(_("Only someone on the waiting list can be given a place."))
            if self.event.is_full:
                raise SignUpError(_("No place is free: add places to the event first."))
            self.event._take_place()
            self.status = self.Status.CONFIRMED
            self.promoted_at = timezone.now()
            self.promoted_by = by
            self.save(update_fields=["status", "promoted_at", "promoted_by"])
            self.send_email("promoted")

    def remove(self):
        """Delete this sign-up (an organiser's decision, or the person asked
        to be forgotten). A place it held is freed and goes to the first
        person waiting, who is told by email, as after a cancellation."""
        with transaction.atomic():
            try:
                self._lock()
            except SignUpGone:  # removed by someone else meanwhile: nothing left to do
                return
            held_place = self.status == self.Status.CONFIRMED
            self.delete()
            if held_place:
                self.event._release_place()
                self.event.promote_next()

    def erase_after_event(self, *, now=None):
        """Erase the name and address once the retention period after the
        event has passed (with the emails sent to the address, which hold its
        private links); the private links stop working. Re-checked under the
        event's lock, so running twice, or alongside an organiser, is safe.
        Returns True when this call erased it."""
        with transaction.atomic():
            try:
                self._lock()
            except SignUpGone:
                return False
            if not SignUp.objects.past_retention(now).filter(pk=self.pk).exists():
                return False
            address = self.email
            self.name, self.email, self.email_normalised = "", "", ""
            self.secret = new_signup_secret()
            self.erased_at = timezone.now()
            self.save(update_fields=["name", "email", "email_normalised", "secret", "erased_at"])
            erase_emails_to(address)
        return True

    def register_again(self, *, name, role, nationality, language):
        """The same address signed up again (see :meth:`Event.register`)."""
        with transaction.atomic():
            self._lock()
            if self.status in {self.Status.CONFIRMED, self.Status.WAITING}:
                self.send_email("already")
                return
            if self.status == self.Status.CANCELLED:
                self.status = self.Status.PENDING
                self.confirmed_at = self.cancelled_at = self.promoted_at = self.promoted_by = None
            self.name, self.role, self.nationality, self.language = name, role, nationality, language
            self.save(
                update_fields=[
                    "name",
                    "role",
                    "nationality",
                    "language",
                    "status",
                    "confirmed_at",
                    "cancelled_at",
                    "promoted_at",
                    "promoted_by",
                ]
            )
            self.send_email("confirm")

    def _already_message(self):
        return {
            self.Status.CONFIRMED: _("You have already confirmed: your place is booked."),
            self.Status.WAITING: _("You have already confirmed: you are on the waiting list."),
            self.Status.CANCELLED: _("This sign-up was cancelled. Sign up again if you would like to come."),
        }[self.status]

    # Private links and emails ------------------------------------------------

    @staticmethod
    def _token_purpose(purpose):
        return f"campaigns.signup.{purpose}"

    def token(self, purpose):
        """The signed token of a private link; ``purpose`` is "confirm" or
        "cancel", and a token for one never works for the other."""
        return make_token(self.secret, purpose=self._token_purpose(purpose))

    @classmethod
    def from_token(cls, token, purpose):
        """The sign-up a private link is for. Raises ``signing.SignatureExpired``
        for an expired confirmation link, ``signing.BadSignature`` or
        ``SignUp.DoesNotExist`` for anything else."""
        max_age = cls.CONFIRMATION_MAX_AGE if purpose == "confirm" else None
        secret = read_token(token, purpose=cls._token_purpose(purpose), max_age=max_age, text=True)
        return cls.objects.select_related("event").get(secret=secret)

    def private_url(self, purpose):
        """The absolute address of a private link, in the person's language."""
        with translation.override(self.language):
            path = reverse(
                f"campaigns:signup_{purpose}", kwargs={"slug": self.event.slug, "token": self.token(purpose)}
            )
        return settings.SITE_URL + path

    def send_email(self, template):
        """Queue ``campaigns/email/signup_<template>`` to this person, in the
        language they used to sign up, with their private links."""
        with translation.override(self.language):
            event_url = settings.SITE_URL + self.event.get_absolute_url()
        queue_email(
            to=self.email,
            template=f"campaigns/email/signup_{template}",
            context={
                "signup": self,
                "event": self.event,
                "event_url": event_url,
                "confirm_url": self.private_url("confirm"),
                "cancel_url": self.private_url("cancel"),
            },
            language=self.language,
            holds_private_link=True,
        )
