"""Pages read the counters: their query count does not grow with pledges."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.demo import build_pledges
from campaigns.models import Campaign, Pledge
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db

PAGES = ["/en/campaigns/together/", "/en/campaigns/together/widget/", "/en/campaigns/together/stats.json"]


def add_confirmed_pledges(campaign, count, start):
    Pledge.objects.bulk_create(build_pledges(campaign, count, start=start), batch_size=2000)
    campaign.repair_pledge_counts()


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_pages_query_count_same_for_10_and_10000_pledges(client, django_assert_num_queries):
    campaign = CampaignFactory(is_active=True, slug="together")
    add_confirmed_pledges(campaign, 10, start=0)
    with_ten = {path: queries_of(client, path) for path in PAGES}

    add_confirmed_pledges(campaign, 9_990, start=10)

    campaign.refresh_from_db()
    assert campaign.confirmed_pledges == 10_000
    for path in PAGES:
        with django_assert_num_queries(with_ten[path]):
            client.get(path)


def test_campaign_page_shows_pledges_from_counter(client):
    campaign = CampaignFactory(is_active=True, slug="together", pledge_goal=20_000)
    add_confirmed_pledges(campaign, 20, start=0)
    # The page reads the counter (as kept by confirm()), it does not count rows.
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_pledges=10_000)

    page = client.get("/en/campaigns/together/").content.decode()

    assert "<strong>10,000</strong> people have pledged" in page
    assert "50% of our goal of 20,000 pledges" in page
