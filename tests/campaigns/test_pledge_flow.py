"""The pledge path of a person: form, email, confirmation, withdrawal."""

import re
import time
from types import SimpleNamespace

import pytest
from django.core import mail, signing

from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import link_from_last_email, submit_pledge
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory(is_active=True, pledge_goal=100)


def without_csrf_token(response):
    """The page's HTML, without the CSRF token masked afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def counted(campaign):
    campaign.refresh_from_db()
    by_country = {row.country.code: row.count for row in campaign.country_counts.filter(count__gt=0)}
    return campaign.confirmed_pledges, by_country


def test_pledge_path_submit_confirm_twice_withdraw(client, campaign):
    response = submit_pledge(client, campaign, email="amina@example.org", country="SY")

    assert response.status_code == 302
    assert response.url == f"/en/campaigns/{campaign.slug}/pledge/sent/"
    assert counted(campaign) == (0, {})
    assert mail.outbox[-1].to == ["amina@example.org"]

    confirm_path = link_from_last_email("confirm")
    withdraw_path = link_from_last_email("withdraw")
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Confirm my pledge" in page.content.decode()
    assert counted(campaign) == (0, {})  # opening the link alone confirms nothing

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response.url == f"/en/campaigns/{campaign.slug}/pledge/thanks/"
    assert counted(campaign) == (1, {"SY": 1})

    assert client.post(confirm_path).status_code == 302
    assert counted(campaign) == (1, {"SY": 1})

    assert client.get(withdraw_path).status_code == 200
    assert counted(campaign) == (1, {"SY": 1})
    response = client.post(withdraw_path)
    assert response.url == f"/en/campaigns/{campaign.slug}/pledge/withdrawn/"
    assert counted(campaign) == (0, {})
    assert not Pledge.objects.exists()
    assert not OutboundEmail.objects.filter(to__iexact="amina@example.org").exists()


def test_same_address_in_other_case_gives_no_second_pledge_and_same_response(client, campaign):
    first = submit_pledge(client, campaign, email="amina@example.org")
    client.post(link_from_last_email("confirm"))

    second = submit_pledge(client, campaign, email="  AMINA@Example.ORG ")

    assert Pledge.objects.count() == 1
    assert counted(campaign) == (1, {"BE": 1})
    assert (second.status_code, second.url) == (first.status_code, first.url)
    assert without_csrf_token(client.get(second.url)) == without_csrf_token(client.get(first.url))


def test_same_response_for_new_and_pledged_address(client, campaign):
    submit_pledge(client, campaign, email="amina@example.org")
    client.post(link_from_last_email("confirm"))

    for_pledged = submit_pledge(client, campaign, email="Amina@example.org")
    for_new = submit_pledge(client, campaign, email="someone.else@example.org")

    assert (for_pledged.status_code, for_pledged.url) == (for_new.status_code, for_new.url)
    assert for_pledged.headers.keys() == for_new.headers.keys()
    assert for_pledged.content == for_new.content


def test_unconfirmed_pledge_submitted_again_gets_new_email_and_details(client, campaign):
    submit_pledge(client, campaign, email="amina@example.org", name="Amina")
    submit_pledge(client, campaign, email="AMINA@example.org ", name="Amina Haddad", country="SY")

    pledge = Pledge.objects.get()
    assert (pledge.name, pledge.country.code) == ("Amina Haddad", "SY")
    assert len(mail.outbox) == 2
    client.post(link_from_last_email("confirm"))
    assert counted(campaign) == (1, {"SY": 1})


def test_confirmed_pledge_submitted_again_keeps_details_and_tells_owner_by_email(client, campaign):
    submit_pledge(client, campaign, email="amina@example.org", name="Amina")
    client.post(link_from_last_email("confirm"))

    submit_pledge(client, campaign, email="AMINA@example.org", name="Someone Else")

    assert Pledge.objects.get().name == "Amina"
    assert len(mail.outbox) == 2
    reminder = mail.outbox[-1]
    assert (reminder.to, reminder.subject) == (
        ["amina@example.org"],
        f"You have already pledged to {campaign.title}",
    )
    assert "/pledge/confirm/" not in reminder.body
    client.post(link_from_last_email("withdraw"))
    assert counted(campaign) == (0, {})


def test_pledge_stores_language_and_opt_ins_default_off(client, campaign):
    submit_pledge(client, campaign)

    pledge = Pledge.objects.get()
    assert (pledge.language, pledge.show_publicly, pledge.keep_informed) == ("en", False, False)
    assert pledge.email_normalised == "amina@example.org"


def test_pledge_source_known_value_is_recorded(client, campaign):
    submit_pledge(client, campaign, source="event_stand")

    assert Pledge.objects.get().source == "event_stand"


def test_pledge_source_unknown_value_falls_back_to_campaign_page(client, campaign):
    response = submit_pledge(client, campaign, source="javascript:alert(1)")

    assert response.status_code == 302
    assert Pledge.objects.get().source == "campaign_page"


def test_campaign_page_carries_widget_source_into_form(client, campaign):
    page = client.get(campaign.get_absolute_url() + "?source=partner_widget").content.decode()

    assert 'name="source" value="partner_widget"' in page


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Visit https://spam.example", "name_has_web_address"),
        ("Amina www.cheap-pills", "name_has_web_address"),
        ("cheap-pills.com", "name_has_web_address"),
        ("=HYPERLINK(1)", "name_starts_with_symbol"),
        ("+32 Amina", "name_starts_with_symbol"),
        ("-Amina", "name_starts_with_symbol"),
        ("@amina", "name_starts_with_symbol"),
    ],
)
def test_pledge_name_with_web_address_or_formula_is_refused(client, campaign, name, code):
    response = submit_pledge(client, campaign, name=name)

    assert response.status_code == 400
    assert response.context["form"].has_error("name", code)
    assert not Pledge.objects.exists()


def test_pledge_form_error_keeps_what_was_typed(client, campaign):
    response = submit_pledge(client, campaign, email="not-an-address", message="I am with you")

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Amina Haddad"' in page
    assert "I am with you" in page
    assert not mail.outbox


def test_pledge_honeypot_filled_is_refused(client, campaign):
    response = submit_pledge(client, campaign, website="http://spam.example")

    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", "honeypot")
    assert not Pledge.objects.exists()


def test_pledge_disposable_address_is_refused(client, campaign):
    response = submit_pledge(client, campaign, email="someone@mailinator.com")

    assert response.context["form"].has_error("email", "disposable_email")
    assert not Pledge.objects.exists()


def test_pledge_rate_limited_per_email_answers_429_and_keeps_form(client, campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "2/h"}
    for _ in range(2):
        assert submit_pledge(client, campaign, email="amina@example.org").status_code == 302

    response = submit_pledge(client, campaign, email="AMINA@example.org", REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 429
    assert response.context["form"].has_error("__all__", "rate_limited")
    assert 'value="Amina Haddad"' in response.content.decode()
    assert len(mail.outbox) == 2


def test_pledge_rate_limited_per_address(client, campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "2/h"}
    for n in range(2):
        submit_pledge(client, campaign, email=f"person{n}@example.org")

    response = submit_pledge(client, campaign, email="person3@example.org")

    assert response.status_code == 429
    assert Pledge.objects.count() == 2


def test_invalid_pledge_counts_toward_the_address_limit(client, campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "1/h"}
    submit_pledge(client, campaign, email="not an address")

    response = submit_pledge(client, campaign, email="amina@example.org")

    assert response.status_code == 429
    assert 'value="amina@example.org"' in response.content.decode()
    assert not Pledge.objects.exists()


def test_inactive_campaign_takes_no_pledges(client):
    campaign = CampaignFactory(is_active=False)

    response = submit_pledge(client, campaign)

    assert response.status_code == 200
    assert "no longer takes pledges" in response.content.decode()
    assert not Pledge.objects.exists()


def test_pledge_url_leads_to_active_campaign_form(client, campaign):
    response = client.get("/en/pledge/")

    assert response.status_code == 302
    assert response.url == f"/en/campaigns/{campaign.slug}/#pledge"


def test_pledge_url_passes_known_source_on(client, campaign):
    assert client.get("/en/pledge/?source=event_stand").url == (
        f"/en/campaigns/{campaign.slug}/?source=event_stand#pledge"
    )
    assert client.get("/en/pledge/?source=<script>").url == f"/en/campaigns/{campaign.slug}/#pledge"


def test_pledge_url_without_active_campaign_is_friendly_404(client):
    CampaignFactory(is_active=False)

    response = client.get("/en/pledge/")

    assert response.status_code == 404
    assert "No campaign is open for pledges" in response.content.decode()


def test_confirm_link_expires_after_seven_days(client, campaign, monkeypatch):
    submit_pledge(client, campaign)
    confirm_path = link_from_last_email("confirm")

    eight_days_later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: eight_days_later))
    response = client.post(confirm_path)

    assert response.status_code == 404
    assert "expired" in response.content.decode()
    assert counted(campaign) == (0, {})


def test_confirm_link_tampered_is_refused(client, campaign):
    submit_pledge(client, campaign)
    confirm_path = link_from_last_email("confirm")

    response = client.post(confirm_path.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 404
    assert counted(campaign) == (0, {})


def test_withdraw_link_cannot_confirm(client, campaign):
    submit_pledge(client, campaign)

    response = client.post(link_from_last_email("withdraw").replace("/withdraw/", "/confirm/"))

    assert response.status_code == 404
    assert counted(campaign) == (0, {})


def test_withdraw_after_withdrawal_is_friendly(client, campaign):
    submit_pledge(client, campaign)
    withdraw_path = link_from_last_email("withdraw")
    client.post(withdraw_path)

    response = client.post(withdraw_path)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_confirmation_email_in_language_of_pledge(client, campaign):
    submit_pledge(client, campaign)

    message = mail.outbox[-1]
    assert "Please confirm your pledge" in message.subject
    assert "/en/pledge/confirm/" in message.body
    assert "/en/pledge/withdraw/" in message.body
