"""The public moderation figures of /stories/transparency/.

Per calendar month (in the site's time zone): how many stories were
received, and how the stories first decided that month were decided
(published, or declined for which standard reason), with the median time
from submission to that first decision. A story counts in its month even if
it was later unpublished or withdrawn, so the figures never change
retroactively. Three queries, whatever the number of stories.
"""

from dataclasses import dataclass, field
from statistics import median

from django.db.models import Case, CharField, Count, F, Value, When
from django.db.models.functions import TruncMonth

from stories.models import Story

PUBLISHED = "published"


@dataclass
class MonthFigures:
    month: object  # an aware datetime at the start of the month
    received: int = 0
    published: int = 0
    declined_by_reason: dict = field(default_factory=dict)
    decision_days: list = field(default_factory=list)

    @property
    def declined(self):
        return sum(self.declined_by_reason.values())

    @property
    def declined_per_reason(self):
        """(reason label, count) for every standard reason, in the standard order."""
        return [(label, self.declined_by_reason.get(code, 0)) for code, label in Story.DeclineReason.choices]

    @property
    def median_days_to_decision(self):
        return round(median(self.decision_days), 1) if self.decision_days else None


def _first_decision():
    # publish() sets published_at and decided_at to the same instant when it
    # is the first decision; otherwise the first decision was a decline.
    return Case(
        When(published_at=F("decided_at"), then=Value(PUBLISHED)),
        default=F("decline_reason_code"),
        output_field=CharField(),
    )


def monthly_moderation_figures():
    """A list of :class:`MonthFigures`, newest month first."""
    months = {}

    def figures(month):
        return months.setdefault(month, MonthFigures(month))

    received = Story.objects.order_by().annotate(month=TruncMonth("submitted_at")).values("month")
    for row in received.annotate(count=Count("pk")):
        figures(row["month"]).received = row["count"]

    decided = (
        Story.objects.order_by()
        .filter(decided_at__isnull=False)
        .annotate(month=TruncMonth("decided_at"), outcome=_first_decision())
    )
    for row in decided.values("month", "outcome").annotate(count=Count("pk")):
        month = figures(row["month"])
        if row["outcome"] == PUBLISHED:
            month.published += row["count"]
        else:
            month.declined_by_reason[row["outcome"]] = row["count"]

    for month, submitted_at, decided_at in decided.values_list("month", "submitted_at", "decided_at"):
        figures(month).decision_days.append((decided_at - submitted_at).total_seconds() / 86400)

    return sorted(months.values(), key=lambda figures: figures.month, reverse=True)
