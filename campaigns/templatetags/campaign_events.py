"""Events shown on other pages (home, campaign page), fetched in one query
each, so the including page's view needs no change."""

from django import template
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Event

register = template.Library()


@register.inclusion_tag("campaigns/includes/upcoming_events.html")
def upcoming_events(limit=3):
    return {"upcoming_events": Event.objects.upcoming().with_public_counts()[:limit]}


@register.inclusion_tag("campaigns/includes/campaign_events.html")
def campaign_events(campaign, past_limit=3):
    """Every upcoming event of ``campaign`` and its latest past ones, in one
    query (the latest past ones chosen in a subquery), split here."""
    now = timezone.now()
    events = Event.objects.filter(campaign=campaign)
    latest_past = events.past(now).values("pk")[:past_limit]
    shown = events.filter(Q(ends_at__gte=now) | Q(pk__in=latest_past)).with_public_counts()
    shown = list(shown.order_by("starts_at", "pk"))
    return {
        "upcoming_events": [event for event in shown if event.ends_at >= now],
        "past_events": [event for event in reversed(shown) if event.ends_at < now],
    }
