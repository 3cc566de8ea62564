"""Share cards of the campaign, event and press release pages: the tags, and the image they name."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory, PressReleaseFactory
from tests.together.share_tags import assert_valid_share_card, meta_tags

pytestmark = pytest.mark.django_db

SITE_URL = "https://together.example"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "share-cards"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def page_tags(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return meta_tags(response.content.decode())


def image_from(client, tags):
    """The image the tags name, fetched from this site."""
    url = urlsplit(tags["og:image"])
    response = client.get(url.path, {"v": url.query.removeprefix("v=")})
    assert response.status_code == 200
    return response, Image.open(io.BytesIO(response.content))


def test_the_campaign_page_has_a_valid_large_image_card_with_its_counter(client):
    campaign = CampaignFactory(title="Together", summary="Stand with refugees.")

    tags = page_tags(client, campaign.get_absolute_url())

    assert_valid_share_card(tags, title="Together", site_url=SITE_URL)
    assert tags["og:description"] == tags["twitter:description"] == "Stand with refugees."
    assert tags["og:url"] == f"{SITE_URL}/en/campaigns/{campaign.slug}/"
    assert tags["og:image"].startswith(f"{SITE_URL}/en/campaigns/{campaign.slug}/share.png?v=")
    assert tags["og:image:alt"] == "Together, 0 people have pledged, TOGETHER"


def test_the_campaign_image_changes_address_when_the_counter_does(client):
    campaign = CampaignFactory()
    before = page_tags(client, campaign.get_absolute_url())["og:image"]

    PledgeFactory(campaign=campaign).confirm()
    after = page_tags(client, campaign.get_absolute_url())

    assert after["og:image"] != before
    assert after["og:image:alt"].endswith(", 1 person has pledged, TOGETHER")


def test_the_campaign_image_is_a_1200_by_630_png_cached_for_a_year(client):
    campaign = CampaignFactory()
    response, image = image_from(client, page_tags(client, campaign.get_absolute_url()))

    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_event_page_has_a_valid_large_image_card(client):
    event = EventFactory(title="Brussels 20 km", summary="Run with the UN team.")

    tags = page_tags(client, event.get_absolute_url())

    assert_valid_share_card(tags, title="Brussels 20 km", site_url=SITE_URL)
    assert tags["og:description"] == "Run with the UN team."
    assert tags["og:image"].startswith(f"{SITE_URL}/en/events/{event.slug}/share.png?v=")
    _response, image = image_from(client, tags)
    assert image.size == (1200, 630)


def test_the_event_card_gives_the_day_in_the_events_time_zone(client):
    year = timezone.now().year + 1
    event = EventFactory(title="Night walk", starts_at=datetime(year, 5, 31, 22, 30, tzinfo=UTC))

    tags = page_tags(client, event.get_absolute_url())

    # 22:30 UTC is already 1 June in Brussels.
    assert tags["og:image:alt"] == f"Night walk, June 1, {year}, TOGETHER"


def test_the_press_release_page_has_a_valid_article_card(client):
    release = PressReleaseFactory(
        title="UN team runs the 20 km", summary="Fifty runners, fifteen nationalities."
    )

    tags = page_tags(client, release.get_absolute_url())

    assert_valid_share_card(tags, title="UN team runs the 20 km", site_url=SITE_URL)
    assert tags["og:type"] == "article"
    assert tags["og:description"] == "Fifty runners, fifteen nationalities."
    assert tags["og:image:alt"].startswith("UN team runs the 20 km, Press release, ")
    _response, image = image_from(client, tags)
    assert image.size == (1200, 630)


def test_an_embargoed_release_has_no_share_image(client):
    release = PressReleaseFactory(published_at=timezone.now() + timedelta(hours=2))

    response = client.get(reverse("campaigns:press_share_image", kwargs={"slug": release.slug}))

    assert response.status_code == 404


def test_a_card_is_in_the_pages_language(client):
    campaign = CampaignFactory(title="Together")

    english = page_tags(client, campaign.get_absolute_url())
    with_french = page_tags(client, f"/fr/campaigns/{campaign.slug}/")

    assert with_french["og:image"].startswith(f"{SITE_URL}/fr/campaigns/{campaign.slug}/share.png?v=")
    assert urlsplit(with_french["og:image"]).query != urlsplit(english["og:image"]).query


def test_a_share_image_of_an_unknown_page_is_not_found(client):
    assert client.get("/en/campaigns/nothing-here/share.png").status_code == 404
    assert client.get("/en/events/nothing-here/share.png").status_code == 404
    assert client.get("/en/press/nothing-here/share.png").status_code == 404


@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "معاً من أجل اللاجئين والمهاجرين"), ("zh-hans", "携手同行：难民与移民的故事")],  # noqa: RUF001
)
def test_the_campaign_image_in_arabic_and_chinese_is_saved_for_review(client, language, title):
    campaign = CampaignFactory()
    setattr(campaign, f"title_{language.replace('-', '_')}", title)
    campaign.save()

    tags = page_tags(client, f"/{language}/campaigns/{campaign.slug}/")
    response, image = image_from(client, tags)

    assert tags["og:title"] == title
    assert image.size == (1200, 630)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"campaign-{language}.png").write_bytes(response.content)
