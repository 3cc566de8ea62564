"""A story's share card: only with the storyteller's consent to social sharing;
without it a link preview shows the title only."""

import io
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from stories.models import Story
from tests.stories.factories import StoryFactory, StoryTranslationFactory
from tests.together.share_tags import assert_valid_share_card, meta_tags

pytestmark = pytest.mark.django_db

SITE_URL = "https://together.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def sharing_refused(monkeypatch):
    monkeypatch.setattr(Story, "allows_social_sharing", property(lambda story: False))


def tags_of(client, url):
    return meta_tags(client.get(url).content.decode())


def test_a_story_without_photo_gets_the_drawn_card(client):
    story = StoryFactory(published=True, title="A bakery in Liège")

    tags = tags_of(client, story.get_absolute_url())

    assert_valid_share_card(tags, title="A bakery in Liège", site_url=SITE_URL)
    assert tags["og:image"].startswith(f"{SITE_URL}/en/stories/{story.slug}/share.png?v=")
    assert tags["og:description"].startswith("We arrived in winter.")


def test_the_story_card_image_is_a_1200_by_630_png(client):
    story = StoryFactory(published=True)
    image_url = urlsplit(tags_of(client, story.get_absolute_url())["og:image"])

    response = client.get(f"{image_url.path}?{image_url.query}")

    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_a_story_with_a_photo_shares_its_photo(client):
    story = StoryFactory(published=True, with_photo=True)

    tags = tags_of(client, story.get_absolute_url())

    assert tags["og:image"].startswith(f"{SITE_URL}/media/")
    assert tags["og:image:alt"] == story.photo_alt_text


def test_without_consent_to_sharing_a_page_has_no_share_card_and_no_excerpt(client, sharing_refused):
    story = StoryFactory(published=True, with_photo=True, title="A bakery", body="Secret words of the story.")

    html = client.get(story.get_absolute_url()).content.decode()
    tags = meta_tags(html)

    # No card at all: a "this site only" story gives a link preview nothing.
    assert [name for name in tags if name.startswith(("og:", "twitter:"))] == []
    assert 'name="description" content="Secret words' not in html


def test_without_consent_to_sharing_the_share_image_is_not_found(client, sharing_refused):
    story = StoryFactory(published=True)

    response = client.get(reverse("stories:story_share_image", kwargs={"slug": story.slug}))

    assert response.status_code == 404


def test_an_unpublished_storys_share_image_is_not_found(client):
    story = StoryFactory(title="Still in moderation")

    assert client.get(reverse("stories:story_share_image", kwargs={"slug": story.slug})).status_code == 404


def test_the_card_of_a_translated_story_shows_the_translation_and_the_original_its_own(client):
    story = StoryFactory(published=True, language="ar", title="مفتاح البيت")
    StoryTranslationFactory(story=story, published=True, language="en", title="The house key")

    translated = tags_of(client, story.get_absolute_url())
    original = tags_of(client, story.get_absolute_url() + "?original=1")

    assert translated["og:image:alt"].startswith("The house key, ")
    assert original["og:image"].startswith(f"{SITE_URL}/en/stories/{story.slug}/share.png?original=1&v=")
    assert translated["og:image"] != original["og:image"]
