"""Issue 16, acceptance 1: a stand's tablet at 1024x768, three visitors in turn.

Three pledges in a row in two languages, no trace of the previous person,
each confirmed later from its email; the event page and stats.json count the
three under the event; an expired or revoked stand link answers clearly."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaigns.models import Pledge
from tests.browser.conftest import axe_check
from tests.browser.site_audit import nu_html_errors
from tests.browser.tools import ARTIFACTS
from tests.campaigns.factories import StandLinkFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TABLET = {"width": 1024, "height": 768}
VISITORS = [
    ("en", "Amina Haddad", "amina@example.org", "SY"),
    ("en", "Jonas Peeters", "jonas@example.org", "BE"),
    ("fr", "Camille Dubois", "camille@example.org", "FR"),
]


def kiosk_pledge(page, name, email, country):
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_country").select_option(country)
    page.locator(".kiosk__form button[type=submit]").click()
    page.wait_for_load_state()


def confirm_link(live_server, message):
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S*/pledge/confirm/\S+/)", message.body)
    assert match, message.body
    return live_server.url + match.group(1)


def test_three_visitors_pledge_in_turn_at_the_stand_and_the_event_counts_them(page, site_server):
    link = StandLinkFactory(event__slug="race", event__campaign__slug="together")
    page.set_viewport_size(TABLET)
    page.goto(f"/en/stand/{link.token()}/")
    axe_check(page)

    previous = []
    for language, name, email, country in VISITORS:
        if language == "fr" and "/fr/" not in page.url:
            page.get_by_role("link", name="français").click()
            page.wait_for_load_state()
        kiosk_pledge(page, name, email, country)

        assert page.locator(".kiosk__sent").is_visible()
        page.screenshot(path=ARTIFACTS / f"stand-kiosk-after-pledge-{len(previous) + 1}.png", full_page=True)
        assert [page.locator(f"#id_{field}").input_value() for field in ("name", "email", "message")] == [
            "",
            "",
            "",
        ]
        assert page.locator("#id_country").input_value() == ""
        html = page.content()
        for earlier_name, earlier_email in [*previous, (name, email)]:
            assert earlier_name not in html
            assert earlier_email not in html
        previous.append((name, email))
    assert "/fr/stand/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}

    assert [message.to for message in mail.outbox] == [[email] for _l, _n, email, _c in VISITORS]
    for message in list(mail.outbox):
        page.goto(confirm_link(site_server, message))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    assert Pledge.objects.confirmed().filter(event=link.event).count() == 3
    page.goto("/en/events/race/")
    assert page.locator(".event-pledges").inner_text() == "3 confirmed pledges made at this event."
    stats = page.request.get(f"{site_server.url}/en/campaigns/together/stats.json").json()
    assert stats["by_event"] == [
        {
            "event": "race",
            "title": link.event.title,
            "url": f"{site_server.url}/en/events/race/",
            "pledges": 3,
        }
    ]
    assert (stats["confirmed_pledges"], stats["direct"]) == (3, 0)


def test_a_half_filled_kiosk_form_is_emptied_after_a_minute_without_a_touch(page, site_server):
    link = StandLinkFactory()
    page.set_viewport_size(TABLET)
    page.clock.install()
    page.goto(f"/en/stand/{link.token()}/")
    page.locator("#id_name").fill("Amina Haddad")

    # The idle script empties the form, then reloads the empty page: wait
    # for that page, not only for the form to be emptied.
    with page.expect_navigation():
        page.clock.run_for(61_000)
    page.wait_for_load_state()

    assert page.locator("#id_name").input_value() == ""
    assert "Amina" not in page.content()


def test_revoked_and_expired_stand_links_answer_with_a_clear_page(page, site_server, django_user_model):
    revoked = StandLinkFactory()
    revoked.revoke(by=django_user_model.objects.create_user("coordinator"))
    expired = StandLinkFactory(
        event=revoked.event,
        valid_from=timezone.now() - timedelta(days=3),
        valid_until=timezone.now() - timedelta(days=2),
    )
    page.set_viewport_size(TABLET)

    answer = page.goto(f"/en/stand/{revoked.token()}/")
    assert answer.status == 410
    assert page.get_by_role("heading", level=1).inner_text() == "This stand link no longer works"
    assert "The coordinators have closed this stand link." in page.locator("main").inner_text()
    axe_check(page)

    answer = page.goto(f"/en/stand/{expired.token()}/")
    assert answer.status == 410
    assert "This stand link closed on" in page.locator("main").inner_text()


def test_kiosk_and_its_closed_page_are_valid_html(page, site_server, django_user_model):
    link = StandLinkFactory()
    kiosk = page.request.get(f"{site_server.url}/en/stand/{link.token()}/").text()
    link.revoke(by=django_user_model.objects.create_user("coordinator"))
    closed = page.request.get(f"{site_server.url}/ar/stand/{link.token()}/").text()

    pages = [SimpleNamespace(label="kiosk", html=kiosk), SimpleNamespace(label="closed", html=closed)]

    assert nu_html_errors(pages) == {}
