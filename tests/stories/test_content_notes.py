"""A story with a content note shows the note, and not its text, wherever the
text or an excerpt of it would appear; on its own page the text is folded
behind the note (issue 14)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.stories.factories import StoryFactory, StoryTranslationFactory

pytestmark = pytest.mark.django_db

NOTE = "Mentions a sea crossing."
BODY = "The boat was overcrowded and the waves were high all night."
ATOM = "{http://www.w3.org/2005/Atom}"


def noted_story(**fields):
    return StoryFactory(published=True, content_note=NOTE, body=BODY, **fields)


def meta_content(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def card_of(html, story):
    match = re.search(
        rf'<article class="story-card">(?:(?!</article>).)*{story.slug}.*?</article>', html, re.DOTALL
    )
    assert match, "no card for the story"
    return match.group()


def test_a_story_card_shows_the_note_instead_of_an_excerpt(client):
    story = noted_story(title="Crossing")

    html = client.get(reverse("stories:story_list")).content.decode()

    card = card_of(html, story)
    assert '<p class="story-card__excerpt story-card__content-note"><strong>Content note:</strong>' in card
    assert f'<bdi lang="en">{NOTE}</bdi>' in card
    assert "overcrowded" not in html


def test_a_story_card_without_a_note_keeps_its_excerpt(client):
    StoryFactory(published=True, body=BODY)

    html = client.get(reverse("stories:story_list")).content.decode()

    assert "The boat was overcrowded" in html
    assert "Content note:" not in html


def test_the_home_page_shows_a_featured_story_by_its_note(client):
    story = noted_story(is_featured=True)

    html = client.get("/en/").content.decode()

    assert story.title in html
    assert NOTE in html
    assert "overcrowded" not in html


def test_a_topic_page_shows_the_note_instead_of_the_text(client):
    noted_story(tags=["sea"])

    html = client.get(reverse("stories:story_tag", args=["sea"])).content.decode()

    assert NOTE in html
    assert "overcrowded" not in html


def test_search_results_show_the_note_even_when_the_text_matched(client):
    story = noted_story()

    html = client.get(reverse("stories:story_list"), {"q": "overcrowded"}).content.decode()

    assert NOTE in card_of(html, story)
    assert "The boat was" not in html


def test_a_translated_card_shows_the_note_not_the_translation(client):
    story = noted_story()
    StoryTranslationFactory(story=story, language="fr", published=True, body="Le bateau était surchargé.")

    html = client.get("/fr/stories/").content.decode()

    assert NOTE in card_of(html, story)
    assert "surchargé" not in html


def test_the_feed_summarises_a_noted_story_by_its_note_alone(client):
    noted_story()

    response = client.get(reverse("stories:story_feed"))

    (entry,) = ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own feed)
    assert entry.findtext(f"{ATOM}summary") == f"<p>Content note: {NOTE}</p>"
    assert b"overcrowded" not in response.content


def test_share_previews_describe_a_noted_story_by_its_note(client):
    story = noted_story(with_photo=True)

    html = client.get(story.get_absolute_url()).content.decode()

    assert meta_content(html, "property", "og:description") == f"Content note: {NOTE}"
    assert meta_content(html, "name", "twitter:description") == f"Content note: {NOTE}"
    assert meta_content(html, "name", "description") == f"Content note: {NOTE}"


def test_share_previews_of_a_story_without_a_note_quote_its_text(client):
    story = StoryFactory(published=True, body=BODY)

    html = client.get(story.get_absolute_url()).content.decode()

    assert meta_content(html, "property", "og:description") == BODY


def test_the_story_page_folds_the_text_behind_the_note(client):
    story = noted_story()

    html = client.get(story.get_absolute_url()).content.decode()

    fold = re.search(r'<details class="story-content-note-fold">.*?</details>', html, re.DOTALL)
    assert fold, "the text is not folded"
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", fold.group(), re.DOTALL).group(1)
    assert f'<strong>Content note:</strong> <bdi lang="en">{NOTE}</bdi>' in summary
    assert "overcrowded" not in summary
    assert f"<p>{BODY}</p>" in fold.group()
    assert html.count("overcrowded") == 1


def test_a_translated_story_page_folds_the_translation_behind_the_note(client):
    story = noted_story()
    StoryTranslationFactory(story=story, language="fr", published=True, body="Le bateau était surchargé.")

    html = client.get(f"/fr/stories/{story.slug}/").content.decode()

    fold = re.search(r'<details class="story-content-note-fold">.*?</details>', html, re.DOTALL).group()
    assert "<p>Le bateau était surchargé.</p>" in fold


def test_a_story_without_a_note_is_not_folded(client):
    story = StoryFactory(published=True, body=BODY)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "story-content-note" not in html
    assert f"<p>{BODY}</p>" in html
