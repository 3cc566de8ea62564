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
def campaign_events(campaign, past_limit=3, upcoming_limit=6):
    """The soonest ``upcoming_limit`` events of ``campaign`` and its latest
    ``past_limit`` past ones, in one query (each group chosen in a subquery),
    split here. Bounded: the campaign page (where every pledge starts) costs
    the same with 5 or 500 events to come; "All events" links to the rest."""
    now = timezone.now()
    events = Event.objects.filter(campaign=campaign)
    soonest = events.upcoming(now).values("pk")[:upcoming_limit]
    latest_past = events.past(now).values("pk")[:past_limit]
    shown = events.filter(Q(pk__in=soonest) | Q(pk__in=latest_past)).with_public_counts()
    shown = list(shown.order_by("starts_at", "pk"))
    return {
        "upcoming_events": [event for event in shown if event.ends_at >= now],
        "past_events": [event for event in reversed(shown) if event.ends_at < now],
    }
