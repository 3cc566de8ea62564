"""Every page reached by a private token: never cached, indexed or referred.

The routes are found in the URLconf (every pattern taking a ``token``), so a
new private route is checked here without being listed.
"""

import pytest
from django.urls import reverse

from tests.campaigns.factories import CampaignFactory, PledgeFactory
from together.middleware import private_url_patterns, url_arguments

pytestmark = pytest.mark.django_db

DAMAGED_TOKEN = "eyJkYW1hZ2VkIjoxfQ:damaged"


def route_name(resolvers, pattern):
    return ":".join([resolver.namespace for resolver in resolvers if resolver.namespace] + [pattern.name])


def private_routes():
    return sorted(route_name(resolvers, pattern) for resolvers, pattern in private_url_patterns())


def private_addresses():
    """One address per private route, with a damaged token (and a slug
    that may not exist): even the page saying the link is broken is private."""
    for resolvers, pattern in private_url_patterns():
        name = route_name(resolvers, pattern)
        arguments = dict.fromkeys(url_arguments(pattern.pattern), "x")
        yield pytest.param(reverse(name, kwargs={**arguments, "token": DAMAGED_TOKEN}), id=name)


def assert_private(response):
    assert response.status_code < 500
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Not no-referrer, which makes browsers send "Origin: null" with the page's
    # own forms (refused by the CSRF check): a cross-site link gets nothing.
    assert response["Referrer-Policy"] == "same-origin"


def test_the_urlconf_has_the_private_routes_we_know():
    assert private_routes() == [
        "campaigns:pledge_confirm",
        "campaigns:pledge_withdraw",
        "campaigns:signup_cancel",
        "campaigns:signup_confirm",
        "campaigns:stand_kiosk",
        "personal_data",
        "personal_data_download",
        "personal_data_erase",
        "stories:story_edit",
        "stories:story_less_identifying",
        "stories:story_manage",
        "stories:story_personal_data",
        "stories:story_propose",
        "stories:story_replace_link",
        "stories:story_reply",
        "stories:story_sharing",
        "stories:story_withdraw",
    ]


@pytest.mark.parametrize("address", list(private_addresses()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_page_reached_by_a_private_token_is_not_cached_indexed_or_referred(client, address, method):
    assert_private(getattr(client, method)(address))


def test_pledge_confirm_page_with_the_full_name_is_not_cached(client):
    pledge = PledgeFactory(campaign=CampaignFactory(is_active=True), name="Amina Haddad")

    response = client.get(reverse("campaigns:pledge_confirm", args=[pledge.confirm_token()]))

    assert "Amina Haddad" in response.content.decode()
    assert_private(response)


def test_pledge_withdraw_page_of_a_confirmed_pledge_is_not_cached(client):
    pledge = PledgeFactory(campaign=CampaignFactory(is_active=True), name="Amina Haddad")
    pledge.confirm()

    response = client.get(reverse("campaigns:pledge_withdraw", args=[pledge.withdraw_token()]))

    assert response.status_code == 200
    assert_private(response)


def test_public_page_keeps_the_site_referrer_policy(client):
    response = client.get("/en/about/")

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "X-Robots-Tag" not in response
