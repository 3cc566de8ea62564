"""Events shown on other pages (home, campaign page), fetched in one query
each, so the including page's view needs no change."""

from django import template

from campaigns.models import Event

register = template.Library()


@register.inclusion_tag("campaigns/includes/upcoming_events.html")
def upcoming_events(limit=3):
    return {"upcoming_events": Event.objects.upcoming().with_public_counts()[:limit]}


@register.inclusion_tag("campaigns/includes/campaign_events.html")
def campaign_events(campaign, past_limit=3, upcoming_limit=6):
    # Bounded: the campaign page (where every pledge starts) costs the same
    # with 5 or 500 events to come; "All events" links to the rest.
    events = Event.objects.filter(campaign=campaign).with_public_counts()
    return {
        "upcoming_events": events.upcoming()[:upcoming_limit],
        "past_events": events.past()[:past_limit],
    }
