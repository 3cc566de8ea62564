from datetime import UTC, datetime

import icalendar
import pytest
from django.urls import reverse

from tests.campaigns.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(
        title="UN team at the 20 km of Brussels",
        slug="un-team-20-km",
        starts_at=datetime(2030, 5, 26, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 26, 12, 0, tzinfo=UTC),
        time_zone="Europe/Brussels",
        latitude="50.839900",
        longitude="4.392900",
    )


def download(client, event):
    return client.get(reverse("campaigns:event_calendar", args=[event.slug]))


def parsed(response):
    return icalendar.Calendar.from_ical(response.content)


def test_calendar_is_served_as_icalendar_download(client, event):
    response = download(client, event)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="un-team-20-km.ics"'


def test_calendar_start_and_end_carry_event_time_zone(client, event):
    response = download(client, event)

    (entry,) = parsed(response).events
    assert b"DTSTART;TZID=Europe/Brussels:20300526T100000" in response.content
    assert entry.start == datetime(2030, 5, 26, 8, 0, tzinfo=UTC)
    assert str(entry.start.tzinfo) == "Europe/Brussels"
    assert entry.end == datetime(2030, 5, 26, 12, 0, tzinfo=UTC)


def test_calendar_has_vtimezone_for_event_zone(client, event):
    calendar = parsed(download(client, event))

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_calendar_has_event_page_address_in_url_and_description(client, event):
    (entry,) = parsed(download(client, event)).events

    page = f"http://testserver{event.get_absolute_url()}"
    assert str(entry["URL"]) == page
    assert page in str(entry["DESCRIPTION"])
    assert str(entry["SUMMARY"]) == "UN team at the 20 km of Brussels"
    assert str(entry["LOCATION"]) == "Cinquantenaire Park, Parc du Cinquantenaire, 1000 Brussels"
    assert (entry["GEO"].latitude, entry["GEO"].longitude) == (50.8399, 4.3929)


def test_calendar_uid_is_the_same_on_every_download(client, event):
    first = parsed(download(client, event))
    event.title = "Renamed run"
    event.save()
    second = parsed(download(client, event))

    assert str(first.events[0]["UID"]) == str(second.events[0]["UID"]) == str(event.uid)
    assert str(first["UID"]) == str(second["UID"])


def test_calendar_of_unknown_event_is_404(client):
    assert client.get(reverse("campaigns:event_calendar", args=["no-such-event"])).status_code == 404
