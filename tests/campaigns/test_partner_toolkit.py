"""The partner toolkit: embed code, live preview, JSON fields and terms, per partner."""

import html

import pytest
from django.conf import settings

from campaigns.views import WIDGET_HEIGHT, WIDGET_WIDTH
from tests.campaigns.attribution import pledge_through
from tests.campaigns.factories import CampaignFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def campaign():
    return CampaignFactory(is_active=True, slug="together")


def test_partner_toolkit_gives_embed_code_counting_for_the_partner(client, campaign):
    PartnerFactory(slug="iom", campaigns=[campaign])

    page = html.unescape(client.get("/en/partners/iom/toolkit/").content.decode())

    assert (
        '<iframe src="http://127.0.0.1:8000/en/campaigns/together/widget/?partner=iom" '
        'title="TOGETHER pledges" '
        f'width="{WIDGET_WIDTH}" height="{WIDGET_HEIGHT}" style="border:0"></iframe></textarea>'
    ) in page
    assert "<textarea" in page
    assert "readonly" in page
    assert "http://127.0.0.1:8000/en/campaigns/together/?partner=iom" in page
    assert "http://127.0.0.1:8000/en/campaigns/together/stats.json" in page


def test_partner_toolkit_previews_our_own_widget(client, campaign):
    PartnerFactory(slug="iom", campaigns=[campaign])

    page = client.get("/en/partners/iom/toolkit/").content.decode()

    assert '<iframe class="toolkit__preview" src="/en/campaigns/together/widget/?partner=iom"' in page


def test_partner_toolkit_documents_every_field_of_stats_json(client, campaign):
    fields = client.get("/en/campaigns/together/stats.json").json().keys()

    page = client.get("/en/partners/toolkit/").content.decode()

    for field in fields:
        assert f"<code>{field}</code>" in page


def test_partner_toolkit_says_how_many_confirmed_pledges_the_partner_brought(client, campaign):
    partner = PartnerFactory(slug="iom", campaigns=[campaign])
    for number in range(2):
        pledge_through(campaign, f"p{number}@example.org", partner=partner).confirm()

    page = client.get("/en/partners/iom/toolkit/").content.decode()

    assert "<strong>2</strong> confirmed pledges came through your links and counter so far." in page


def test_unknown_partner_toolkit_answers_404(client, campaign):
    assert client.get("/en/partners/nobody/toolkit/").status_code == 404


def test_toolkit_without_active_campaign_says_so(client):
    page = client.get("/en/partners/toolkit/").content.decode()

    assert "No campaign takes pledges at the moment." in page
    assert "Terms of use" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_toolkit_answers_in_every_language(client, campaign, language):
    PartnerFactory(slug="iom", campaigns=[campaign])

    response = client.get(f"/{language}/partners/iom/toolkit/")

    assert response.status_code == 200
    assert f"/{language}/campaigns/together/widget/?partner=iom" in response.content.decode()


def test_toolkit_of_a_partner_outside_the_campaign_says_its_links_count_as_direct(client, campaign):
    PartnerFactory(slug="iom", campaigns=[])

    page = client.get("/en/partners/iom/toolkit/").content.decode()

    assert "This partner is not part of the current campaign yet" in page
