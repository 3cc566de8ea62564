"""The moderation dashboard of the admin (``<admin>/moderation/``): where the
queue stands, for moderators and their coordinator.

Queue size by language, median and oldest wait, decisions per week over the
last ``WEEKS`` weeks (an SVG bar chart drawn here, with the same figures as
a table), open reports, translations waiting for review, the surge in
progress and the surge mode switch. A fixed number of queries whatever the
data: each figure is one aggregate. The views are mounted by
:class:`together.admin_site.TogetherAdminSite`; only moderators (who may
change stories) see them.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from stories.floods import DeskLogEntry, ModerationDesk, Surge
from stories.languages import STORY_LANGUAGES
from stories.models import ModerationLogEntry, Report, Story, StoryTranslation
from stories.waiting import DECISIONS, RoundedWait, median_wait, recent_waits

WEEKS = 12
PERMISSION = "stories.change_story"
# The chart's drawing box (SVG user units); it scales to the page.
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 600, 180, 20, 30
DESK_LOG_SHOWN = 5


@dataclass
class WeekBar:
    start: object  # the Monday the week starts (a date)
    count: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def label_x(self):
        return round(self.x + self.width / 2, 1)

    @property
    def count_y(self):
        return round(self.y - 4, 1)


def decisions_per_week(now, weeks=WEEKS):
    """One :class:`WeekBar` per week (Monday to Sunday, in the site's time
    zone), oldest first, the current week last; one query."""
    today = timezone.localdate(now)
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first_monday, time.min))
    days = (
        ModerationLogEntry.objects.order_by()
        .filter(translation__isnull=True, action__in=DECISIONS, created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
    )
    counts = {}
    for row in days:
        monday = row["day"] - timedelta(days=row["day"].weekday())
        counts[monday] = counts.get(monday, 0) + row["count"]
    bars = [
        WeekBar(monday, counts.get(monday, 0))
        for monday in (first_monday + timedelta(weeks=n) for n in range(weeks))
    ]
    _draw(bars)
    return bars


def _draw(bars):
    """Place the bars in the chart's box, the tallest reaching its top."""
    tallest = max((bar.count for bar in bars), default=0) or 1
    slot = CHART_WIDTH / len(bars)
    drawable = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    for index, bar in enumerate(bars):
        bar.width = round(slot * 0.7, 1)
        bar.x = round(index * slot + slot * 0.15, 1)
        bar.height = round(drawable * bar.count / tallest, 1)
        bar.y = round(CHART_TOP + drawable - bar.height, 1)


def queue_by_language():
    """(language name, stories waiting, oldest submission) per language of
    the pending stories, the longest queue first; one query."""
    names = dict(STORY_LANGUAGES)
    rows = (
        Story.objects.awaiting_moderation()
        .order_by()
        .values("language")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("-count", "language")
    )
    return [
        (row["language"], names.get(row["language"], row["language"]), row["count"], row["oldest"])
        for row in rows
    ]


def figures(now=None):
    now = now or timezone.now()
    queue = queue_by_language()
    oldest = min((row[3] for row in queue), default=None)
    reports = Report.objects.open().aggregate(count=Count("pk"), stories=Count("story", distinct=True))
    waits = recent_waits(now)
    return {
        "queue": queue,
        "queue_total": sum(row[2] for row in queue),
        "oldest_wait": RoundedWait.of(now - oldest) if oldest else None,
        "median_wait": RoundedWait.of(median_wait(waits)),
        "decided_count": len(waits),
        "weeks": decisions_per_week(now),
        "open_reports": reports["count"],
        "reported_stories": reports["stories"],
        "translations_waiting": StoryTranslation.objects.awaiting_review().count(),
        "surge": Surge.objects.active(now).select_related("story").first(),
        "desk": ModerationDesk.current(),
        "desk_log": DeskLogEntry.objects.select_related("actor")[:DESK_LOG_SHOWN],
        "chart": {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "baseline": CHART_HEIGHT - CHART_BOTTOM,
            "label_y": CHART_HEIGHT - 10,
        },
    }


@require_safe
def dashboard_view(request, admin_site):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = {
        **admin_site.each_context(request),
        "title": gettext("Moderation dashboard"),
        **figures(),
    }
    return render(request, "admin/moderation_dashboard.html", context)


@require_POST
def surge_mode_view(request, admin_site):
    """Turn surge mode on (``on=1``) or off; back to the dashboard."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    on = request.POST.get("on") == "1"
    if ModerationDesk.set_surge_mode(on, by=request.user):
        if on:
            messages.success(
                request, gettext("Surge mode is on: storytellers are told that review takes longer.")
            )
        else:
            messages.success(request, gettext("Surge mode is off."))
    return HttpResponseRedirect(reverse("admin:moderation_dashboard", current_app=admin_site.name))


def surge_banner_context(request):
    """What every admin page needs for the surge banner (one query), for
    moderators only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.has_perm(PERMISSION):
        return {}
    return {"active_surge": Surge.objects.active().select_related("story").first()}
