"""Paper pledges on the pages, the widget and stats.json: always a figure of
their own beside the online pledges, with the sum, never mixed silently."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import PaperBatch
from tests.campaigns.factories import CampaignFactory, EventFactory, PaperBatchFactory, PledgeFactory

pytestmark = pytest.mark.django_db

COUNTER_PAGES = ["/en/campaigns/together/", "/en/campaigns/together/widget/", "/en/"]


@pytest.fixture
def campaign():
    """Three online pledges confirmed, one not (it must not be counted)."""
    campaign = CampaignFactory(is_active=True, slug="together", pledge_goal=100)
    for country in ["SY", "BE", "BE"]:
        PledgeFactory(campaign=campaign, country=country).confirm()
    PledgeFactory(campaign=campaign, country="FR")
    return campaign


@pytest.fixture
def race(campaign):
    return EventFactory(campaign=campaign, slug="brussels-20-km", title="20 km of Brussels")


def correct(batch, count):
    PaperBatch(
        campaign=batch.campaign, event=batch.event, country=batch.country, count=count, corrects=batch
    ).record(by=batch.entered_by)


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", COUNTER_PAGES)
def test_without_paper_pledges_the_counter_shows_online_pledges_alone(client, campaign, path):
    html = page(client, path)

    assert "<strong>3</strong> people have pledged" in html
    assert "on paper" not in html


@pytest.mark.parametrize("path", COUNTER_PAGES)
def test_the_counter_shows_online_and_paper_pledges_apart_and_their_sum(client, campaign, path):
    PaperBatchFactory(campaign=campaign, country="BE", count=40)

    html = page(client, path)

    assert "<strong>43</strong> people have pledged" in html
    assert "3 online, confirmed by email, and 40 on paper forms" in html
    assert 'value="43"' in html  # the progress bar counts every pledge
    assert "43% of our goal of 100 pledges" in html


def test_a_correction_changes_the_paper_figure_and_the_sum(client, campaign):
    batch = PaperBatchFactory(campaign=campaign, count=40)
    correct(batch, -5)

    html = page(client, "/en/campaigns/together/")

    assert "<strong>38</strong> people have pledged" in html
    assert "3 online, confirmed by email, and 35 on paper forms" in html


def test_stats_json_gives_paper_pledges_apart_and_keeps_its_online_figures(client, campaign, race):
    other = EventFactory(campaign=campaign, slug="talk", title="A talk")
    PaperBatchFactory(campaign=campaign, event=race, country="BE", count=30)
    corrected = PaperBatchFactory(campaign=campaign, event=race, country="SY", count=12)
    correct(corrected, -2)
    PaperBatchFactory(campaign=campaign, event=other, country="SY", count=4)
    PaperBatchFactory(campaign=campaign, country="FR", count=1)
    # Another campaign's forms stay out.
    PaperBatchFactory(country="FR", count=500)

    data = client.get("/en/campaigns/together/stats.json").json()

    assert data["confirmed_pledges"] == 3
    assert data["countries"] == [
        {"code": "BE", "name": "Belgium", "pledges": 2},
        {"code": "SY", "name": "Syria", "pledges": 1},
    ]
    assert data["pledges"] == {"online": 3, "paper": 45, "total": 48}
    assert data["paper"] == {
        "pledges": 45,
        "countries": [
            {"code": "BE", "name": "Belgium", "pledges": 30},
            {"code": "SY", "name": "Syria", "pledges": 14},
            {"code": "FR", "name": "France", "pledges": 1},
        ],
        "events": [
            {
                "slug": "brussels-20-km",
                "title": "20 km of Brussels",
                "url": "http://testserver/en/events/brussels-20-km/",
                "pledges": 40,
            },
            {"slug": "talk", "title": "A talk", "url": "http://testserver/en/events/talk/", "pledges": 4},
        ],
    }


def test_stats_json_lists_each_event_under_the_pledges_it_brought_online_and_on_paper(client, campaign, race):
    talk = EventFactory(campaign=campaign, slug="talk", title="A talk")
    EventFactory(campaign=campaign, slug="quiet", title="Nothing signed")
    for event in [race, talk, talk]:
        PledgeFactory(campaign=campaign, event=event, country="BE").confirm()
    PaperBatchFactory(campaign=campaign, event=race, country="BE", count=5)

    data = client.get("/en/campaigns/together/stats.json").json()

    online = [(row["event"], row["pledges"]) for row in data["by_event"]]
    on_paper = [(row["slug"], row["pledges"]) for row in data["paper"]["events"]]
    assert online == [("talk", 2), ("brussels-20-km", 1)]
    assert on_paper == [("brussels-20-km", 5)]
    assert data["direct"] == 3


def test_a_batch_corrected_to_nothing_leaves_no_country_or_event_in_stats_json(client, campaign, race):
    batch = PaperBatchFactory(campaign=campaign, event=race, country="BE", count=3)
    correct(batch, -3)

    data = client.get("/en/campaigns/together/stats.json").json()

    assert data["pledges"] == {"online": 3, "paper": 0, "total": 3}
    assert data["paper"] == {"pledges": 0, "countries": [], "events": []}


def test_the_event_page_shows_the_paper_pledges_signed_there(client, campaign, race):
    PaperBatchFactory(campaign=campaign, event=race, country="BE", count=30)
    PaperBatchFactory(campaign=campaign, event=race, country="SY", count=7)
    PaperBatchFactory(campaign=campaign, event=EventFactory(campaign=campaign), count=100)
    PaperBatchFactory(campaign=campaign, count=1000)

    html = page(client, "/en/events/brussels-20-km/")

    assert "37 pledges on paper forms" in html


def test_an_event_without_paper_pledges_says_nothing_of_them(client, campaign, race):
    PaperBatchFactory(campaign=campaign, count=1000)

    html = page(client, "/en/events/brussels-20-km/")

    assert "on paper forms" not in html
    assert "on a paper form" not in html


def queries_of(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", [*COUNTER_PAGES, "/en/campaigns/together/stats.json", "/en/events/brussels-20-km/"]
)
def test_query_count_does_not_grow_with_paper_batches(client, campaign, race, path):
    PaperBatchFactory(campaign=campaign, event=race, country="BE", count=3)
    with_one = queries_of(client, path)

    for number, country in enumerate(["SY", "FR", "AF", "UA", "NL", "DE", "ER", "SO"]):
        event = race if number % 2 else EventFactory(campaign=campaign)
        batch = PaperBatchFactory(campaign=campaign, event=event, country=country, count=5 + number)
        correct(batch, -1)

    assert queries_of(client, path) == with_one


def test_the_event_page_sums_its_online_and_paper_pledges(client, campaign, race):
    race.confirmed_pledges = 3
    race.save(update_fields=["confirmed_pledges"])
    PaperBatchFactory(campaign=campaign, event=race, country="BE", count=30)

    html = page(client, "/en/events/brussels-20-km/")

    assert "3 confirmed pledges made at this event." in html
    assert "30 pledges on paper forms" in html
    assert "33 pledges in all." in html
