"""Every pledge records the partner or event that brought it; the counts of
each add up, with the direct ones, to the campaign's total."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import CampaignPartnerCount, Event, Pledge, PledgeSource
from tests.campaigns.attribution import pledge_through, stats_attribution, true_attribution
from tests.campaigns.factories import CampaignFactory, EventFactory, PartnerFactory, StandLinkFactory
from tests.campaigns.helpers import submit_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(is_active=True, slug="together")


def stats(client):
    return client.get("/en/campaigns/together/stats.json").json()


def test_sums_over_partners_events_and_direct_equal_total_after_confirmations_and_withdrawals(
    client, campaign
):
    iom, unric = (
        PartnerFactory(slug="iom", campaigns=[campaign]),
        PartnerFactory(slug="unric", campaigns=[campaign]),
    )
    race, talk = EventFactory(campaign=campaign, slug="race"), EventFactory(campaign=campaign, slug="talk")
    groups = {
        "iom": {"partner": iom},
        "unric": {"partner": unric},
        "race": {"event": race},
        "talk": {"event": talk},
    }
    pledges = {
        name: [pledge_through(campaign, f"{name}{n}@example.org", **by) for n in range(3)]
        for name, by in groups.items()
    }
    pledges["direct"] = [pledge_through(campaign, f"direct{n}@example.org", country="SY") for n in range(3)]
    for group in pledges.values():
        for pledge in group[:2]:  # the third of each stays unconfirmed
            pledge.confirm()
    for name in ("iom", "race", "direct"):
        pledges[name][0].withdraw()  # a confirmed one
    pledges["talk"][2].withdraw()  # an unconfirmed one

    data = stats(client)

    assert data["confirmed_pledges"] == 7
    assert stats_attribution(data) == {
        "partners": {"unric": 2, "iom": 1},
        "events": {"race": 1, "talk": 2},
        "direct": 1,
    }
    assert stats_attribution(data) == true_attribution(campaign)
    attributed = sum(row["pledges"] for row in data["by_partner"] + data["by_event"])
    assert attributed + data["direct"] == data["confirmed_pledges"]
    assert campaign.repair_pledge_counts() == []


def test_a_deleted_partner_leaves_its_pledges_counted_as_direct(client, campaign):
    partner = PartnerFactory(slug="iom", campaigns=[campaign])
    pledge_through(campaign, "a@example.org", partner=partner).confirm()
    pledge_through(campaign, "b@example.org").confirm()

    partner.delete()

    data = stats(client)
    assert (data["confirmed_pledges"], data["by_partner"], data["direct"]) == (2, [], 2)
    assert campaign.repair_pledge_counts() == []


def test_repair_sets_wrong_partner_and_event_counters_right(campaign):
    partner = PartnerFactory(slug="iom", campaigns=[campaign])
    event = EventFactory(campaign=campaign, slug="race")
    pledge_through(campaign, "a@example.org", partner=partner).confirm()
    pledge_through(campaign, "b@example.org", event=event).confirm()
    CampaignPartnerCount.objects.update(count=5)
    Event.objects.update(confirmed_pledges=0)

    fixes = campaign.repair_pledge_counts()

    assert fixes == ["together: event race 0 -> 1", f"together: partner {partner.pk} 5 -> 1"]
    assert CampaignPartnerCount.objects.get().count == 1
    assert Event.objects.get().confirmed_pledges == 1


def test_a_pledge_cannot_be_brought_by_a_partner_and_an_event(campaign):
    partner = PartnerFactory(campaigns=[campaign])
    event = EventFactory(campaign=campaign)

    with pytest.raises(IntegrityError):
        pledge_through(campaign, "a@example.org", partner=partner, event=event)


def test_partner_link_carries_the_partner_into_the_pledge(client, campaign):
    PartnerFactory(slug="iom", campaigns=[campaign])

    page = client.get("/en/campaigns/together/?partner=iom").content.decode()
    submit_pledge(client, campaign, partner="iom")

    assert 'name="partner" value="iom"' in page
    assert Pledge.objects.get().partner.slug == "iom"


@pytest.mark.parametrize("slug", ["nobody", "other-campaigns-partner"])
def test_unknown_partner_or_one_of_another_campaign_makes_a_direct_pledge(client, campaign, slug):
    PartnerFactory(slug="other-campaigns-partner", campaigns=[CampaignFactory()])

    response = submit_pledge(client, campaign, partner=slug)

    assert response.status_code == 302
    assert Pledge.objects.get().partner is None


def test_widget_button_carries_the_partner_of_the_site_showing_it(client, campaign):
    page = client.get("/en/campaigns/together/widget/?partner=iom").content.decode()

    assert 'href="/en/campaigns/together/?source=partner_widget&amp;partner=iom#pledge"' in page


def test_pledge_address_passes_the_partner_and_stand_on(client, campaign):
    response = client.get("/en/pledge/?partner=iom&stand=abc&source=nonsense")

    assert response.url == "/en/campaigns/together/?partner=iom&stand=abc#pledge"


def test_stand_qr_code_link_attributes_a_phone_pledge_to_the_event(client, campaign):
    link = StandLinkFactory(event__campaign=campaign)
    phone_url = link.phone_url().removeprefix("http://127.0.0.1:8000")

    page = client.get(phone_url).content.decode()
    submit_pledge(client, campaign, stand=link.token(link.PHONE), source="event_stand")

    assert f'name="stand" value="{link.token(link.PHONE)}"' in page
    pledge = Pledge.objects.get()
    assert (pledge.event, pledge.partner, pledge.source) == (link.event, None, PledgeSource.EVENT_STAND)


def test_revoked_stand_or_kiosk_token_in_the_qr_field_makes_a_direct_pledge(client, campaign, admin_user):
    revoked = StandLinkFactory(event__campaign=campaign)
    revoked.revoke(by=admin_user)
    kiosk_token = StandLinkFactory(
        event__campaign=campaign
    ).token()  # opens the kiosk, attributes nothing here

    submit_pledge(client, campaign, stand=revoked.token(revoked.PHONE))
    submit_pledge(client, campaign, email="other@example.org", stand=kiosk_token)

    assert list(Pledge.objects.values_list("event", flat=True)) == [None, None]


def test_partners_page_shows_confirmed_pledges_each_partner_brought_and_its_toolkit(client, campaign):
    partner = PartnerFactory(name="IOM", slug="iom", campaigns=[campaign])
    PartnerFactory(name="UNRIC", slug="unric", campaigns=[campaign])
    pledge_through(campaign, "amina@example.org", partner=partner).confirm()
    pledge_through(campaign, "unconfirmed@example.org", partner=partner)

    page = client.get("/en/partners/").content.decode()

    assert "1 confirmed pledge came through this partner." in page
    assert "0 confirmed pledges came through this partner." in page
    assert 'href="/en/partners/iom/toolkit/"' in page
    assert 'href="/en/partners/toolkit/"' in page
    assert "amina" not in page


def test_partners_page_query_count_does_not_grow_with_partners(client, campaign):
    PartnerFactory(campaigns=[campaign])
    with CaptureQueriesContext(connection) as one:
        client.get("/en/partners/")
    for number in range(5):
        partner = PartnerFactory(campaigns=[campaign])
        pledge_through(campaign, f"p{number}@example.org", partner=partner).confirm()

    with CaptureQueriesContext(connection) as six:
        client.get("/en/partners/")

    assert len(six) == len(one)


def test_event_page_shows_confirmed_pledges_made_there(client, campaign):
    event = EventFactory(campaign=campaign, slug="race")
    for number in range(3):
        pledge_through(campaign, f"p{number}@example.org", event=event).confirm()
    pledge_through(campaign, "unconfirmed@example.org", event=event)

    page = client.get("/en/events/race/").content.decode()

    assert "3 confirmed pledges made at this event." in page


def test_event_page_without_stand_pledges_says_nothing_of_pledges(client, campaign):
    EventFactory(campaign=campaign, slug="talk")

    page = client.get("/en/events/talk/").content.decode()

    assert "confirmed pledge" not in page
