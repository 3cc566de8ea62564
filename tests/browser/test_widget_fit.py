"""The counter widget fits its documented frame in every language, nothing cut off.

Partners frame it at any width from WIDGET_MIN_WIDTH to WIDGET_WIDTH and
WIDGET_HEIGHT high (the partner toolkit and the README say so): measured
here in Chromium with the demo campaign's title in each language and the
longest figures the counter shows (seven digits, a goal of ten million, and
paper pledges, which add a line that names online and paper figures apart)."""

import pytest
from django.conf import settings

from campaigns.demo_translations import translated_columns
from campaigns.models import Campaign
from campaigns.views import WIDGET_HEIGHT, WIDGET_MIN_WIDTH, WIDGET_WIDTH
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Everything in the widget's page must lie inside the frame: the page does
# not scroll, and no element (the button above all) reaches past its edges.
MEASURE = """() => {
  const root = document.documentElement;
  const parts = [...document.querySelectorAll("main *")].map((element) => element.getBoundingClientRect());
  return {
    scrollWidth: root.scrollWidth,
    scrollHeight: root.scrollHeight,
    right: Math.max(...parts.map((box) => box.right)),
    left: Math.min(...parts.map((box) => box.left)),
    bottom: Math.max(...parts.map((box) => box.bottom)),
    button: document.querySelector(".widget .button").getBoundingClientRect().bottom,
  };
}"""


@pytest.fixture
def campaign():
    campaign = CampaignFactory(
        slug="together",
        is_active=True,
        title="TOGETHER: respect, safety and dignity for all",
        pledge_goal=10_000_000,
        **translated_columns("campaign", "together"),
    )
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_pledges=1_234_567, paper_pledges=345_678)
    return campaign


@pytest.mark.parametrize("width", [WIDGET_MIN_WIDTH, WIDGET_WIDTH])
@pytest.mark.parametrize("language", LANGUAGES)
def test_widget_fits_its_documented_frame(page, campaign, language, width):
    page.set_viewport_size({"width": width, "height": WIDGET_HEIGHT})
    page.goto(f"/{language}/campaigns/together/widget/")

    size = page.evaluate(MEASURE)

    assert size["scrollWidth"] <= width
    assert size["scrollHeight"] <= WIDGET_HEIGHT
    assert size["left"] >= 0
    assert size["right"] <= width
    assert size["bottom"] <= WIDGET_HEIGHT
    assert size["button"] <= WIDGET_HEIGHT
