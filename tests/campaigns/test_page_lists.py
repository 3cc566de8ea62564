"""What the campaign page reads from the pledge side in the campaign's own
row (CampaignQuerySet.with_page_lists, together.inrow) is what the same
lists read apart give: the same people, in the same order, and nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db


def fields(pledges, *names):
    return [tuple(getattr(pledge, name) for name in names) for pledge in pledges]


def counts(rows):
    return [(row.country.code, row.count) for row in rows]


@pytest.fixture
def campaign(admin_user):
    """More listed supporters and approved messages than the page shows, in
    four countries, with pledges that must stay off it (unlisted,
    unconfirmed, a message not approved)."""
    campaign = CampaignFactory(slug="together", is_active=True)
    for number in range(16):
        pledge = PledgeFactory(
            campaign=campaign,
            name=f"Supporter {number}",
            country=["SY", "BE", "UA", "AF"][number % 4],
            show_publicly=number % 3 != 0,
            message=f"Welcome, from {number}" if number % 2 else "",
        )
        pledge.confirm()
        if number % 2 and number != 15:
            pledge.approve_message(by=admin_user)
    PledgeFactory(campaign=campaign, name="Not confirmed", show_publicly=True, country="FR")
    return campaign


def test_supporters_read_in_the_row_are_those_read_apart_in_the_same_order(campaign):
    in_row = Campaign.objects.with_page_lists().get(pk=campaign.pk).latest_supporters()

    apart = Campaign.objects.get(pk=campaign.pk).latest_supporters()

    assert len(in_row) == 10
    assert fields(in_row, "pk", "name", "country", "confirmed_at") == fields(
        apart, "pk", "name", "country", "confirmed_at"
    )


def test_messages_read_in_the_row_are_those_read_apart_in_the_same_order(campaign):
    in_row = Campaign.objects.with_page_lists().get(pk=campaign.pk).public_messages()

    apart = Campaign.objects.get(pk=campaign.pk).public_messages()

    names = ("pk", "name", "country", "show_publicly", "message", "message_approved_at", "language")
    assert len(in_row) == 6
    assert fields(in_row, *names) == fields(apart, *names)
    assert "Welcome, from 15" not in [pledge.message for pledge in in_row]


def test_countries_read_in_the_row_are_those_read_apart_in_the_same_order(campaign):
    in_row = Campaign.objects.with_page_lists().get(pk=campaign.pk).top_countries()

    apart = Campaign.objects.get(pk=campaign.pk).top_countries()

    assert counts(in_row) == [("AF", 4), ("BE", 4), ("SY", 4), ("UA", 4)]
    assert counts(in_row) == counts(apart)


def test_the_three_lists_come_with_the_campaign_in_one_query(campaign):
    with CaptureQueriesContext(connection) as queries:
        read = Campaign.objects.with_page_lists().get(pk=campaign.pk)
        lists = (read.latest_supporters(), read.public_messages(), read.top_countries())
        names = [pledge.name for pledge in lists[0]] + [pledge.message for pledge in lists[1]]

    assert len(queries) == 1
    assert names[0] == "Supporter 14"


def test_a_campaign_without_pledges_reads_three_empty_lists():
    campaign = CampaignFactory()

    read = Campaign.objects.with_page_lists().get(pk=campaign.pk)

    assert (read.latest_supporters(), read.public_messages(), read.top_countries()) == ([], [], [])
