import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stories.models import Story
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def parse(response):
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)


def feed_entries(client):
    response = client.get(reverse("stories:story_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse(response).findall(f"{ATOM}entry")


def test_feed_lists_published_stories_newest_first(client):
    StoryFactory(published=True, title="Older", published_at="2026-01-01T10:00Z")
    StoryFactory(published=True, title="Newer", published_at="2026-02-01T10:00Z")
    StoryFactory(title="Pending")

    assert [entry.findtext(f"{ATOM}title") for entry in feed_entries(client)] == ["Newer", "Older"]


def test_feed_entry_links_to_the_story_with_its_tags(client):
    story = StoryFactory(published=True, tags=["work", "family"])

    (entry,) = feed_entries(client)

    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{story.get_absolute_url()}"
    assert sorted(category.get("term") for category in entry.findall(f"{ATOM}category")) == ["family", "work"]


def test_feed_shows_script_as_text(client):
    StoryFactory(published=True, title=SCRIPT, body=SCRIPT)

    (entry,) = feed_entries(client)

    # The title is plain text; the summary is HTML whose text is the escaped script.
    assert entry.findtext(f"{ATOM}title") == SCRIPT
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>"


def test_feed_names_the_public_display_name_only(client):
    StoryFactory(
        published=True,
        naming=Story.Naming.ANONYMOUS,
        name="Zebulon Quarrington",
        email="zq-private@example.org",
    )
    StoryFactory(published=True, naming=Story.Naming.FIRST_NAME, name="Amina Haddad")

    response = client.get(reverse("stories:story_feed"))

    authors = sorted(author.findtext(f"{ATOM}name") for author in parse(response).iter(f"{ATOM}author"))
    assert authors == ["Amina", "Anonymous"]
    for secret in [b"Zebulon", b"Quarrington", b"zq-private", b"Haddad", b"@example.org"]:
        assert secret not in response.content
