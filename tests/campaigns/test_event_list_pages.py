"""The events list in pages (issue 12): its upcoming and its past events are
two lists of 20, each moved on by its own cursor (stories.pagination,
seek_page), in one query each at any depth, with no COUNT; old ``?page=N``
links to past events are redirected once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stories.pagination import Position
from tests.campaigns.event_pages import EVENTS, link, past_event, section, titles, upcoming_event, walk
from tests.campaigns.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_first_page_shows_the_20_soonest_upcoming_events_and_links_to_later_ones(client):
    for day in range(25, 0, -1):
        upcoming_event(day, title=f"Run in {day} days")

    upcoming = section(client.get(EVENTS).text, "upcoming-title")

    assert titles(upcoming) == [f"Run in {day} days" for day in range(1, 21)]
    assert link(upcoming, "next") is not None
    assert link(upcoming, "prev") is None
    assert 'aria-label="Upcoming events pages"' in upcoming


def test_later_links_show_every_upcoming_event_once_and_sooner_links_lead_back(client):
    for day in range(1, 46):
        upcoming_event(day, title=f"Run in {day} days")

    forward, last = walk(client, "upcoming-title", "next")
    backward, first = walk(client, "upcoming-title", "prev", start=last)

    assert forward == [
        [f"Run in {day} days" for day in range(1, 21)],
        [f"Run in {day} days" for day in range(21, 41)],
        [f"Run in {day} days" for day in range(41, 46)],
    ]
    assert backward == forward[::-1]
    assert client.get(first)["Location"] == EVENTS  # the first page, by its own address


def test_events_starting_at_the_same_moment_are_each_shown_once(client):
    starts_at = timezone.now() + timedelta(days=3)
    events = [EventFactory(starts_at=starts_at, title=f"Stand {number}") for number in range(30)]
    pages, _last = walk(client, "upcoming-title", "next")

    shown = [title for page in pages for title in page]

    assert shown == [event.title for event in events]


def test_past_events_are_paged_latest_first_and_their_cursor_keeps_the_upcoming_page(client):
    for day in range(1, 31):
        upcoming_event(day, title=f"Run in {day} days")
    for day in range(1, 26):
        past_event(day * 10, title=f"Run {day * 10} days ago")
    second_upcoming = EVENTS + link(section(client.get(EVENTS).text, "upcoming-title"), "next")
    older = link(section(client.get(second_upcoming).text, "past-title"), "next")

    page = client.get(EVENTS + older).text

    assert titles(section(page, "upcoming-title")) == [f"Run in {day} days" for day in range(21, 31)]
    assert titles(section(page, "past-title")) == [f"Run {day * 10} days ago" for day in range(21, 26)]
    assert link(section(page, "past-title"), "next") is None
    assert 'aria-label="Past events pages"' in page


def test_an_old_link_to_a_page_of_past_events_is_redirected_once_to_the_same_events(client):
    for day in range(1, 46):
        past_event(day, title=f"Run {day} days ago")

    response = client.get(EVENTS + "?page=2")
    page = client.get(response["Location"]).text

    assert response.status_code == 302
    assert "page=" not in response["Location"]
    assert titles(section(page, "past-title")) == [f"Run {day} days ago" for day in range(21, 41)]


def test_an_old_link_past_the_last_page_leads_to_the_last_page(client):
    for day in range(1, 26):
        past_event(day, title=f"Run {day} days ago")

    response = client.get(EVENTS + "?page=9")
    page = client.get(response["Location"]).text

    assert titles(section(page, "past-title")) == [f"Run {day} days ago" for day in range(21, 26)]


def test_a_cursor_past_the_last_event_leads_to_the_first_page_keeping_the_other_list(client):
    upcoming_event(1)
    past = past_event(5)
    beyond = Position(past.starts_at - timedelta(days=1), 1)

    response = client.get(f"{EVENTS}?upcoming=1.1&past={beyond}")

    assert response.status_code == 302
    assert response["Location"] == f"{EVENTS}?upcoming=1.1"


@pytest.mark.parametrize("cursor", ["x", "1", "1.2.3", "-5.0", "9" * 40 + ".1", ""])
def test_a_cursor_that_cannot_be_read_shows_the_first_page(client, cursor):
    upcoming_event(1, title="Soonest run")

    response = client.get(f"{EVENTS}?upcoming={cursor}&past_back={cursor}")

    assert response.status_code == 200
    assert titles(section(response.text, "upcoming-title")) == ["Soonest run"]


def test_a_deep_page_runs_as_many_queries_as_the_first_and_counts_nothing(client):
    for day in range(1, 61):
        upcoming_event(day)
        past_event(day)
    with CaptureQueriesContext(connection) as first:
        client.get(EVENTS)
    _pages, deep = walk(client, "upcoming-title", "next")

    with CaptureQueriesContext(connection) as last:
        assert client.get(deep).status_code == 200

    assert len(first) == len(last) == 2
    assert not any("COUNT(*)" in query["sql"] for query in [*first, *last])
