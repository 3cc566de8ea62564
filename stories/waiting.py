"""How long storytellers wait for a decision, read from the moderation log.

The wait of a story is the time from its submission to its first decision
(the first ``publish``, ``decline`` or ``request_changes`` entry of the
story itself, not of a translation, in :class:`ModerationLogEntry`). The
figure told to storytellers is the median wait of the stories whose first
decision came in the last ``WINDOW``: one query over the log's recent
entries (grouped by story), cached for ``CACHE_SECONDS``, so a busy
thank-you page costs the database one query every few minutes.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from stories.models import ModerationLogEntry

WINDOW = timedelta(days=30)
CACHE_SECONDS = 5 * 60
# Fewer decisions than this say too little to tell anyone.
MIN_DECISIONS = 3
_CACHE_KEY = "stories.waiting.median-seconds"
_NO_FIGURE = -1

DECISIONS = (
    ModerationLogEntry.Action.PUBLISH,
    ModerationLogEntry.Action.DECLINE,
    ModerationLogEntry.Action.REQUEST_CHANGES,
)


def recent_waits(now=None):
    """The waits (timedeltas) of the stories first decided in the last WINDOW."""
    now = now or timezone.now()
    since = now - WINDOW
    decisions = ModerationLogEntry.objects.order_by().filter(translation__isnull=True, action__in=DECISIONS)
    first_decisions = (
        decisions.filter(story__in=decisions.filter(created_at__gte=since).values("story"))
        .values("story", "story__submitted_at")
        .annotate(first=Min("created_at"))
        .filter(first__gte=since, first__lte=now)
    )
    return [row["first"] - row["story__submitted_at"] for row in first_decisions]


def median_wait(waits):
    """The median of ``waits``, or None with fewer than MIN_DECISIONS."""
    if len(waits) < MIN_DECISIONS:
        return None
    return timedelta(seconds=median(wait.total_seconds() for wait in waits))


def current_median_wait():
    """The median wait of the last WINDOW (a timedelta), or None; cached."""
    seconds = cache.get(_CACHE_KEY)
    if seconds is None:
        wait = median_wait(recent_waits())
        seconds = _NO_FIGURE if wait is None else wait.total_seconds()
        cache.set(_CACHE_KEY, seconds, CACHE_SECONDS)
    return None if seconds == _NO_FIGURE else timedelta(seconds=seconds)


@dataclass(frozen=True)
class RoundedWait:
    """A wait as people say it: whole hours under a day, else whole days."""

    hours: int = 0
    days: int = 0

    @classmethod
    def of(cls, wait):
        if wait is None:
            return None
        hours = wait.total_seconds() / 3600
        if hours < 23.5:
            return cls(hours=max(1, round(hours)))
        return cls(days=max(1, round(hours / 24)))
