import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Event
from tests.campaigns.factories import CampaignFactory, EventFactory, SignUpFactory

pytestmark = pytest.mark.django_db


def changelist_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("admin:campaigns_event_changelist"))
    assert response.status_code == 200
    return len(context), response


def test_event_changelist_shows_confirmed_and_waiting_counts(admin_client):
    event = EventFactory(title="Brussels run", places=2)
    SignUpFactory.create_batch(3, event=event, confirmed=True)
    SignUpFactory(event=event)  # pending: neither

    _queries, response = changelist_queries(admin_client)

    (row,) = response.context["cl"].result_list
    assert (row.confirmed, row.waiting) == (2, 1)
    html = response.content.decode()
    assert '<td class="field-confirmed_count">2</td>' in html
    assert '<td class="field-waiting_count">1</td>' in html


def test_event_changelist_query_count_does_not_grow_with_events(admin_client):
    EventFactory()
    few, _response = changelist_queries(admin_client)
    for event in EventFactory.create_batch(5, places=1):
        SignUpFactory.create_batch(2, event=event, confirmed=True)

    many, _response = changelist_queries(admin_client)

    assert many == few


def test_event_form_reads_times_in_event_zone(admin_client):
    campaign = CampaignFactory()
    now = timezone.now()
    response = admin_client.post(
        reverse("admin:campaigns_event_add"),
        {
            "campaign": campaign.pk,
            "title_en": "Run in New York",
            "slug": "run-in-new-york",
            "kind": "run",
            "summary_en": "A run.",
            "description_en": "Details.",
            "time_zone": "America/New_York",
            "starts_at_0": "2030-05-26",
            "starts_at_1": "10:00",
            "ends_at_0": "2030-05-26",
            "ends_at_1": "14:00",
            "venue_name_en": "Central Park",
            "address": "New York",
            "places": "20",
            "signups_open_at_0": now.date().isoformat(),
            "signups_open_at_1": "00:00",
            "signups_close_at_0": "2030-05-20",
            "signups_close_at_1": "18:00",
            "signups-TOTAL_FORMS": "0",
            "signups-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="run-in-new-york")
    assert event.starts_at == datetime(2030, 5, 26, 14, 0, tzinfo=UTC)  # 10:00 EDT


def test_event_change_form_shows_times_in_event_zone(admin_client):
    event = EventFactory(
        time_zone="America/New_York",
        starts_at=datetime(2030, 5, 26, 14, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 26, 18, 0, tzinfo=UTC),
    )

    response = admin_client.get(reverse("admin:campaigns_event_change", args=[event.pk]))

    html = response.content.decode()
    assert 'name="starts_at_1" value="10:00:00"' in html


def test_event_form_refuses_fewer_places_than_taken(admin_client):
    event = EventFactory(places=3)
    SignUpFactory.create_batch(2, event=event, confirmed=True)
    url = reverse("admin:campaigns_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    # Untranslated languages are empty (None), which a POST cannot carry.
    data = {name: value for name in form.fields if (value := form[name].value()) is not None}
    for name in ["starts_at", "ends_at", "signups_open_at", "signups_close_at"]:
        data[f"{name}_0"], data[f"{name}_1"] = str(data.pop(name)).split(" ")
    data.update(
        {
            "places": "1",
            "latitude": "",
            "longitude": "",
            "signups-TOTAL_FORMS": "2",
            "signups-INITIAL_FORMS": "2",
        }
    )
    for index, signup in enumerate(event.signups.order_by("confirmed_at")):
        data[f"signups-{index}-id"] = signup.pk
        data[f"signups-{index}-event"] = event.pk

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "2 people already hold a place: there cannot be fewer places." in response.content.decode()
    event.refresh_from_db()
    assert (event.places, event.places_taken) == (3, 2)


def test_promote_action_gives_free_place_and_emails(admin_client, admin_user):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, name="Waiting Walid", email="walid@example.org", confirmed=True)
    Event.objects.filter(pk=event.pk).update(places=2)

    response = admin_client.post(
        reverse("admin:campaigns_signup_changelist"),
        {"action": "promote", "_selected_action": [waiting.pk]},
        follow=True,
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.promoted_by) == ("confirmed", admin_user)
    assert "Waiting Walid has a place and was told by email." in response.content.decode()
    assert mail.outbox[-1].to == ["walid@example.org"]


def test_promote_action_when_full_reports_error_and_changes_nothing(admin_client):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    waiting = SignUpFactory(event=event, name="Waiting Walid", confirmed=True)

    response = admin_client.post(
        reverse("admin:campaigns_signup_changelist"),
        {"action": "promote", "_selected_action": [waiting.pk]},
        follow=True,
    )

    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    assert "Waiting Walid: No place is free: add places to the event first." in response.content.decode()


def test_fill_free_places_action_promotes_in_order(admin_client):
    event = EventFactory(places=1)
    SignUpFactory(event=event, confirmed=True)
    first, second, third = (SignUpFactory(event=event, confirmed=True) for _ in range(3))
    Event.objects.filter(pk=event.pk).update(places=3)

    admin_client.post(
        reverse("admin:campaigns_event_changelist"),
        {"action": "fill_free_places", "_selected_action": [event.pk]},
    )

    for signup in (first, second, third):
        signup.refresh_from_db()
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]


def test_signup_changelist_filters_by_event_state_and_role(admin_client):
    event = EventFactory(places=1)
    SignUpFactory(event=event, name="Holder Hana", role="runner", confirmed=True)
    SignUpFactory(event=event, name="Waiting Walid", role="walker", confirmed=True)

    response = admin_client.get(
        reverse("admin:campaigns_signup_changelist"), {"event__id__exact": event.pk, "status": "waiting"}
    )

    assert [signup.name for signup in response.context["cl"].result_list] == ["Waiting Walid"]
    assert (
        admin_client.get(reverse("admin:campaigns_signup_changelist"), {"role": "walker"})
        .context["cl"]
        .result_count
        == 1
    )


def test_csv_export_lists_signups_and_neutralises_formulas(admin_client):
    event = EventFactory(title="Brussels run")
    SignUpFactory(
        event=event, name='=HYPERLINK("http://evil.example")', email="a@example.org", nationality="BE"
    )

    response = admin_client.post(
        reverse("admin:campaigns_signup_changelist"),
        {"action": "export_csv", "_selected_action": list(event.signups.values_list("pk", flat=True))},
    )

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0] == ["event", "name", "email", "role", "nationality", "status", "signed up", "confirmed"]
    assert rows[1][:6] == [
        "Brussels run",
        '\'=HYPERLINK("http://evil.example")',
        "a@example.org",
        "runner",
        "Belgium",
        "not confirmed yet",
    ]


def test_signups_cannot_be_added_by_hand(admin_client):
    response = admin_client.get(reverse("admin:campaigns_signup_add"))

    assert response.status_code == 403


def test_event_change_page_lists_signups_inline(admin_client):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=9))
    SignUpFactory(event=event, name="Inline Ines", confirmed=True)

    response = admin_client.get(reverse("admin:campaigns_event_change", args=[event.pk]))

    assert "Inline Ines" in response.content.decode()


def test_deleting_signups_in_admin_frees_their_places(admin_client):
    event = EventFactory(places=2)
    holders = SignUpFactory.create_batch(2, event=event, confirmed=True)
    waiting = SignUpFactory(event=event, confirmed=True)

    admin_client.post(
        reverse("admin:campaigns_signup_changelist"),
        {"action": "delete_selected", "_selected_action": [holder.pk for holder in holders], "post": "yes"},
    )

    event.refresh_from_db()
    waiting.refresh_from_db()
    assert (event.places_taken, waiting.status, event.signups.count()) == (1, "confirmed", 1)
