"""Searching stories by their words (stories/search.py, StoryQuerySet.search):
word forms in each story's language, unsegmented scripts, any query safe.
Run on SQLite (the stemmed fallback) and on PostgreSQL (full-text search)."""

import pytest
from django.urls import reverse

from stories.models import Story
from stories.search import MAX_QUERY_LENGTH, MAX_QUERY_TERMS, Term, parse_query
from tests.stories.factories import StoryFactory, StoryTranslationFactory

pytestmark = pytest.mark.django_db

CHINESE_BODY = "我们刚到布鲁塞尔的时候，谁也不认识。街角面包店的老板每天早上给孩子们两个羊角面包。"  # noqa: RUF001


def found(query):
    return sorted(Story.objects.published().search(query).values_list("title", flat=True))


# --- Word forms in the story's own language -----------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "body", "query"),
    [
        ("en", "The bakery on the corner", "She gave my children bread.", "bakeries"),
        ("en", "Our new neighbours", "The bakers arrived before dawn.", "baker arriving"),
        ("fr", "La boulangerie du coin", "Elle donnait du pain à mes enfants.", "boulangeries"),
        ("fr", "Le travail", "Mon père travaillait la nuit à l'usine.", "travailler"),
        ("ru", "Пекарня на углу", "Она давала моим детям хлеб.", "пекарни"),
        ("ru", "Соседи", "Мы приехали зимой, и соседи принесли суп.", "сосед"),
        ("es", "La panadería de la esquina", "Nos regalaba pan cada mañana.", "panaderías"),
        ("es", "Vivir en otra ciudad", "Vivíamos con una prima en Bogotá.", "vivir"),
    ],
)
def test_another_form_of_a_word_finds_the_story_in_its_language(language, title, body, query):
    StoryFactory(published=True, language=language, title=title, body=body)
    StoryFactory(published=True, language=language, title="Unrelated", body="Rain, rain, rain.")

    assert found(query) == [title]


def test_the_list_page_finds_the_bakery_story_when_searching_bakeries(client):
    StoryFactory(published=True, title="The bakery on the corner", body="Two croissants every morning.")
    StoryFactory(published=True, title="Football on Sundays", body="We play in the park.")

    html = client.get(reverse("stories:story_list"), {"q": "bakeries"}).content.decode()

    assert "The bakery on the corner" in html
    assert "Football on Sundays" not in html


def test_a_chinese_word_finds_the_chinese_story_that_contains_it():
    StoryFactory(published=True, language="zh-hans", title="街角的面包店", body=CHINESE_BODY)
    StoryFactory(published=True, language="zh-hans", title="足球", body="我们每个星期天在公园里踢足球。")

    assert found("面包") == ["街角的面包店"]


def test_a_chinese_word_in_the_text_only_finds_the_story():
    StoryFactory(published=True, language="zh-hans", title="新的生活", body=CHINESE_BODY)

    assert found("羊角") == ["新的生活"]


def test_a_word_in_a_language_without_a_stemmer_is_found_as_written():
    StoryFactory(published=True, language="so", title="Guriga cusub", body="Waxaan nimid xilli qabow.")

    assert found("qabow") == ["Guriga cusub"]


def test_an_arabic_word_with_vowel_signs_is_one_word():
    StoryFactory(published=True, language="ar", title="المخبز", body="كَتَبَ أبي رسالة إلى جيراننا.")

    assert found("كَتَبَ") == ["المخبز"]


def test_a_word_only_in_an_unpublished_story_finds_nothing():
    StoryFactory(title="The bakery, pending")
    StoryFactory(unpublished=True, title="The bakery, unpublished")

    assert found("bakery") == []


# --- Query syntax ---------------------------------------------------------------------


def test_a_minus_excludes_stories_with_the_word():
    StoryFactory(published=True, title="The bakery", body="Bread every morning.")
    StoryFactory(published=True, title="Another bakery", body="Cakes on Sunday.")

    assert found("bakeries -bread") == ["Another bakery"]


def test_or_finds_stories_with_either_word():
    StoryFactory(published=True, title="The bakery", body="Bread every morning.")
    StoryFactory(published=True, title="Football", body="On Sundays in the park.")
    StoryFactory(published=True, title="Rain", body="Grey skies.")

    assert found("bakery or football") == ["Football", "The bakery"]


def test_a_quoted_phrase_needs_its_words_in_a_row():
    StoryFactory(published=True, title="Corner", body="The bakery on the corner opened early.")
    StoryFactory(published=True, title="Apart", body="The corner shop, and later a bakery.")

    assert found('"bakery on the corner"') == ["Corner"]


def test_words_all_need_to_be_in_the_story():
    StoryFactory(published=True, title="The bakery", body="Bread every morning.")
    StoryFactory(published=True, title="The bread", body="Flour and water.")

    assert found("bakery bread") == ["The bakery"]


