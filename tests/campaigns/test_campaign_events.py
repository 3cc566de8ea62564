"""The campaign page's events section (campaigns.templatetags.campaign_events)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_campaign_page_shows_the_six_soonest_upcoming_events_however_many_there_are(client):
    campaign = CampaignFactory()
    soon = timezone.now() + timedelta(days=1)
    for day in range(9):
        EventFactory(campaign=campaign, title=f"Meeting on day {day}", starts_at=soon + timedelta(days=day))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert [day for day in range(9) if f"Meeting on day {day}<" in page] == [0, 1, 2, 3, 4, 5]
