"""The public story pages: list, search, tag pages, story page, reports (the
storyteller's pages are tested in test_views.py)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stories.forms import ReportForm
from stories.models import Report, Story
from tests.sitemaps import whole_sitemap
from tests.stories.factories import StoryFactory
from tests.stories.pages import list_titles, page_link

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def report_data(**data):
    """A filled-in report form, as the browser sends it (with its start time)."""
    return {"started": ReportForm()["started"].value(), "reason": "spam", **data}


# --- List ------------------------------------------------------------------------


def test_list_shows_published_stories_newest_first(client):
    StoryFactory(published=True, title="Older", published_at="2026-01-01T10:00Z")
    StoryFactory(published=True, title="Newer", published_at="2026-02-01T10:00Z")

    response = client.get(reverse("stories:story_list"))

    assert list_titles(response) == ["Newer", "Older"]


def test_list_leaves_out_every_story_that_is_not_published(client):
    StoryFactory(title="Pending")
    StoryFactory(title="Asked to change", changes_requested=True)
    StoryFactory(title="Declined", declined=True)
    StoryFactory(title="Unpublished", unpublished=True)
    StoryFactory(title="Public", published=True)

    response = client.get(reverse("stories:story_list"))

    assert list_titles(response) == ["Public"]


def test_list_without_stories_shows_an_empty_state(client):
    StoryFactory(title="Pending")

    response = client.get(reverse("stories:story_list"))

    assert list_titles(response) == []
    assert "No stories yet" in response.content.decode()


def test_list_with_no_match_says_so_and_offers_all_stories(client):
    StoryFactory(published=True, title="A bakery")

    response = client.get(reverse("stories:story_list"), {"q": "submarine"})

    html = response.content.decode()
    assert list_titles(response) == []
    assert "No story matches your search" in html
    assert 'href="/en/stories/">Show all stories' in html


def test_list_is_paginated_and_page_links_keep_the_filters(client):
    for number in range(14):
        StoryFactory(published=True, title=f"Story {number:02}", teller_role=Story.TellerRole.HOST)
    StoryFactory(published=True, title="Refugee story", teller_role=Story.TellerRole.REFUGEE)

    first = client.get(reverse("stories:story_list"), {"role": "host"})
    older = page_link(first, "next")
    second = client.get(reverse("stories:story_list") + older)
    newer = page_link(second, "prev")

    assert len(list_titles(first)) == 12
    assert older.startswith("?role=host&before=")
    assert list_titles(second) == ["Story 01", "Story 00"]
    assert newer.startswith("?role=host&after=")
    assert list_titles(client.get(reverse("stories:story_list") + newer, follow=True)) == list_titles(first)


def test_list_page_number_out_of_range_shows_last_page(client):
    StoryFactory(published=True, title="Only one")

    response = client.get(reverse("stories:story_list"), {"page": "99"}, follow=True)

    assert list_titles(response) == ["Only one"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "migrant"}, ["Migrant in Belgium, French, family"]),
        # An English reader: the story in English first.
        ({"country": "BE"}, ["Refugee from Belgium", "Migrant in Belgium, French, family"]),
        ({"language": "fr"}, ["Migrant in Belgium, French, family"]),
        ({"tag": "family"}, ["Refugee from Belgium", "Migrant in Belgium, French, family"]),
        ({"tag": "family", "role": "refugee", "country": "BE"}, ["Refugee from Belgium"]),
        ({"tag": "family", "language": "fr", "role": "refugee"}, []),
    ],
)
def test_list_filters_combine(client, params, expected):
    StoryFactory(
        published=True,
        title="Migrant in Belgium, French, family",
        teller_role=Story.TellerRole.MIGRANT,
        country_of_residence="BE",
        language="fr",
        tags=["family"],
        published_at="2026-03-01T10:00Z",
    )
    StoryFactory(
        published=True,
        title="Refugee from Belgium",
        country_of_origin="BE",
        tags=["family"],
        published_at="2026-02-01T10:00Z",
    )
    StoryFactory(published=True, title="Other", country_of_origin="SY", published_at="2026-01-01T10:00Z")

    response = client.get(reverse("stories:story_list"), params)

    assert list_titles(response) == expected


def test_list_filter_choices_only_offer_values_of_published_stories(client):
    StoryFactory(published=True, country_of_origin="SY", language="ar", tags=["work"])
    StoryFactory(country_of_origin="ER", language="ti", tags=["secret-pending-tag"])

    html = client.get(reverse("stories:story_list")).content.decode()

    assert '<option value="SY">Syria</option>' in html
    assert 'value="ER"' not in html
    assert '<option value="ar">Arabic</option>' in html
    assert 'value="ti"' not in html
    assert '<option value="work">work</option>' in html
    assert "secret-pending-tag" not in html


def test_list_filter_with_unknown_value_is_reported_and_ignored(client):
    StoryFactory(published=True, title="Shown")

    response = client.get(reverse("stories:story_list"), {"role": "astronaut"})

    assert response.status_code == 200
    assert list_titles(response) == ["Shown"]
    assert "Select a valid choice" in response.content.decode()


def test_filter_form_has_a_label_for_every_field(client):
    StoryFactory(published=True)

    html = client.get(reverse("stories:story_list")).content.decode()

    for name in ["q", "role", "country", "language", "tag"]:
        assert f'<label for="id_{name}">' in html


# --- Search ------------------------------------------------------------------------


def test_search_finds_words_in_title_or_text(client):
    StoryFactory(published=True, title="The bakery", body="Bread every morning.")
    StoryFactory(published=True, title="Football", body="We opened a bakery together.")
    StoryFactory(published=True, title="Unrelated", body="Rain in Brussels.")
    StoryFactory(title="Pending bakery")

    response = client.get(reverse("stories:story_list"), {"q": "bakery"})

    assert sorted(list_titles(response)) == ["Football", "The bakery"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search")
def test_search_ranks_title_matches_first_on_postgresql(client):
    StoryFactory(
        published=True, title="Football", body="We opened a bakery.", published_at="2026-03-01T10:00Z"
    )
    StoryFactory(published=True, title="The bakery", body="Bread.", published_at="2026-01-01T10:00Z")

    response = client.get(reverse("stories:story_list"), {"q": "bakery"})

    assert list_titles(response) == ["The bakery", "Football"]


def test_search_combines_with_filters(client):
    StoryFactory(published=True, title="Host bakery", teller_role=Story.TellerRole.HOST)
    StoryFactory(published=True, title="Refugee bakery")

    response = client.get(reverse("stories:story_list"), {"q": "bakery", "role": "host"})

    assert list_titles(response) == ["Host bakery"]


def test_search_with_operators_only_does_not_fail(client):
    StoryFactory(published=True, title="A bakery")

    response = client.get(reverse("stories:story_list"), {"q": '" - OR :* &|!'})

    assert response.status_code == 200


# --- Tag pages -------------------------------------------------------------------


def test_tag_page_lists_published_stories_with_the_tag(client):
    StoryFactory(published=True, title="Family story", tags=["family"])
    StoryFactory(published=True, title="Work story", tags=["work"])
    StoryFactory(title="Pending family story", tags=["family"])

    response = client.get(reverse("stories:story_tag", args=["family"]))

    assert list_titles(response) == ["Family story"]
    assert "<h1>Stories about “family”</h1>" in response.content.decode()


def test_tag_page_of_unknown_tag_is_404(client):
    assert client.get(reverse("stories:story_tag", args=["nothing"])).status_code == 404


def test_tag_page_of_tag_used_only_by_unpublished_stories_is_404(client):
    StoryFactory(tags=["amina-street"])

    assert client.get(reverse("stories:story_tag", args=["amina-street"])).status_code == 404


# --- Story page ----------------------------------------------------------------------


def test_story_page_shows_the_story(client):
    story = StoryFactory(
        published=True,
        title="A bakery in Ghent",
        body="First paragraph.\n\nSecond paragraph.",
        naming=Story.Naming.FIRST_NAME,
        name="Amina Haddad",
        country_of_origin="SY",
        country_of_residence="BE",
        tags=["work"],
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<h1 id="story-title" lang="en" dir="auto">A bakery in Ghent</h1>' in html
    assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>" in html
    assert "<bdi>Amina</bdi>, a refugee" in html
    assert "Haddad" not in html
    assert "<dd>Syria</dd>" in html
    assert "Belgium" in html
    assert 'href="/en/stories/tag/work/">work</a>' in html


def test_story_text_carries_the_story_language_and_isolation(client):
    story = StoryFactory(published=True, language="ar", body="وصلنا في الشتاء")

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<div class="story-text prose" lang="ar" dir="auto">' in html


def test_story_page_shows_photo_as_picture_with_webp_and_jpeg(client):
    story = StoryFactory(published=True, with_photo=True, photo_alt_text="Two hands holding bread")

    html = client.get(story.get_absolute_url()).content.decode()

    picture = re.search(r"<picture>.*?</picture>", html, re.DOTALL).group()
    assert f'<source type="image/webp" srcset="{story.photo_webp_srcset}"' in picture
    assert f'srcset="{story.photo_jpeg_srcset}"' in picture
    assert 'sizes="(min-width: 46rem) 42rem, 100vw"' in picture
    assert f'width="{story.photo_fallback.width}" height="{story.photo_fallback.height}"' in picture
    assert 'alt="Two hands holding bread"' in picture


def test_story_page_fetches_its_photo_first_and_never_lazily(client):
    # The photo at the top of a story is usually its largest paint (Lighthouse).
    story = StoryFactory(published=True, with_photo=True)

    html = client.get(story.get_absolute_url()).content.decode()

    img = re.search(r"<picture>.*?(<img [^>]*>)", html, re.DOTALL).group(1)
    assert 'fetchpriority="high"' in img
    assert "loading=" not in img


def test_story_list_loads_card_photos_lazily_without_priority(client):
    StoryFactory(published=True, with_photo=True)

    html = client.get(reverse("stories:story_list")).content.decode()

    img = re.search(r"<picture>.*?(<img [^>]*>)", html, re.DOTALL).group(1)
    assert 'loading="lazy" decoding="async"' in img
    assert "fetchpriority" not in img


@pytest.mark.parametrize(
    "traits",
    [{}, {"changes_requested": True}, {"declined": True}, {"unpublished": True}, {"status": "withdrawn"}],
)
def test_story_page_of_a_story_that_is_not_published_is_404(client, traits):
    story = StoryFactory(**traits)

    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(reverse("stories:story_report", args=[story.slug])).status_code == 404


def test_story_page_lists_related_stories_sharing_the_most_tags(client):
    story = StoryFactory(published=True, tags=["work", "family", "school"])
    StoryFactory(published=True, title="Two shared", tags=["work", "family"])
    StoryFactory(published=True, title="One shared", tags=["school"])
    StoryFactory(published=True, title="None shared", tags=["sport"])
    StoryFactory(title="Pending, shared", tags=["work", "family", "school"])

    response = client.get(story.get_absolute_url())

    assert [related.title for related in response.context["related_stories"]] == ["Two shared", "One shared"]


def test_related_stories_are_the_three_sharing_most_tags_newest_first_among_equals(client):
    story = StoryFactory(published=True, tags=["work", "family", "school"])
    now = timezone.now()
    for title, tags, days_ago in [
        ("One shared, newest", ["school"], 1),
        ("Two shared, older", ["work", "family"], 9),
        ("Two shared, newer", ["family", "school"], 5),
        ("One shared, older", ["work"], 3),
        ("Three shared, oldest", ["work", "family", "school"], 30),
    ]:
        StoryFactory(published=True, title=title, tags=tags, published_at=now - timedelta(days=days_ago))

    response = client.get(story.get_absolute_url())

    assert [related.title for related in response.context["related_stories"]] == [
        "Three shared, oldest",
        "Two shared, newer",
        "Two shared, older",
    ]


def test_story_page_has_plain_share_links_and_report_link(client):
    story = StoryFactory(published=True, title="Bread & salt")

    html = client.get(story.get_absolute_url()).content.decode()

    url = f"http%3A//127.0.0.1%3A8000/en/stories/{story.slug}/"
    assert f'href="mailto:?subject=Bread%20%26%20salt&amp;body={url}"' in html
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={url}"' in html
    assert f'href="/en/stories/{story.slug}/report/">Report this story' in html
    assert "<script" not in html


def test_story_page_has_open_graph_and_twitter_tags_with_absolute_photo_url(client, settings):
    settings.SITE_URL = "https://together.example"
    story = StoryFactory(published=True, with_photo=True, title="A bakery", photo_alt_text="Bread")
    largest = max((r for r in story.renditions if r.fmt == "jpeg"), key=lambda r: r.width)

    html = client.get(story.get_absolute_url()).content.decode()

    assert f'<meta property="og:url" content="https://together.example/en/stories/{story.slug}/">' in html
    assert '<meta property="og:title" content="A bakery">' in html
    assert f'<meta property="og:image" content="https://together.example/media/{largest.name}">' in html
    assert '<meta property="og:image:alt" content="Bread">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


# --- Reports ---------------------------------------------------------------------------


def test_report_form_lists_reasons_with_labels(client):
    story = StoryFactory(published=True)

    html = client.get(reverse("stories:story_report", args=[story.slug])).content.decode()

    assert re.findall(r'<input type="radio" name="reason" value="([^"]*)"', html) == Report.Reason.values
    assert "checked" not in html
    assert '<label for="id_comment">' in html


def test_report_is_stored_and_reader_sent_back_to_the_story(client):
    story = StoryFactory(published=True)

    response = client.post(
        reverse("stories:story_report", args=[story.slug]),
        report_data(reason="identifies_person", comment="Street!"),
    )

    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    report = Report.objects.get()
    assert (report.story, report.reason, report.comment, report.handled_at) == (
        story,
        "identifies_person",
        "Street!",
        None,
    )


def test_report_without_reason_is_refused_with_error(client):
    story = StoryFactory(published=True)

    response = client.post(
        reverse("stories:story_report", args=[story.slug]), report_data(reason="", comment="Hmm")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"][0] == "This field is required."
    assert "Hmm</textarea>" in response.content.decode()
    assert not Report.objects.exists()


def test_report_with_honeypot_filled_is_refused(client):
    story = StoryFactory(published=True)

    client.post(reverse("stories:story_report", args=[story.slug]), report_data(website="x"))

    assert not Report.objects.exists()


def test_reports_over_the_rate_limit_are_refused_keeping_the_text(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "2/h"}
    story = StoryFactory(published=True)
    url = reverse("stories:story_report", args=[story.slug])
    for _ in range(2):
        client.post(url, report_data())

    response = client.post(url, report_data(reason="hate", comment="Third one"))

    assert response.status_code == 429
    assert "Third one</textarea>" in response.content.decode()
    assert Report.objects.count() == 2


def test_fifty_reports_leave_the_story_public(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1000/h"}
    story = StoryFactory(published=True, title="Reported a lot")
    for _ in range(50):
        client.post(reverse("stories:story_report", args=[story.slug]), report_data(reason="hate"))

    story.refresh_from_db()
    assert Report.objects.filter(story=story).count() == 50
    assert story.status == Story.Status.PUBLISHED
    assert client.get(story.get_absolute_url()).status_code == 200
    assert list_titles(client.get(reverse("stories:story_list"))) == ["Reported a lot"]


# --- Publication, withdrawal and safety on every public page ---------------------------


def public_pages(client, story, tag="family"):
    """The HTML (or XML) of every public page that can show ``story``."""
    return {
        "list": client.get(reverse("stories:story_list")).content.decode(),
        "search": client.get(reverse("stories:story_list"), {"q": "bakery"}).content.decode(),
        "tag": client.get(reverse("stories:story_tag", args=[tag])).content.decode(),
        "feed": client.get(reverse("stories:story_feed")).content.decode(),
        "sitemap": whole_sitemap(client),
        "detail": client.get(story.get_absolute_url()).content.decode(),
        "home": client.get(reverse("home")).content.decode(),
        "transparency": client.get(reverse("stories:transparency")).content.decode(),
    }


def test_story_appears_on_list_tag_feed_and_sitemap_only_once_published(client, moderator):
    story = StoryFactory(title="Our bakery", tags=["family"])
    StoryFactory(published=True, tags=["family"])  # so that the tag page exists before
    before = public_pages(client, story)

    story.publish(by=moderator)
    after = public_pages(client, story)

    path = story.get_absolute_url()
    for page in ["list", "search", "tag", "feed", "sitemap"]:
        assert path not in before[page], page
        assert path in after[page], page
    assert client.get(path).status_code == 200


def test_withdrawn_story_is_gone_from_every_public_page_and_the_feed(client, moderator):
    story = StoryFactory(title="Our bakery", body="A bakery.", tags=["family"], is_featured=False)
    StoryFactory(published=True, tags=["family"])
    story.publish(by=moderator)
    story.feature(by=moderator)
    old_path = story.get_absolute_url()
    assert old_path in public_pages(client, story)["home"]

    story.withdraw()

    pages = public_pages(client, story)
    del pages["detail"]  # now a 404 page, which names the requested path in its language switcher
    assert client.get(old_path).status_code == 404
    for name, html in pages.items():
        assert old_path not in html, name
        assert story.get_absolute_url() not in html, name
        assert "Our bakery" not in html, name


def test_script_in_title_and_text_is_shown_as_text_on_every_public_page(client):
    story = StoryFactory(published=True, is_featured=True, title=SCRIPT, body=SCRIPT, tags=["family"])

    pages = public_pages(client, story)

    for name in ["list", "tag", "detail", "home"]:
        assert "<script>alert" not in pages[name], name
        assert "<img src=x" not in pages[name], name
        assert ESCAPED_SCRIPT in pages[name], name


def test_no_personal_data_on_any_public_page(client):
    story = StoryFactory(
        published=True,
        is_featured=True,
        title="A bakery",
        naming=Story.Naming.ANONYMOUS,
        name="Zebulon Quarrington",
        email="zq-private-7731@example.org",
        tags=["family"],
        with_photo=True,
    )
    StoryFactory(name="Pending Person", email="pending-private@example.org", title="Pending title")

    pages = public_pages(client, story)

    for name, html in pages.items():
        for secret in ["Zebulon", "Quarrington", "zq-private-7731", "Pending Person", "pending-private"]:
            assert secret not in html, (name, secret)
        assert "Pending title" not in html, name
    assert "Anonymous" in pages["detail"]


@pytest.mark.parametrize(
    ("language", "separator"), [("en", ", "), ("ar", "، "), ("zh-hans", "\uff0c"), ("fr", ", ")]
)
def test_story_byline_joins_name_and_role_with_the_comma_of_the_page_language(client, language, separator):
    StoryFactory(published=True, naming=Story.Naming.FIRST_NAME, name="Amina", teller_role="refugee")

    html = client.get(f"/{language}/stories/").content.decode()

    byline = re.search(r'<p class="story-card__byline">(.*?)</p>', html, re.S).group(1)
    assert byline.startswith(f"<bdi>Amina</bdi>{separator}")
