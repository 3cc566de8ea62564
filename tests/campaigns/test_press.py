import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import PressRelease
from tests.campaigns.factories import CampaignFactory, PartnerFactory, PressReleaseFactory
from tests.sitemaps import whole_sitemap

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def listed_titles(html):
    return re.findall(r'class="press-item__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def hidden_releases():
    """A draft and a scheduled release, created before anything public."""
    return [
        PressReleaseFactory(title="Draft release", slug="draft", published_at=None),
        PressReleaseFactory(
            title="Scheduled release", slug="scheduled", published_at=timezone.now() + timedelta(hours=1)
        ),
    ]


def test_press_list_shows_newest_first(client):
    PressReleaseFactory(title="Middle", published_at=days_ago(5))
    PressReleaseFactory(title="Newest", published_at=days_ago(1))
    PressReleaseFactory(title="Oldest", published_at=days_ago(30))

    html = client.get(reverse("campaigns:press_list")).content.decode()

    assert listed_titles(html) == ["Newest", "Middle", "Oldest"]


def test_press_list_hides_drafts_and_scheduled_releases(client, hidden_releases):
    PressReleaseFactory(title="Public release")

    html = client.get(reverse("campaigns:press_list")).content.decode()

    assert listed_titles(html) == ["Public release"]
    assert "Draft release" not in html
    assert "Scheduled release" not in html


@pytest.mark.parametrize("slug", ["draft", "scheduled"])
def test_press_detail_of_hidden_release_is_not_found(client, hidden_releases, slug):
    response = client.get(reverse("campaigns:press_detail", kwargs={"slug": slug}))

    assert response.status_code == 404


def test_press_list_is_paginated_by_ten(client):
    for day in range(11):
        PressReleaseFactory(title=f"Release of day {day}", published_at=days_ago(day + 1))

    first = client.get(reverse("campaigns:press_list")).content.decode()
    second = client.get(reverse("campaigns:press_list"), {"page": 2}).content.decode()

    assert listed_titles(first) == [f"Release of day {day}" for day in range(10)]
    assert listed_titles(second) == ["Release of day 10"]
    assert '<a href="?page=2" rel="next">Older releases</a>' in first
    assert '<a href="?page=1" rel="prev">Newer releases</a>' in second


def test_press_list_page_past_the_end_is_not_found(client):
    PressReleaseFactory()

    assert client.get(reverse("campaigns:press_list"), {"page": 2}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_press_list_query_count_does_not_grow_with_releases(client, count):
    campaign = CampaignFactory()
    PressReleaseFactory.create_batch(count, campaign=campaign)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("campaigns:press_list"))

    assert len(listed_titles(response.content.decode())) == min(count, 10)
    assert len(queries) == 3  # the count for the paginator, the page, the campaigns with a media kit


def test_press_list_escapes_title_and_summary(client):
    PressReleaseFactory(title="<b>Bold</b> claims", summary="<script>alert(1)</script>")

    html = client.get(reverse("campaigns:press_list")).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_press_detail_shows_body_escaped_with_paragraphs_kept(client):
    release = PressReleaseFactory(body="We <script>alert(1)</script> run.\nTogether.\n\nSecond paragraph.")

    html = client.get(release.get_absolute_url()).content.decode()

    assert (
        "<p>We &lt;script&gt;alert(1)&lt;/script&gt; run.<br>Together.</p>\n\n<p>Second paragraph.</p>"
        in html
    )
    assert "<script>alert(1)" not in html


def test_press_detail_shows_date_campaign_and_contact_with_email_link(client):
    campaign = CampaignFactory(title="TOGETHER")
    release = PressReleaseFactory(
        campaign=campaign,
        published_at=datetime(2017, 5, 26, 10, tzinfo=ZoneInfo("Europe/Brussels")),
        contact="Press office <not a tag>\npress@together.example",
    )

    html = client.get(release.get_absolute_url()).content.decode()

    assert (
        '<time datetime="2017-05-26T10:00:00+02:00">May 26, 2017</time> · '
        f'<a href="{campaign.get_absolute_url()}">TOGETHER</a>'
    ) in html
    assert '<h2 id="press-contact-title">Press contact</h2>' in html
    assert "Press office &lt;not a tag&gt;<br>" in html
    assert '<a href="mailto:press@together.example">press@together.example</a>' in html


def test_press_detail_without_contact_has_no_contact_section(client):
    release = PressReleaseFactory(contact="")

    html = client.get(release.get_absolute_url()).content.decode()

    assert "Press contact" not in html


# --- Includes for other pages --------------------------------------------------------------


def test_campaign_press_include_lists_only_that_campaigns_public_releases(hidden_releases):
    campaign = CampaignFactory()
    for release in hidden_releases:
        release.campaign = campaign
        release.save()
    PressReleaseFactory(title="Other campaign's release", campaign=CampaignFactory())
    PressReleaseFactory(title="Older", campaign=campaign, published_at=days_ago(9))
    PressReleaseFactory(title="Newer", campaign=campaign, published_at=days_ago(2))

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("campaigns/includes/campaign_press.html", {"campaign": campaign})

    assert re.findall(r"<h[23][^>]*>(?:<a [^>]+>)?([^<]+)", html) == ["Press releases", "Newer", "Older"]
    assert len(queries) == 1


def test_campaign_press_include_is_empty_without_releases():
    html = render_to_string("campaigns/includes/campaign_press.html", {"campaign": CampaignFactory()})

    assert html.strip() == ""


def test_campaign_partners_include_lists_only_that_campaigns_partners():
    campaign = CampaignFactory()
    PartnerFactory(name="Ours", campaigns=[campaign], is_demo=True)
    PartnerFactory(name="Someone else's", campaigns=[CampaignFactory()])

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("campaigns/includes/campaign_partners.html", {"campaign": campaign})

    assert re.findall(r"<h[23][^>]*>([^<]+)", html) == ["Partners", "Ours "]
    assert 'class="demo-marker"' in html
    assert len(queries) == 1


def test_latest_press_include_shows_three_newest_public_releases(hidden_releases):
    for day in range(5):
        PressReleaseFactory(title=f"Day {day}", published_at=days_ago(day + 1))

    html = render_to_string("campaigns/includes/latest_press.html")

    assert re.findall(r"<h[23][^>]*>(?:<a [^>]+>)?([^<]+)", html) == [
        "From the press room",
        "Day 0",
        "Day 1",
        "Day 2",
    ]
    assert f'<a href="{reverse("campaigns:press_list")}">All press releases</a>' in html


# --- Sitemap --------------------------------------------------------------------------------


def test_sitemap_lists_partner_and_press_pages_and_public_releases_only(client, hidden_releases):
    public = PressReleaseFactory(slug="public-release")

    sitemap = whole_sitemap(client)

    locations = set(re.findall(r"<loc>http://testserver([^<]+)</loc>", sitemap))
    assert {"/en/partners/", "/en/press/", public.get_absolute_url()} <= locations
    assert not {"/en/press/draft/", "/en/press/scheduled/"} & locations


def test_published_excludes_drafts_and_future_releases(hidden_releases):
    public = PressReleaseFactory()

    assert list(PressRelease.objects.published()) == [public]


# --- Admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("public", "titles"), [("yes", ["Public release"]), ("no", ["Scheduled release", "Draft release"])]
)
def test_admin_press_list_filters_by_public(admin_client, hidden_releases, public, titles):
    PressReleaseFactory(title="Public release")

    response = admin_client.get(reverse("admin:campaigns_pressrelease_changelist"), {"public": public})

    assert sorted(r.title for r in response.context["cl"].result_list) == sorted(titles)


