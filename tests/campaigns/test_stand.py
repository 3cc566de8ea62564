"""Stand mode: a kiosk link for an event's tablet, revocable, limited per link."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Campaign, Pledge, PledgeSource, StandLink, StandLinkError
from tests.campaigns.factories import EventFactory, StandLinkFactory
from tests.campaigns.helpers import kiosk_data

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def link():
    return StandLinkFactory(event__slug="race")


def kiosk(link, language="en"):
    return f"/{language}/stand/{link.token()}/"


def test_kiosk_shows_an_empty_form_with_no_autocomplete_and_no_store(client, link):
    response = client.get(kiosk(link))

    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert '<form class="form pledge-form" method="post"' in page
    assert 'autocomplete="off" novalidate' in page
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
    typed = [tag for tag in fields if 'type="hidden"' not in tag and 'type="checkbox"' not in tag]
    assert len(typed) == 5  # name, email, country, message and the honeypot
    assert all('autocomplete="off"' in tag for tag in typed)
    assert 'name="source"' not in page
    assert 'name="partner"' not in page


def test_kiosk_pledge_redirects_to_an_empty_form_and_is_attributed_to_the_event(client, link):
    response = client.post(kiosk(link), kiosk_data(name="Amina Haddad", email="amina@example.org"))

    assert response.status_code == 302
    assert response.url == f"{kiosk(link)}?sent=1"
    pledge = Pledge.objects.get()
    assert (pledge.event, pledge.partner, pledge.source) == (link.event, None, PledgeSource.EVENT_STAND)
    assert not pledge.is_confirmed
    assert mail.outbox[-1].to == ["amina@example.org"]
    page = client.get(response.url).content.decode()
    assert "Thank you! Your pledge is on its way." in page
    assert "Amina" not in page
    assert "amina@example.org" not in page
    assert "sessionid" not in client.cookies


def test_kiosk_pledge_keeps_the_language_of_the_kiosk(client, link):
    client.post(kiosk(link, "fr"), kiosk_data())

    assert Pledge.objects.get().language == "fr"
    assert "/fr/pledge/confirm/" in mail.outbox[-1].body


def test_kiosk_offers_every_language_as_a_link_to_itself(client, link):
    page = client.get(kiosk(link)).content.decode()

    for language in ("en", "fr", "es", "nl", "ru", "ar", "zh-hans"):
        assert f'href="{kiosk(link, language)}"' in page


def test_kiosk_shows_a_qr_code_made_on_the_server(client, link):
    page = client.get(kiosk(link)).content.decode()

    assert "<svg" in page
    assert 'role="img"' in page
    assert link.token(link.PHONE) in link.phone_url()


def test_kiosk_form_with_an_error_is_shown_again_to_the_same_person(client, link):
    response = client.post(kiosk(link), kiosk_data(email="not an address"))

    assert response.status_code == 400
    assert "Amina Haddad" in response.content.decode()
    assert not Pledge.objects.exists()


def test_kiosk_pledges_are_limited_per_stand_link_not_per_address(client, link, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "1/h", "stand_pledge": "3/h"}
    other_stand = StandLinkFactory(event=link.event)

    answers = [client.post(kiosk(link), kiosk_data(email=f"p{n}@example.org")).status_code for n in range(4)]
    other = client.post(kiosk(other_stand), kiosk_data(email="other@example.org")).status_code

    assert answers == [302, 302, 302, 429]
    assert other == 302
    assert Pledge.objects.count() == 4


def test_kiosk_keeps_the_limit_per_email_address(client, link, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "1/h"}

    answers = [client.post(kiosk(link), kiosk_data()).status_code for _ in range(2)]

    assert answers == [302, 429]


def test_the_ordinary_per_address_limit_still_holds_on_the_campaign_page(client, link, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "1/h"}
    client.post(kiosk(link), kiosk_data(email="a@example.org"))
    client.post(kiosk(link), kiosk_data(email="b@example.org"))
    campaign_page = link.event.campaign.get_absolute_url()

    first = client.post(campaign_page, {**kiosk_data(email="c@example.org"), "started": ""})
    second = client.post(campaign_page, {**kiosk_data(email="d@example.org"), "started": ""})

    assert (first.status_code, second.status_code) == (400, 429)


def test_expired_stand_link_answers_410_with_its_closing_date(client):
    link = StandLinkFactory(
        valid_from=timezone.now() - timedelta(days=2), valid_until=timezone.now() - timedelta(days=1)
    )

    response = client.get(kiosk(link))
    posted = client.post(kiosk(link), kiosk_data())

    assert (response.status_code, posted.status_code) == (410, 410)
    page = response.content.decode()
    assert "This stand link no longer works" in page
    assert "This stand link closed on" in page
    assert not Pledge.objects.exists()


def test_revoked_stand_link_answers_410_saying_so(client, link, admin_user):
    link.revoke(by=admin_user)

    response = client.get(kiosk(link))

    assert response.status_code == 410
    assert "The coordinators have closed this stand link." in response.content.decode()


def test_stand_link_not_open_yet_answers_410_with_its_opening_date(client):
    link = StandLinkFactory(valid_from=timezone.now() + timedelta(days=1))

    response = client.get(kiosk(link))

    assert response.status_code == 410
    assert "This stand link opens on" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "WzEsImFiYyJd:forged"])
def test_forged_stand_link_answers_404_with_explanation(client, link, token):
    response = client.get(f"/en/stand/{token}/")

    assert response.status_code == 404
    assert "This stand link does not work" in response.content.decode()


def test_qr_code_token_does_not_open_the_kiosk(client, link):
    response = client.get(f"/en/stand/{link.token(link.PHONE)}/")

    assert response.status_code == 404


def test_stand_link_is_valid_for_the_event_days_by_default():
    event = EventFactory(
        starts_at=datetime(2027, 5, 31, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 6, 1, 14, tzinfo=BRUSSELS),
    )

    link = StandLink.objects.create(event=event, label="Tablet at the arch")

    assert link.valid_from == datetime(2027, 5, 31, tzinfo=BRUSSELS)
    assert link.valid_until == datetime(2027, 6, 2, tzinfo=BRUSSELS)


def test_revoking_records_who_and_when_and_a_second_time_is_refused(link, admin_user):
    link.revoke(by=admin_user)

    link.refresh_from_db()
    assert link.revoked_by == admin_user
    assert link.revoked_at is not None
    with pytest.raises(StandLinkError, match="already revoked"):
        link.revoke(by=admin_user)


def test_stand_link_of_a_campaign_taking_no_more_pledges_answers_410(client, link):
    Campaign.objects.filter(pk=link.event.campaign_id).update(is_active=False)

    response = client.post(kiosk(link), kiosk_data())

    assert response.status_code == 410
    assert "This campaign no longer takes pledges." in response.content.decode()
    assert not Pledge.objects.exists()
