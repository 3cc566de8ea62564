"""Issue 12: the home page transfers under 60 KB before photos (HTML, CSS, JS,
fonts and icons, counted as production serves them: see page_weight). The
Arabic page is checked too: right-to-left rules, Arabic text (two bytes a
letter in UTF-8) and any font a script needs must fit as well.

The page is filled to its most: an active campaign, every featured story,
upcoming event and press release it shows, each with its longest title and
summary (the demo content is lighter; loading it takes seconds)."""

import pytest

from campaigns.models import Campaign, Event, PressRelease
from stories.models import Story
from tests.campaigns.factories import CampaignFactory, EventFactory, PressReleaseFactory
from tests.stories.factories import StoryFactory
from tests.together.page_weight import page_weight
from together.views import FEATURED_STORIES_ON_HOME

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024
SHOWN = 3  # upcoming events and press releases on the home page


def longest(model, field_name, word="Together"):
    length = model._meta.get_field(field_name).max_length
    return (f"{word} " * length)[:length].strip()


@pytest.fixture
def full_home_page():
    campaign = CampaignFactory(
        is_active=True, title=longest(Campaign, "title"), summary="People standing together. " * 20
    )
    StoryFactory.create_batch(
        FEATURED_STORIES_ON_HOME,
        featured=True,
        with_photo=True,
        title=longest(Story, "title", "Neighbours"),
        photo_alt_text=longest(Story, "photo_alt_text", "Neighbours"),
        tags=["family", "neighbours", "work", "welcome"],
    )
    EventFactory.create_batch(
        SHOWN, campaign=campaign, title=longest(Event, "title"), summary=longest(Event, "summary")
    )
    PressReleaseFactory.create_batch(
        SHOWN, title=longest(PressRelease, "title"), summary=longest(PressRelease, "summary")
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_home_page_transfers_under_60_kb_before_photos(client, full_home_page, language):
    weight = page_weight(client, f"/{language}/")

    assert weight.total < LIMIT, str(weight)


def test_page_weight_counts_the_html_and_the_stylesheet_of_the_home_page(client, full_home_page):
    weight = page_weight(client, "/en/")

    assert weight.html > 0
    assert set(weight.assets) >= {"css/site.css", "img/favicon.svg"}
