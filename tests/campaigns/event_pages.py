"""Reading the events list's pages as a reader does: the events each page
shows, and the "next"/"prev" link of each of its two lists."""

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import EventFactory

EVENTS = reverse("campaigns:event_list")


def past_event(days_ago, **fields):
    """An event that ended ``days_ago`` days ago (minus four hours)."""
    starts_at = timezone.now() - timedelta(days=days_ago)
    return EventFactory(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        signups_open_at=starts_at - timedelta(days=30),
        signups_close_at=starts_at - timedelta(days=1),
        **fields,
    )


def upcoming_event(days_ahead, **fields):
    return EventFactory(starts_at=timezone.now() + timedelta(days=days_ahead), **fields)


def section(page_html, title_id):
    """The HTML of the section headed by ``title_id`` ("upcoming-title", "past-title"), or ""."""
    match = re.search(rf'<section aria-labelledby="{title_id}">(.*?)</section>', page_html, re.S)
    return match.group(1) if match else ""


def titles(section_html):
    """The event titles a section shows, in its order."""
    return [html.unescape(title) for title in re.findall(r"<h3[^>]*>\s*<a [^>]*>([^<]+)</a>", section_html)]


def link(section_html, rel):
    """The href of a section's ``rel`` ("next", "prev") link, or None."""
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', section_html)
    return html.unescape(match.group(1)).split("#")[0] if match else None


def walk(client, title_id, rel, start=EVENTS):
    """The titles of one list page by page, following its ``rel`` links
    (and the redirect to the first page) from ``start``; and the path of
    the last page reached."""
    pages, path = [], start
    while True:
        response = client.get(path, follow=True)
        assert response.status_code == 200
        shown = section(response.text, title_id)
        pages.append(titles(shown))
        following = link(shown, rel)
        if following is None:
            return pages, path
        path = EVENTS + following
