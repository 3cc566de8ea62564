"""Pledges brought by a partner, made at an event, or direct, and what the site says of them."""

from campaigns.models import Pledge


def pledge_through(campaign, email, *, partner=None, event=None, country="BE"):
    """A pledge submitted as the form would, brought by ``partner`` or ``event``."""
    return Pledge.submit(
        campaign=campaign,
        name="Supporter",
        email=email,
        country=country,
        show_publicly=False,
        keep_informed=False,
        message="",
        source="campaign_page",
        language="en",
        partner=partner,
        event=event,
    )


def true_attribution(campaign):
    """{"partners": {slug: n}, "events": {slug: n}, "direct": n}, counted from the pledge rows."""
    confirmed = Pledge.objects.confirmed().filter(campaign=campaign).select_related("partner", "event")
    partners, events, direct = {}, {}, 0
    for pledge in confirmed:
        if pledge.partner:
            partners[pledge.partner.slug] = partners.get(pledge.partner.slug, 0) + 1
        elif pledge.event:
            events[pledge.event.slug] = events.get(pledge.event.slug, 0) + 1
        else:
            direct += 1
    return {"partners": partners, "events": events, "direct": direct}


def stats_attribution(stats):
    """The same, as stats.json tells it."""
    return {
        "partners": {row["partner"]: row["pledges"] for row in stats["by_partner"]},
        "events": {row["event"]: row["pledges"] for row in stats["by_event"]},
        "direct": stats["direct"],
    }
