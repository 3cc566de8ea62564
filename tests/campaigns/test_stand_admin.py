"""Coordinators make and revoke stand links in the admin."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from campaigns.models import StandLink
from tests.campaigns.factories import EventFactory, StandLinkFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_coordinator_creates_a_stand_link_valid_for_the_event_day_and_sees_its_kiosk_address(
    admin_client, admin_user
):
    event = EventFactory(
        starts_at=datetime(2027, 5, 30, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 5, 30, 14, tzinfo=BRUSSELS),
    )

    response = admin_client.post(
        reverse("admin:campaigns_standlink_add"),
        {
            "event": event.pk,
            "label": "Tablet at the arch",
            "valid_from_0": "",
            "valid_from_1": "",
            "valid_until_0": "",
            "valid_until_1": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    link = StandLink.objects.get()
    assert (link.label, link.created_by) == ("Tablet at the arch", admin_user)
    assert (link.valid_from, link.valid_until) == (
        datetime(2027, 5, 30, tzinfo=BRUSSELS),
        datetime(2027, 5, 31, tzinfo=BRUSSELS),
    )
    page = admin_client.get(reverse("admin:campaigns_standlink_change", args=[link.pk])).content.decode()
    assert link.kiosk_path() in page


def test_revoke_action_revokes_and_logs_who_did_it(admin_client, admin_user):
    link = StandLinkFactory()

    admin_client.post(
        reverse("admin:campaigns_standlink_changelist"), {"action": "revoke", "_selected_action": [link.pk]}
    )

    link.refresh_from_db()
    assert link.revoked_by == admin_user
    assert LogEntry.objects.get().change_message == "Revoked."


def test_revoking_a_revoked_link_reports_it_and_changes_nothing(admin_client, admin_user):
    link = StandLinkFactory()
    link.revoke(by=admin_user)
    revoked_at = StandLink.objects.get().revoked_at

    response = admin_client.post(
        reverse("admin:campaigns_standlink_changelist"),
        {"action": "revoke", "_selected_action": [link.pk]},
        follow=True,
    )

    assert "This stand link is already revoked." in response.content.decode()
    assert StandLink.objects.get().revoked_at == revoked_at
