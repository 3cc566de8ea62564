"""The site in seven languages: which one a reader gets, how pages point to
their other versions, and numbers and dates in each language's conventions."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory
from tests.sitemaps import whole_sitemap
from tests.stories.factories import StoryFactory
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "landing"),
    [("ar,en;q=0.5", "/ar/"), ("fr-BE,fr;q=0.9", "/fr/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("nl-BE", "/nl/")],
)
def test_first_visit_follows_browser_language(client, accept_language, landing):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert (response.status_code, response["Location"]) == (302, landing)


def test_first_visit_in_language_the_site_lacks_gets_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert response["Location"] == "/en/"


def test_language_switcher_keeps_reader_on_the_same_page(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/en/stories/?page=2"})

    assert (response.status_code, response["Location"]) == (302, "/ru/stories/?page=2")
    assert client.get("/").headers["Location"] == "/ru/"  # remembered for the next visit


def test_language_switcher_offers_each_language_in_its_own_name(client):
    html = client.get("/fr/about/").content.decode()

    options = re.findall(r'<option value="([^"]+)" lang="\1"( selected)?>([^<]+)</option>', html)
    assert options == [
        ("ar", "", "العربيّة"),
        ("zh-hans", "", "简体中文"),
        ("en", "", "English"),
        ("fr", " selected", "français"),
        ("ru", "", "Русский"),
        ("es", "", "español"),
        ("nl", "", "Nederlands"),
    ]


def test_page_head_links_its_version_in_every_language(client):
    html = client.get("/es/about/").content.decode()

    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert links == [
        *[(code, f"http://testserver/{code}/about/") for code, _name in settings.LANGUAGES],
        ("x-default", "http://testserver/about/"),
    ]


def test_address_without_language_sends_reader_to_their_version(client):
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="ru")

    assert (response.status_code, response["Location"]) == (302, "/ru/about/")


def test_missing_page_links_no_other_versions(client):
    html = client.get("/fr/no-such-page/").content.decode()

    assert 'hreflang="' not in html


def test_sitemap_lists_every_language_version_with_alternates(client):
    sitemap = whole_sitemap(client)

    about = re.search(r"<url><loc>http://testserver/nl/about/</loc>(.*?)</url>", sitemap, re.S).group(1)
    alternates = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', about)
    assert alternates == [
        *[(code, f"http://testserver/{code}/about/") for code, _name in settings.LANGUAGES],
        ("x-default", "http://testserver/about/"),
    ]
    assert sitemap.count("<loc>http://testserver/") == 7 * sitemap.count("<loc>http://testserver/en/")


def test_stylesheets_use_only_logical_directions():
    """Arabic pages mirror only if no rule says left or right."""
    physical = re.compile(
        r"\b(?:margin|padding|border|inset)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|:\s*(?:left|right)\b"
    )
    offending = {
        path.name: physical.findall(re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S))
        for path in Path(settings.BASE_DIR, "static", "css").glob("*.css")
    }

    assert offending == {name: [] for name in offending}
    assert "site.css" in offending


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12,345"), ("fr", "12\xa0345"), ("ar", "12,345"), ("zh-hans", "12,345"), ("nl", "12.345")],
)
def test_pledge_counter_groups_digits_as_the_language_does(client, language, expected):
    campaign = CampaignFactory(is_active=True, pledge_goal=50000)
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_pledges=12345)
    with translation.override(language):
        url = campaign.get_absolute_url()

    html = client.get(url).content.decode()

    assert re.search(r'class="pledge-counter__total">(.*?)</p>', html, re.S).group(1).count(expected) == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Sunday, May 17, 2026, 9:30 a.m."), ("fr", "dimanche, 17 mai 2026, 09:30")],
)
def test_event_time_is_in_the_event_zone_and_the_reader_language(client, language, expected):
    """09:30 in Tokyo is 02:30 in Brussels, the site's zone: the event's own zone wins."""
    event = EventFactory(
        time_zone="Asia/Tokyo",
        starts_at=datetime(2026, 5, 17, 0, 30, tzinfo=UTC),
        ends_at=datetime(2026, 5, 17, 3, 0, tzinfo=UTC),
        signups_open_at=datetime(2026, 5, 1, tzinfo=UTC),
        signups_close_at=datetime(2026, 5, 16, tzinfo=UTC),
    )
    with translation.override(language):
        url = event.get_absolute_url()

    html = client.get(url).content.decode()

    assert expected in " ".join(html.split())


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "(Brussels time, "), ("fr", "(Bruxelles, heure locale, "), ("ru", "(время: Брюссель, ")],
)
def test_event_names_its_time_zone_city_in_the_reader_language(client, language, expected):
    event = EventFactory(time_zone="Europe/Brussels")
    with translation.override(language):
        url = event.get_absolute_url()

    html = client.get(url).content.decode()

    assert expected in " ".join(html.split())


@pytest.mark.parametrize(("language", "expected"), [("fr", "5 mars 2026"), ("ru", "5 марта 2026")])
def test_story_date_is_written_as_the_reader_language_does(client, language, expected):
    story = StoryFactory(published=True)
    story.published_at = datetime(2026, 3, 5, 12, tzinfo=UTC)
    story.save(update_fields=["published_at"])
    with translation.override(language):
        url = story.get_absolute_url()

    html = client.get(url).content.decode()

    assert re.search(rf'<time datetime="2026-03-05T13:00:00\+01:00">{expected}', html)


def test_email_declares_its_language_and_direction():
    PledgeFactory(language="ar").send_email("pledge_confirm")

    message = OutboundEmail.objects.get()
    assert '<html lang="ar" dir="rtl">' in message.html_body
