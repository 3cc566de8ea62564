"""The public pages and translations: a reader of the translation's language
reads it (saying where it comes from, with the original one click away),
every other reader reads the original, and nothing unpublished shows."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from stories.models import StoryTranslation
from tests.stories.factories import ModeratorFactory, StoryFactory, StoryTranslationFactory

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "مفتاح البيت"
ARABIC_BODY = "ما زلت أحمل مفتاح بيتنا القديم في جيبي.\n\nصار في جيبي مفتاحان."  # noqa: RUF001 (Arabic text)


def url_in(language, story, query=""):
    with translation.override(language):
        return story.get_absolute_url() + query


def list_url_in(language):
    with translation.override(language):
        return reverse("stories:story_list")


def card_titles(response):
    return re.findall(r'class="story-card__title"[^>]*><a [^>]*>([^<]*)</a>', response.content.decode())


@pytest.fixture
def arabic_story():
    return StoryFactory(published=True, language="ar", title=ARABIC_TITLE, body=ARABIC_BODY)


@pytest.fixture
def french_translation(arabic_story):
    return StoryTranslationFactory(
        story=arabic_story,
        published=True,
        language="fr",
        title="La clé de la maison",
        body="Je porte toujours la clé de notre ancienne maison.\n\nJ'ai maintenant deux clés.",
    )


# --- The story page ----------------------------------------------------------------


def test_french_reader_sees_the_french_translation(client, french_translation):
    html = client.get(url_in("fr", french_translation.story)).content.decode()

    assert '<h1 id="story-title" lang="fr" dir="auto">La clé de la maison</h1>' in html
    assert (
        '<div class="story-text prose" lang="fr" dir="auto"><p>Je porte toujours la clé de notre '
        "ancienne maison.</p>\n<p>J&#x27;ai maintenant deux clés.</p></div>"
    ) in html
    assert ARABIC_BODY.split("\n")[0] not in html


def test_reader_is_told_the_translation_comes_from_the_story_language(client, arabic_story):
    # In English, whose page strings are the source text (other catalogues may
    # not have the sentence yet).
    StoryTranslationFactory(story=arabic_story, published=True, language="en", title="The house key")

    html = client.get(url_in("en", arabic_story)).content.decode()

    assert (
        '<p class="story-translation">Translated from Arabic by a volunteer · '
        '<a href="?original=1" hreflang="ar" rel="alternate">Read the original in Arabic</a></p>'
    ) in html


def test_french_reader_is_told_the_language_name_in_french(client, french_translation):
    html = client.get(url_in("fr", french_translation.story)).content.decode()

    assert re.search(r'<p class="story-translation">[^<]*Arabe[^<]*<a [^>]*>[^<]*Arabe[^<]*</a></p>', html)


def test_french_reader_has_a_link_to_the_original(client, french_translation):
    html = client.get(url_in("fr", french_translation.story)).content.decode()

    assert re.search(r'<a href="\?original=1" hreflang="ar" rel="alternate">[^<]+</a>', html)


def test_original_link_shows_the_arabic_text(client, french_translation):
    html = client.get(url_in("fr", french_translation.story, "?original=1")).content.decode()

    assert f'<h1 id="story-title" lang="ar" dir="auto">{ARABIC_TITLE}</h1>' in html
    assert '<div class="story-text prose" lang="ar" dir="auto">' in html
    assert "<p>ما زلت أحمل مفتاح بيتنا القديم في جيبي.</p>" in html
    assert "La clé de la maison" not in html


def test_original_page_links_back_to_the_translation(client, french_translation):
    story = french_translation.story

    html = client.get(url_in("fr", story, "?original=1")).content.decode()

    assert f'<a href="{url_in("fr", story)}" hreflang="fr" rel="alternate">' in html


def test_english_reader_sees_the_original(client, french_translation):
    html = client.get(url_in("en", french_translation.story)).content.decode()

    assert f'<h1 id="story-title" lang="ar" dir="auto">{ARABIC_TITLE}</h1>' in html
    assert "La clé de la maison" not in html
    assert "Translated from" not in html
    assert "?original=1" not in html


def test_pending_translation_is_never_shown(client, arabic_story):
    StoryTranslationFactory(story=arabic_story, language="fr", title="La clé, brouillon")

    html = client.get(url_in("fr", arabic_story)).content.decode()

    assert f'<h1 id="story-title" lang="ar" dir="auto">{ARABIC_TITLE}</h1>' in html
    assert "La clé, brouillon" not in html
    assert "?original=1" not in html


def test_returned_translation_is_not_shown(client, french_translation):
    french_translation.return_for_changes(by=ModeratorFactory(), note="Un contresens.")

    html = client.get(url_in("fr", french_translation.story)).content.decode()

    assert "La clé de la maison" not in html


def test_unpublished_story_hides_its_translation_page(client, french_translation):
    french_translation.story.unpublish(by=ModeratorFactory())

    response = client.get(url_in("fr", french_translation.story))

    assert response.status_code == 404


def test_unpublished_story_hides_its_translation_from_the_list(client, french_translation):
    StoryFactory(published=True, title="Still public")
    french_translation.story.unpublish(by=ModeratorFactory())

    response = client.get(list_url_in("fr"))

    assert card_titles(response) == ["Still public"]


def test_translation_text_is_escaped_like_a_story(client, arabic_story):
    StoryTranslationFactory(
        story=arabic_story, published=True, body="<script>alert(1)</script>\nVoir https://example.org"
    )

    html = client.get(url_in("fr", arabic_story)).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a>' in html


def test_page_title_and_preview_use_the_translation(client, french_translation):
    html = client.get(url_in("fr", french_translation.story)).content.decode()

    assert '<meta property="og:title" content="La clé de la maison">' in html
    assert re.search(r"<title>La clé de la maison", html)


# --- The story list ------------------------------------------------------------------


def test_list_puts_stories_in_or_translated_into_the_reader_language_first(client, french_translation):
    french_translation.story.__class__.objects.filter(pk=french_translation.story_id).update(
        published_at="2026-01-01T10:00Z"
    )
    StoryFactory(published=True, title="Newest, English", published_at="2026-03-01T10:00Z")
    StoryFactory(published=True, title="Écrit en français", language="fr", published_at="2026-02-01T10:00Z")

    response = client.get(list_url_in("fr"))

    assert card_titles(response) == ["Écrit en français", "La clé de la maison", "Newest, English"]


def test_list_keeps_newest_first_for_a_reader_of_no_story_language(client, french_translation):
    french_translation.story.__class__.objects.filter(pk=french_translation.story_id).update(
        published_at="2026-01-01T10:00Z"
    )
    StoryFactory(published=True, title="Newest, English", published_at="2026-03-01T10:00Z")

    response = client.get(list_url_in("nl"))

    assert card_titles(response) == ["Newest, English", ARABIC_TITLE]


def test_list_card_shows_the_translation_in_the_reader_language(client, french_translation):
    html = client.get(list_url_in("fr")).content.decode()

    assert (
        f'lang="fr" dir="auto"><a href="{url_in("fr", french_translation.story)}">La clé de la maison</a>'
        in html
    )
    assert '<p class="story-card__excerpt" lang="fr" dir="auto">Je porte toujours' in html


def test_list_card_shows_the_original_to_other_readers(client, french_translation):
    html = client.get(list_url_in("en")).content.decode()

    assert re.search(rf'lang="ar" dir="auto"><a href="[^"]+">{ARABIC_TITLE}</a>', html)
    assert "La clé de la maison" not in html


def test_list_card_never_shows_a_pending_translation(client, arabic_story):
    StoryTranslationFactory(story=arabic_story, language="fr", title="La clé, brouillon")

    response = client.get(list_url_in("fr"))

    assert card_titles(response) == [ARABIC_TITLE]


def test_storyteller_withdrawing_takes_away_the_original_and_its_translation(client, french_translation):
    """The whole path: French readers see the translation and the way to the
    original; the storyteller withdraws through the private link; neither the
    translation nor the original is left anywhere public."""
    story = french_translation.story
    french_page, original_page = url_in("fr", story), url_in("fr", story, "?original=1")
    assert "La clé de la maison" in client.get(french_page).content.decode()
    assert ARABIC_TITLE in client.get(original_page).content.decode()

    with translation.override("ar"):
        withdraw_url = reverse("stories:story_withdraw", args=[story.manage_token()])
    client.post(withdraw_url)

    assert [client.get(french_page).status_code, client.get(original_page).status_code] == [404, 404]
    listing = client.get(list_url_in("fr")).content.decode()
    assert "La clé de la maison" not in listing
    assert ARABIC_TITLE not in listing
    assert not StoryTranslation.objects.filter(story=story).exists()
