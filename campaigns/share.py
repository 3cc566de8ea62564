"""The share cards (together.share_cards) of campaign, event and press release pages:
the same title as the page, and the line a person sharing it would want seen."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from together.share_cards import ShareCard


def campaign_card(campaign):
    """The title and the counter: a new pledge gives a new image."""
    total = campaign.confirmed_pledges
    detail = ngettext("%(total)s person has pledged", "%(total)s people have pledged", total) % {
        "total": number_format(total, force_grouping=True)
    }
    return ShareCard(
        title=campaign.title,
        detail=detail,
        image_path=reverse("campaigns:campaign_share_image", kwargs={"slug": campaign.slug}),
    )


def event_card(event):
    """The title and the day, in the event's own time zone (as its page says)."""
    return ShareCard(
        title=event.title,
        detail=date_format(event.starts_at.astimezone(event.zone), "DATE_FORMAT"),
        image_path=reverse("campaigns:event_share_image", kwargs={"slug": event.slug}),
    )


def press_release_card(press_release):
    day = date_format(timezone.localtime(press_release.published_at), "DATE_FORMAT")
    return ShareCard(
        title=press_release.title,
        detail=_("Press release, %(date)s") % {"date": day},
        image_path=reverse("campaigns:press_share_image", kwargs={"slug": press_release.slug}),
    )
