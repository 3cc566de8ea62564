"""The campaign page, the partners' widget and the public statistics."""

import json

import pytest

from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from tests.sitemaps import whole_sitemap

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(is_active=True, slug="together", pledge_goal=10)


@pytest.fixture
def pledges(campaign, admin_user):
    """Confirmed and unconfirmed pledges, with personal data that must not leak."""
    shown = PledgeFactory(
        campaign=campaign,
        name="Amina Haddad",
        email="amina.private@example.org",
        country="SY",
        show_publicly=True,
        message="Approved words of welcome",
    )
    hidden = PledgeFactory(
        campaign=campaign,
        name="Jonas Verhoeven",
        email="jonas.private@example.org",
        country="BE",
        message="Message still waiting for a moderator",
    )
    unconfirmed = PledgeFactory(
        campaign=campaign,
        name="Unconfirmed Person",
        email="pending@example.org",
        country="FR",
        show_publicly=True,
    )
    shown.confirm()
    hidden.confirm()
    shown.approve_message(by=admin_user)
    return {"shown": shown, "hidden": hidden, "unconfirmed": unconfirmed}


def test_campaign_page_shows_counter_and_opted_in_supporters_only(client, campaign, pledges):
    page = client.get("/en/campaigns/together/").content.decode()

    assert "<strong>2</strong> people have pledged" in page
    assert '<progress class="pledge-counter__bar" max="10" value="2"' in page
    assert "20% of our goal of 10 pledges" in page
    assert "<bdi>Amina</bdi> <span" in page
    assert "Haddad" not in page
    assert "Jonas" not in page
    assert "Unconfirmed" not in page
    assert "private@example.org" not in page


def test_campaign_page_shows_approved_messages_only(client, campaign, pledges):
    page = client.get("/en/campaigns/together/").content.decode()

    assert "Approved words of welcome" in page
    assert "Message still waiting" not in page


def test_campaign_page_country_table_and_chart(client, campaign, pledges):
    page = client.get("/en/campaigns/together/").content.decode()

    assert '<tr><th scope="row">Syria</th><td>1</td></tr>' in page
    assert '<tr><th scope="row">Belgium</th><td>1</td></tr>' in page
    assert '<th scope="row">France</th>' not in page  # its only pledge is unconfirmed
    assert page.count('class="country-chart__bar"') == 2
    assert 'class="country-chart__label" x="0" y="16">Belgium</text>' in page


def test_campaign_page_unknown_slug_is_404(client):
    assert client.get("/en/campaigns/nothing-here/").status_code == 404


def test_campaign_page_may_not_be_framed(client, campaign):
    response = client.get("/en/campaigns/together/")

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_widget_may_be_framed_by_other_sites(client, campaign, pledges):
    response = client.get("/en/campaigns/together/widget/")

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors 'self' https:" in response["Content-Security-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "<strong>2</strong> people have pledged" in page
    assert 'href="/en/campaigns/together/?source=partner_widget#pledge"' in page
    assert "Amina" not in page


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/pledge/", "/en/campaigns/together/pledge/sent/", "/en/campaigns/together/pledge/thanks/"],
)
def test_other_pages_may_not_be_framed(client, campaign, path):
    response = client.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_stats_json_gives_totals_by_country(client, campaign, pledges):
    response = client.get("/en/campaigns/together/stats.json")

    assert response.json() == {
        "campaign": "together",
        "title": campaign.title,
        "url": "http://testserver/en/campaigns/together/",
        "goal": 10,
        "confirmed_pledges": 2,
        "countries": [
            {"code": "BE", "name": "Belgium", "pledges": 1},
            {"code": "SY", "name": "Syria", "pledges": 1},
        ],
        "by_partner": [],
        "by_event": [],
        "direct": 2,
        "pledges": {"online": 2, "paper": 0, "total": 2},
        "paper": {"pledges": 0, "countries": [], "events": []},
    }


def test_stats_json_holds_no_personal_data(client, campaign, pledges):
    body = client.get("/en/campaigns/together/stats.json").content.decode()

    personal = [
        value
        for pledge in Pledge.objects.all()
        for value in [pledge.name, pledge.first_name, pledge.email, pledge.message, pledge.secret]
        if value
    ]
    assert len(personal) == 14  # three pledges, two with messages
    assert [value for value in personal if value.lower() in body.lower()] == []
    assert "@" not in body
    assert set(json.loads(body)["countries"][0]) == {"code", "name", "pledges"}


def test_stats_json_is_open_to_other_origins_and_cached_briefly(client, campaign):
    response = client.get("/en/campaigns/together/stats.json")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=5" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_thanks_page_shares_with_plain_links_only(client, campaign):
    page = client.get("/en/campaigns/together/pledge/thanks/").content.decode()

    assert "https://wa.me/?text=" in page
    assert "<script" not in page
    assert "<iframe" not in page


def test_campaign_in_sitemap(client, campaign):
    assert "http://testserver/en/campaigns/together/" in whole_sitemap(client)
