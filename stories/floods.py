"""Reports and floods: what moderators are told, and when.

Invariants:

* **One digest of new reports per interval.** Filing a report
  (:func:`file_report`, the one way the site records one) never emails
  anyone by itself: it makes sure a digest is due, at the latest
  ``settings.REPORT_DIGEST_INTERVAL`` after the previous digest
  (:meth:`ModerationDesk.schedule_digest`). The digest task
  (:func:`send_report_digest`) lists the reports filed since the stored
  marker (``digest_last_report_id``) and moves the marker, under the desk's
  row lock: two workers running it at once send one digest.
* **One alert per surge.** A surge is a flood in progress: many reports on
  one story, or reports or new stories from many different addresses, within
  ``settings.SURGE_WINDOW`` (thresholds in ``settings.SURGE_THRESHOLDS``).
  The first signal opens a :class:`Surge` and emails the moderators once;
  every later signal, of any kind, joins the surge while it lasts (until a
  window passes without a signal). The admin shows a banner meanwhile.
  Nothing is hidden or dropped: a reported story stays up, every report and
  story is kept for review.
* **Counting without storing who.** Addresses are counted as keyed hashes in
  the cache (as the rate limits are, :mod:`together.abuse`), per window;
  while Redis is down the cache counts in each process
  (:class:`together.cache.DegradingRedisCache`), so a surge is seen later,
  never wrongly. Reports on one story are counted in the database.
* **Surge mode** is a switch on the desk that moderators flip
  (:meth:`ModerationDesk.set_surge_mode`, logged with who and when): while
  on, the sharing form and the thank-you page tell storytellers that review
  takes longer. It changes no rule: everything is still held for review.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, Max
from django.tasks import task, task_backends
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stories.models import Report, Story, moderator_addresses
from together.logs import pseudonymise
from together.mail import queue_email

logger = logging.getLogger(__name__)

# How many reported stories a digest names (the rest are counted).
DIGEST_STORY_LIMIT = 20
# How often a surge in progress records that it goes on (a flood writes no
# more than that).
SEEN_GRANULARITY = timedelta(minutes=1)
_ADDRESS_KEY = "stories.floods.address:"
_COUNT_KEY = "stories.floods.count:"


class ModerationDesk(models.Model):
    """The one row of moderation state the whole site shares: the surge mode
    switch and the report digest's marker. Read with :meth:`current`,
    changed only under :meth:`locked`."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    surge_mode = models.BooleanField(_("surge mode"), default=False)
    surge_mode_changed_at = models.DateTimeField(_("surge mode changed"), null=True, blank=True)
    surge_mode_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("surge mode changed by"),
    )
    digest_sent_at = models.DateTimeField(_("last report digest"), null=True, blank=True)
    digest_last_report_id = models.PositiveBigIntegerField(_("last report in a digest"), default=0)
    digest_due_at = models.DateTimeField(_("next report digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation desk")
        verbose_name_plural = _("moderation desk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="moderation_desk_single_row",
                violation_error_message=_("There is only one moderation desk."),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls):
        """The desk as it is now, without writing (a missing row reads as the defaults)."""
        return cls.objects.filter(pk=1).first() or cls()

    @classmethod
    def locked(cls):
        """The desk under a row lock (made if missing); inside a transaction."""
        return cls.objects.select_for_update().get_or_create(pk=1)[0]

    @classmethod
    def surge_mode_is_on(cls):
        return cls.objects.filter(pk=1, surge_mode=True).exists()

    @classmethod
    @transaction.atomic
    def set_surge_mode(cls, on, *, by):
        """Turn surge mode on or off; logged with who and when. Returns
        False when it already was (two moderators clicking at once log one
        change)."""
        desk = cls.locked()
        if desk.surge_mode == on:
            return False
        desk.surge_mode, desk.surge_mode_changed_at, desk.surge_mode_changed_by = on, timezone.now(), by
        desk.save(update_fields=["surge_mode", "surge_mode_changed_at", "surge_mode_changed_by"])
        DeskLogEntry.objects.create(
            action=DeskLogEntry.Action.SURGE_MODE_ON if on else DeskLogEntry.Action.SURGE_MODE_OFF, actor=by
        )
        return True

    @classmethod
    def schedule_digest(cls):
        """Make sure a digest of new reports is due: now, or once the
        interval since the last one has passed. Reads first without a lock:
        during a flood every report but the first finds a digest due."""
        if cls.objects.filter(pk=1, digest_due_at__isnull=False).exists():
            return
        with transaction.atomic():
            desk = cls.locked()
            if desk.digest_due_at is not None:
                return
            now = timezone.now()
            due = now
            if desk.digest_sent_at is not None:
                due = max(now, desk.digest_sent_at + settings.REPORT_DIGEST_INTERVAL)
            desk.digest_due_at = due
            desk.save(update_fields=["digest_due_at"])
        enqueue_digest(due)


class DeskLogEntry(models.Model):
    """What happened at the moderation desk: surge mode turned on or off (by
    whom), surges alerted, digests sent."""

    class Action(models.TextChoices):
        SURGE_MODE_ON = "surge_mode_on", _("surge mode turned on")
        SURGE_MODE_OFF = "surge_mode_off", _("surge mode turned off")
        SURGE_ALERT = "surge_alert", _("surge alert sent")
        REPORT_DIGEST = "report_digest", _("report digest sent")

    action = models.CharField(_("action"), max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation desk log entry")
        verbose_name_plural = _("moderation desk log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class SurgeQuerySet(models.QuerySet):
    def active(self, now=None):
        """The surge in progress: a signal seen within the last window."""
        now = now or timezone.now()
        return self.filter(last_seen_at__gte=now - settings.SURGE_WINDOW).order_by("-started_at")


class Surge(models.Model):
    """A flood in progress (see the module docstring): one alert when it
    starts, a banner in the admin while it lasts."""

    class Signal(models.TextChoices):
        STORY_REPORTS = "story_reports", _("many reports on one story")
        REPORTING_ADDRESSES = "reporting_addresses", _("reports from many addresses")
        SUBMITTING_ADDRESSES = "submitting_addresses", _("new stories from many addresses")

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    signals = models.JSONField(_("signals"), default=list)
    story = models.ForeignKey(
        Story,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("most reported story"),
    )

    objects = SurgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("surge")
        verbose_name_plural = _("surges")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_seen_at__gte=models.F("started_at")),
                name="surge_seen_after_start",
                violation_error_message=_("A surge cannot be seen before it started."),
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def signal_labels(self):
        return [self.Signal(signal).label for signal in self.signals if signal in self.Signal.values]


# --- Filing reports, counting submissions -------------------------------------------


def file_report(*, story, reason, comment="", address=""):
    """Record a reader's report on ``story`` (from the client ``address``,
    counted, never stored): a digest becomes due, and a surge is noted when
    a threshold is reached. The story stays as it is. Four queries during a
    flood: the report, the digest due, the story's count, the surge."""
    report = Report.objects.create(story=story, reason=reason, comment=comment)
    ModerationDesk.schedule_digest()
    window_start = timezone.now() - settings.SURGE_WINDOW
    signals = []
    on_story = Report.objects.open().filter(story=story, created_at__gte=window_start).count()
    if on_story >= settings.SURGE_THRESHOLDS[Surge.Signal.STORY_REPORTS]:
        signals.append(Surge.Signal.STORY_REPORTS)
    if _many_addresses(Surge.Signal.REPORTING_ADDRESSES, address):
        signals.append(Surge.Signal.REPORTING_ADDRESSES)
    if signals:
        note_surge(*signals, story=story if Surge.Signal.STORY_REPORTS in signals else None)
    return report


def note_submission(address):
    """Count a new story from the client ``address`` towards a surge."""
    if _many_addresses(Surge.Signal.SUBMITTING_ADDRESSES, address):
        note_surge(Surge.Signal.SUBMITTING_ADDRESSES)


def _many_addresses(signal, address):
    """Count ``address`` once per window for ``signal``; whether the number
    of different addresses has reached the threshold."""
    if not address:
        return False
    window = int(settings.SURGE_WINDOW.total_seconds())
    bucket = int(timezone.now().timestamp()) // window
    prefix = f"{signal}:{bucket}"
    count_key = f"{_COUNT_KEY}{prefix}"
    if cache.add(f"{_ADDRESS_KEY}{prefix}:{pseudonymise(address)}", True, timeout=window):
        cache.add(count_key, 0, timeout=window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between the two calls
            count = 1
    else:  # this address was already counted in this window
        count = cache.get(count_key) or 0
    return count >= settings.SURGE_THRESHOLDS[signal]


def note_surge(*signals, story=None):
    """Surge ``signals`` were seen now: join the surge in progress, or open
    one and alert the moderators (once)."""
    now = timezone.now()
    active = Surge.objects.active(now).first()
    if (
        active is not None
        and set(signals) <= set(active.signals)
        and (story is None or active.story_id is not None)
    ):
        # The usual case during a flood: no lock (the time only moves
        # forward), and at most one write a minute.
        if now - active.last_seen_at >= SEEN_GRANULARITY:
            Surge.objects.filter(pk=active.pk, last_seen_at__lt=now).update(last_seen_at=now)
        return active
    with transaction.atomic():
        ModerationDesk.locked()  # one surge opened at a time
        surge = Surge.objects.active(now).select_for_update().first()
        if surge is not None:
            fields = ["last_seen_at"]
            surge.last_seen_at = max(now, surge.last_seen_at)
            new_signals = [signal for signal in signals if signal not in surge.signals]
            if new_signals:
                surge.signals = [*surge.signals, *new_signals]
                fields.append("signals")
            if story is not None and surge.story_id is None:
                surge.story = story
                fields.append("story")
            surge.save(update_fields=fields)
            return surge
        surge = Surge.objects.create(started_at=now, last_seen_at=now, signals=list(signals), story=story)
        DeskLogEntry.objects.create(
            action=DeskLogEntry.Action.SURGE_ALERT,
            note=" ".join(signals),
            created_at=now,
        )
        for address in moderator_addresses():
            queue_email(
                to=address,
                template="stories/email/surge_alert",
                context={"surge": surge, "window_minutes": _minutes(settings.SURGE_WINDOW)},
                language=settings.LANGUAGE_CODE,
            )
    logger.warning("Surge started: %s (story %s)", " ".join(signals), story.pk if story else "-")
    return surge


def _minutes(duration):
    return int(duration.total_seconds() // 60)


# --- The digest ---------------------------------------------------------------------


def enqueue_digest(due):
    """Queue the digest task to run at ``due``. A backend that cannot defer
    (the immediate one of development) runs it only when it is due already;
    otherwise ``manage.py send_report_digest`` (cron) sends it."""
    backend = task_backends["default"]
    if due <= timezone.now():
        send_report_digest.enqueue()
    elif backend.supports_defer:
        send_report_digest.using(run_after=due).enqueue()


@task
def send_report_digest():
    """Email the moderators one digest of the reports filed since the last
    one, if it is due. Returns how many reports it listed."""
    now = timezone.now()
    with transaction.atomic():
        desk = ModerationDesk.locked()
        if desk.digest_due_at is None or desk.digest_due_at > now:
            return 0  # sent by another worker, or not yet due
        new_reports = Report.objects.filter(pk__gt=desk.digest_last_report_id)
        summary = new_reports.aggregate(count=Count("pk"), last=Max("pk"))
        desk.digest_due_at = None
        fields = ["digest_due_at"]
        if summary["count"]:
            stories = list(
                Story.objects.filter(reports__pk__gt=desk.digest_last_report_id)
                .annotate(new_reports=Count("reports"))
                .order_by("-new_reports", "pk")[:DIGEST_STORY_LIMIT]
            )
            story_count = new_reports.values("story").distinct().count()
            context = {
                "report_count": summary["count"],
                "stories": stories,
                "other_story_count": story_count - len(stories),
                "since": desk.digest_sent_at,
            }
            for address in moderator_addresses():
                queue_email(
                    to=address,
                    template="stories/email/report_digest",
                    context=context,
                    language=settings.LANGUAGE_CODE,
                )
            desk.digest_last_report_id, desk.digest_sent_at = summary["last"], now
            fields += ["digest_last_report_id", "digest_sent_at"]
            DeskLogEntry.objects.create(
                action=DeskLogEntry.Action.REPORT_DIGEST, note=str(summary["count"]), created_at=now
            )
        desk.save(update_fields=fields)
    return summary["count"]


def send_due_digest():
    """For cron and the immediate backend: send the digest if it is due."""
    desk = ModerationDesk.current()
    if desk.digest_due_at is not None and desk.digest_due_at <= timezone.now():
        return send_report_digest.call()
    return 0