@pytest.mark.parametrize(
    "query",
    [
        "-" * 33,
        "-" * 1000,
        '"unbalanced quote',
        'bakery "',
        '" - OR :* &|! <-> (a | b) !c',
        "x" * 1000,
        "bakery " * 143,
        "or or or",
        '"' + "a " * 100 + '"',
        "面包 bakery خبز пекарня",
        "\u200f\u202e\u0000 tab\tnew\nline",
        "'; DROP TABLE stories_story; --",
    ],
    ids=[
        "33 hyphens",
        "1000 hyphens",
        "unbalanced quote",
        "trailing quote",
        "operators",
        "1000 characters",
        "1000 characters of words",
        "only or",
        "a 100-word phrase",
        "mixed scripts",
        "control characters",
        "sql",
    ],
)
def test_any_query_answers_a_page(client, query):
    StoryFactory(published=True, title="The bakery")

    response = client.get(reverse("stories:story_list"), {"q": query})

    assert response.status_code == 200


def test_a_long_query_is_searched_by_its_beginning_only(client):
    StoryFactory(published=True, title="The bakery on the corner")
    StoryFactory(published=True, title="Football on Sundays")

    query = "bakeries" + " " * 1000 + "football"
    html = client.get(reverse("stories:story_list"), {"q": query}).content.decode()

    assert "The bakery on the corner" in html
    assert "Football on Sundays" not in html


def test_parse_query_reads_only_the_first_characters():
    assert parse_query("a" * (MAX_QUERY_LENGTH - 1) + " bakery") == [[Term(("a" * (MAX_QUERY_LENGTH - 1),))]]


def test_parse_query_keeps_at_most_the_maximum_number_of_terms():
    terms = parse_query(" ".join(f"w{number}" for number in range(40)))

    assert len(terms[0]) == MAX_QUERY_TERMS


def test_parse_query_reads_hyphens_without_a_word_as_nothing():
    assert parse_query("-" * 33) == []


def test_parse_query_reads_punctuated_words_as_a_phrase():
    assert parse_query("co-operation --bread") == [
        [Term(("co", "operation")), Term(("bread",), excluded=True)]
    ]


# --- The stored search columns stay right -----------------------------------------------


def test_a_moderators_correction_is_searched_with_the_new_text(moderator):
    story = StoryFactory(published=True, title="A home", body="We lived above the bakery of Rue Haute.")

    story.redact(by=moderator, body="We lived above a bakery in the town centre.")

    assert found("haute") == []
    assert found("centre") == ["A home"]


def test_a_storytellers_change_of_language_is_searched_in_the_new_language():
    story = StoryFactory(changes_requested=True, language="en", title="Le pain", body="Les boulangeries.")

    story.edit_by_storyteller(language="fr")
    story.status = Story.Status.PUBLISHED
    story.published_at = story.submitted_at
    story.save()

    assert found("boulangerie") == ["Le pain"]


def test_a_withdrawn_story_keeps_no_searchable_words():
    story = StoryFactory(published=True, title="The bakery", body="Rami from Homs.")

    story.withdraw()

    story.refresh_from_db()
    assert story.search_words == ""
    assert not Story.objects.filter(pk=story.pk).search("homs").exists()
    assert not Story.objects.filter(pk=story.pk, search_words__contains="hom").exists()


def test_a_story_published_later_keeps_its_searchable_words(moderator):
    story = StoryFactory(title="The bakery")

    story.publish(by=moderator)

    assert found("bakeries") == ["The bakery"]


# --- Translations -----------------------------------------------------------------------


def test_a_published_translation_finds_its_story_in_the_translations_language():
    translation = StoryTranslationFactory(
        published=True, title="La boulangerie du coin", body="Elle donnait du pain à mes enfants."
    )
    StoryFactory(published=True, title="Unrelated", body="Rain.")

    assert found("boulangeries") == [translation.story.title]


def test_a_pending_translation_finds_nothing():
    StoryTranslationFactory(title="La boulangerie du coin")

    assert found("boulangeries") == []


def test_a_translation_of_an_unpublished_story_finds_nothing(moderator):
    translation = StoryTranslationFactory(published=True, title="La boulangerie du coin")

    translation.story.unpublish(by=moderator)

    assert Story.objects.search("boulangeries").published().count() == 0
    assert Story.objects.search("boulangeries").count() == 0


def test_a_chinese_translation_finds_its_story_by_a_chinese_word():
    translation = StoryTranslationFactory(
        published=True, language="zh-hans", title="街角的面包店", body=CHINESE_BODY
    )

    assert found("面包") == [translation.story.title]


def test_an_edited_translation_is_searched_with_its_new_text(moderator):
    translation = StoryTranslationFactory(published=True, title="La boulangerie", body="Du pain le matin.")

    translation.edit(by=translation.translated_by, body="Des croissants le matin.")
    translation.publish(by=moderator)

    assert found("pain") == []
    assert found("croissant") == [translation.story.title]
