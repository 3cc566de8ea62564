"""Every lookup of a person's data (together.personal_data.holdings) is
answered by an index on the address on PostgreSQL: the "my data" page reads
one person's rows, not every pledge (100 ms at a million pledges before
campaigns 0011), every story or every sign-up. Stories are found by their
canonical address (stories 0017), through an index of the stories that have
one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Pledge, SignUp
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, SignUpFactory
from tests.stories.factories import StoryFactory
from together import personal_data
from together.models import OutboundEmail

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]

# The table each lookup reads, and the index on the address that must answer it.
ADDRESS_INDEXES = {
    "stories_story": "story_email_normalised_idx",
    "campaigns_pledge": "pledge_email_idx",
    "campaigns_signup": "signup_email_idx",
    "together_outboundemail": "together_outboundemail_to_normalised",
}


def index_used(sql):
    """The address index the plan of ``sql`` reads its table through, or the
    plan itself when none (no sequential scan allowed unless nothing else
    can answer: the test tables are small, a campaign's are not)."""
    table = sql.split(" FROM ", 1)[1].split()[0].strip('"')
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    expected = ADDRESS_INDEXES[table]
    return table, expected if f" on {expected}" in plan or f"using {expected}" in plan else plan


def other_people(count):
    """``count`` pledges and sign-ups of other people, spread over campaigns
    and events, with fresh statistics: on a table of a few rows PostgreSQL
    would read the whole unique index (campaign, address), as cheap as any
    there but not at a million pledges."""
    campaigns = CampaignFactory.create_batch(4)
    events = EventFactory.create_batch(4)
    addresses = [f"person{number}@example.org" for number in range(count)]
    Pledge.objects.bulk_create(
        Pledge(campaign=campaigns[n % 4], name="P", email=a, email_normalised=a, country="JO")
        for n, a in enumerate(addresses)
    )
    SignUp.objects.bulk_create(
        SignUp(event=events[n % 4], name="P", email=a, email_normalised=a, role="runner", language="en")
        for n, a in enumerate(addresses)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_pledge, campaigns_signup")


def test_each_lookup_of_a_persons_data_reads_an_index_on_the_address():
    other_people(5000)
    StoryFactory(email="Amina@Example.org")
    PledgeFactory(campaign=CampaignFactory(), email="amina@example.org").confirm()
    SignUpFactory(event=EventFactory(), email="amina@example.org", confirmed=True)
    OutboundEmail.objects.create(to="amina@example.org", to_normalised="amina@example.org", subject="Hi")

    with CaptureQueriesContext(connection) as queries:
        held = personal_data.holdings("amina@example.org")

    assert (len(held.stories), len(held.pledges), len(held.signups), len(held.emails)) == (1, 1, 1, 1)
    assert [index_used(query["sql"]) for query in queries.captured_queries] == list(ADDRESS_INDEXES.items())
