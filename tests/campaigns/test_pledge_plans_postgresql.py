"""Every query of the pledge flow is answered by an index on PostgreSQL: a
pledge costs the same with ten rows as with a million (the duplicate check
once scanned every pledge, 220 ms at campaign size)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.demo import build_pledges
from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]

NOT_PLANNED = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK", "INSERT")


def scans_of(queries):
    """The statements among ``queries`` that PostgreSQL would answer by
    reading every pledge, or every pledge of a campaign (through the foreign
    key's index: at campaign size, a million rows), were the table large (no
    sequential scan allowed unless nothing else can answer)."""
    scanning = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if sql.startswith(NOT_PLANNED):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if "Seq Scan on campaigns_pledge" in plan or "campaigns_pledge_campaign_id" in plan:
                scanning.append(sql)
    return scanning


def campaign_with_supporters():
    """A campaign holding thousands of pledges, another beside it, and fresh
    statistics: on a near-empty table every index costs about the same and
    the planner's pick says nothing about a large one."""
    campaign, other = CampaignFactory(is_active=True), CampaignFactory()
    for each in (campaign, other):
        Pledge.objects.bulk_create(build_pledges(each, 3000), batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_pledge")
    return campaign


def submit(campaign, email):
    return Pledge.submit(
        campaign=campaign,
        name="Amira",
        email=email,
        country="JO",
        show_publicly=False,
        keep_informed=False,
        message="",
        source="campaign_page",
        language="en",
    )


def test_submitting_a_new_pledge_reads_no_pledge_table_whole():
    campaign = campaign_with_supporters()

    with CaptureQueriesContext(connection) as queries:
        submit(campaign, "amira@example.org")

    assert scans_of(queries.captured_queries) == []


def test_submitting_again_reading_the_link_and_confirming_read_no_pledge_table_whole():
    campaign = campaign_with_supporters()
    pledge = submit(campaign, "amira@example.org")

    with CaptureQueriesContext(connection) as queries:
        submit(campaign, "Amira@example.org")
        Pledge.from_confirm_token(pledge.confirm_token()).confirm()

    assert scans_of(queries.captured_queries) == []


def test_the_campaign_page_reads_no_pledge_table_whole(client):
    campaign = campaign_with_supporters()

    with CaptureQueriesContext(connection) as queries:
        client.get(campaign.get_absolute_url())

    assert len(queries.captured_queries) == 4
    assert scans_of(queries.captured_queries) == []
