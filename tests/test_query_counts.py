"""Every public page runs at most four SQL queries for an anonymous reader
(without the page cache), and the same number with 5 stories as with 200,
with many pledges, events, sign-ups, press releases and partners (issue 12)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.demo import build_pledges
from campaigns.models import Campaign, Event, Pledge, PressRelease, SignUp
from stories.models import Story
from tests.campaigns.factories import (
    CampaignFactory,
    EventFactory,
    PartnerFactory,
    PressReleaseFactory,
    SignUpFactory,
)
from tests.stories.bulk import add_stories
from tests.stories.factories import make_photo_renditions

pytestmark = pytest.mark.django_db

BUDGET = 4

PAGES = {
    "home": lambda: reverse("home"),
    "about": lambda: reverse("about"),
    "privacy": lambda: reverse("privacy"),
    "stories": lambda: reverse("stories:story_list"),
    "stories, French reader": lambda: "/fr/stories/",
    "stories, older page": lambda: reverse("stories:story_list") + f"?before=1.{2 * 10**15}.1",
    "stories, filtered": lambda: reverse("stories:story_list") + "?role=refugee&country=SY&tag=family",
    "search": lambda: reverse("stories:story_list") + "?q=winter",
    "topic": lambda: reverse("stories:story_tag", args=["family"]),
    "story": lambda: Story.objects.published().earliest("pk").get_absolute_url(),
    "stories feed": lambda: reverse("stories:story_feed"),
    "transparency": lambda: reverse("stories:transparency"),
    "campaign": lambda: reverse("campaigns:campaign_detail", args=["together"]),
    "widget": lambda: reverse("campaigns:campaign_widget", args=["together"]),
    "stats.json": lambda: reverse("campaigns:campaign_stats", args=["together"]),
    "media kit": lambda: reverse("campaigns:media_kit", args=["together"]),
    "partners": lambda: reverse("campaigns:partner_list"),
    "partner toolkit": lambda: reverse("campaigns:partner_toolkit"),
    "press": lambda: reverse("campaigns:press_list"),
    "press release": lambda: PressRelease.objects.earliest("pk").get_absolute_url(),
    "press feed": lambda: reverse("campaigns:press_feed"),
    "events": lambda: reverse("campaigns:event_list"),
    "event": lambda: Event.objects.earliest("pk").get_absolute_url(),
    "event calendar": lambda: reverse("campaigns:event_calendar", args=[Event.objects.earliest("pk").slug]),
    "sitemap index": lambda: "/sitemap.xml",
    "sitemap, stories": lambda: "/sitemap-stories.xml",
    "sitemap, events": lambda: "/sitemap-events.xml",
    "sitemap, pages": lambda: "/sitemap-pages.xml",
}

def add_content(stories):
    """``stories`` published stories (and as many pending), with pledges,
    events with sign-ups, press releases and partners in proportion."""
    add_stories(stories, make_photo_renditions())
    campaign = Campaign.objects.filter(slug="together").first() or CampaignFactory(
        slug="together", is_active=True
    )
    done = Pledge.objects.filter(campaign=campaign).count()
    Pledge.objects.bulk_create(build_pledges(campaign, stories * 10, start=done), batch_size=2000)
    campaign.repair_pledge_counts()
    for _ in range(max(1, stories // 20)):
        event = EventFactory(campaign=campaign)
        past = EventFactory(
            campaign=campaign,
            starts_at=timezone.now() - timedelta(days=30),
            ends_at=timezone.now() - timedelta(days=29),
            signups_open_at=timezone.now() - timedelta(days=60),
        )
        SignUp.objects.bulk_create(
            SignUpFactory.build(
                event=shown, status=SignUp.Status.CONFIRMED, confirmed_at=timezone.now(), nationality="SY"
            )
            for shown in (event, past)
            for _ in range(10)
        )
        PressReleaseFactory(campaign=campaign)
        PartnerFactory(campaigns=[campaign])


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def small_site():
    add_content(5)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_as_many_queries_with_200_stories_as_with_5(client, small_site, page):
    with_5 = queries_of(client, PAGES[page]())

    add_content(195)

    assert queries_of(client, PAGES[page]()) == with_5


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_at_most_four_queries(client, small_site, page):
    assert queries_of(client, PAGES[page]()) <= BUDGET