def test_admin_press_list_filters_by_campaign_and_searches(admin_client):
    campaign = CampaignFactory()
    PressReleaseFactory(title="Brussels 20 km", campaign=campaign)
    PressReleaseFactory(title="Brussels summit", campaign=CampaignFactory())
    PressReleaseFactory(title="Geneva forum", campaign=campaign)

    response = admin_client.get(
        reverse("admin:campaigns_pressrelease_changelist"),
        {"campaign__id__exact": campaign.pk, "q": "Brussels"},
    )

    assert [r.title for r in response.context["cl"].result_list] == ["Brussels 20 km"]


def test_press_release_published_after_server_start_is_listed_and_readable(client):
    # Proves "now" is taken per request, not when the views module was imported.
    release = PressReleaseFactory(title="Just out", published_at=timezone.now())

    html = client.get(reverse("campaigns:press_list")).content.decode()

    assert listed_titles(html) == ["Just out"]
    assert client.get(release.get_absolute_url()).status_code == 200


def test_press_dates_are_machine_readable_without_fractions_of_seconds(client):
    """HTML's datetime attribute allows no microseconds, which a release
    published with the current time has."""
    published = datetime(2017, 5, 26, 9, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Brussels"))
    release = PressReleaseFactory(published_at=published)

    for path in (reverse("campaigns:press_list"), reverse("campaigns:press_detail", args=[release.slug])):
        assert 'datetime="2017-05-26T09:30:15+02:00"' in client.get(path).content.decode()
