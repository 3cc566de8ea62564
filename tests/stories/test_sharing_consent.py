"""Where a story may appear (Story.sharing): chosen on the sharing form,
changed from the private page, obeyed by every surface outside the site's
own pages (the Atom feed, share cards, what partners and the press get)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stories.models import SHARING_CONSENT_VERSION, ModerationLogEntry, Story
from tests.stories.factories import StoryFactory
from tests.stories.sharing import manage_url, story_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE, PARTNERS, PRESS = Story.Sharing.SITE, Story.Sharing.PARTNERS, Story.Sharing.PRESS


def feed_titles(client):
    feed = ET.fromstring(client.get(reverse("stories:story_feed")).content)  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def story_page(client, story):
    return client.get(story.get_absolute_url()).content.decode()


def share_card_tags(html):
    return [tag for tag in ("og:title", "og:description", "og:image", "twitter:card") if tag in html]


# --- The Atom feed (read by partners and aggregators) -----------------------------


def test_a_site_only_story_is_absent_from_the_feed(client):
    StoryFactory(published=True, sharing=SITE, title="Only here")

    assert feed_titles(client) == []


@pytest.mark.parametrize("level", [PARTNERS, PRESS])
def test_a_story_shared_with_partners_or_wider_is_in_the_feed(client, level):
    StoryFactory(published=True, sharing=level, title="Shared")

    assert feed_titles(client) == ["Shared"]


# --- Share cards on the story page ---------------------------------------------------


@pytest.mark.parametrize("level", [SITE, PARTNERS])
def test_a_story_not_shared_with_social_media_has_no_share_card_tags(client, level):
    story = StoryFactory(published=True, sharing=level, with_photo=True, photo_alt_text="A tree")

    html = story_page(client, story)

    assert story.title in html  # the page itself is shown
    assert share_card_tags(html) == []
    assert story.allows_social_sharing is False


def test_a_story_shared_with_social_media_has_its_share_card_tags(client):
    story = StoryFactory(published=True, sharing=PRESS, with_photo=True, photo_alt_text="A tree")

    assert share_card_tags(story_page(client, story)) == [
        "og:title",
        "og:description",
        "og:image",
        "twitter:card",
    ]
    assert story.allows_social_sharing is True


def test_only_a_published_story_allows_social_sharing():
    assert StoryFactory(sharing=PRESS).allows_social_sharing is False


# --- What partners and the press receive ------------------------------------------------


def test_partners_receive_the_published_stories_shared_with_partners_or_wider():
    StoryFactory(published=True, sharing=SITE)
    partners = StoryFactory(published=True, sharing=PARTNERS)
    press = StoryFactory(published=True, sharing=PRESS)
    StoryFactory(sharing=PRESS)  # pending: never public

    assert set(Story.objects.for_partners()) == {partners, press}


def test_the_press_receives_only_the_published_stories_shared_with_the_press():
    StoryFactory(published=True, sharing=SITE)
    StoryFactory(published=True, sharing=PARTNERS)
    press = StoryFactory(published=True, sharing=PRESS)
    StoryFactory(sharing=PRESS)

    assert list(Story.objects.for_press()) == [press]


# --- Choosing on the sharing form ---------------------------------------------------------


def test_the_sharing_form_offers_the_narrowest_level_preselected(client):
    html = client.get(reverse("stories:story_create")).content.decode()

    assert 'name="sharing" value="site"' in html
    assert html.index('value="site"') < html.index('value="partners"') < html.index('value="press"')
    assert 'value="site" required id="id_sharing_0" checked' in html


def test_the_sharing_form_records_the_choice_and_its_wording_version(client):
    client.post(reverse("stories:story_create"), story_data(sharing="partners"))

    story = Story.objects.get()
    assert (story.sharing, story.sharing_consent_version) == (PARTNERS, SHARING_CONSENT_VERSION)


def test_the_sharing_form_refuses_an_unknown_level(client):
    response = client.post(reverse("stories:story_create"), story_data(sharing="everyone"))

    assert response.status_code == 200
    assert "sharing" in response.context["form"].errors
    assert not Story.objects.exists()


# --- Changing it from the private page --------------------------------------------------------


def test_the_private_page_shows_the_current_choice(client):
    story = StoryFactory(published=True, sharing=PARTNERS)

    html = client.get(manage_url(story)).content.decode()

    assert 'value="partners" required id="id_sharing_1" checked' in html


def test_narrowing_from_the_private_page_takes_effect_at_once_everywhere(client):
    story = StoryFactory(published=True, sharing=PRESS, title="Mine")
    assert feed_titles(client) == ["Mine"]

    response = client.post(manage_url(story, "sharing"), {"sharing": "site"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.sharing == SITE
    assert feed_titles(client) == []
    assert share_card_tags(story_page(client, story)) == []
    assert not Story.objects.for_partners().exists()
    assert not Story.objects.for_press().exists()


def test_a_change_of_sharing_is_logged_without_personal_data(client):
    story = StoryFactory(published=True, sharing=PRESS, sharing_consent_version="old")

    client.post(manage_url(story, "sharing"), {"sharing": "partners"})

    story.refresh_from_db()
    entry = story.log_entries.get(action=ModerationLogEntry.Action.CHANGE_SHARING)
    assert (entry.by_storyteller, entry.actor, entry.note) == (True, None, "press → partners")
    assert (entry.from_status, entry.to_status) == ("published", "published")
    assert story.sharing_consent_version == SHARING_CONSENT_VERSION


def test_widening_needs_a_new_explicit_choice_and_works(client):
    story = StoryFactory(published=True, sharing=SITE, title="Mine")

    client.post(manage_url(story, "sharing"), {"sharing": "press"})

    assert feed_titles(client) == ["Mine"]


def test_an_unknown_choice_from_the_private_page_changes_nothing(client):
    story = StoryFactory(published=True, sharing=PARTNERS)

    response = client.post(manage_url(story, "sharing"), {"sharing": "everyone"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    story.refresh_from_db()
    assert story.sharing == PARTNERS
    assert not story.log_entries.filter(action=ModerationLogEntry.Action.CHANGE_SHARING).exists()


def test_a_withdrawn_story_cannot_be_shared_again(client):
    story = StoryFactory(published=True, sharing=SITE)
    story.withdraw()

    response = client.post(manage_url(story, "sharing"), {"sharing": "press"}, follow=True)

    assert "This story is withdrawn: it appears nowhere." in response.content.decode()
    story.refresh_from_db()
    assert story.sharing == SITE


def test_a_tampered_link_cannot_change_the_sharing(client):
    story = StoryFactory(published=True, sharing=SITE)

    response = client.post(f"/en/stories/manage/{story.manage_token()}x/sharing/", {"sharing": "press"})

    assert response.status_code == 404
    story.refresh_from_db()
    assert story.sharing == SITE
