import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.views.defaults import server_error

from stories.models import Story
from tests.campaigns.factories import CampaignFactory, PledgeFactory
from tests.sitemaps import whole_sitemap
from tests.stories.factories import StoryFactory, StoryTranslationFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_shows_active_campaign_summary(client):
    CampaignFactory(title="Stand together", summary="A campaign for everyone.", is_active=True)

    response = client.get("/en/")

    assert response.status_code == 200
    assert b"A campaign for everyone." in response.content


@pytest.mark.django_db
def test_home_page_counts_confirmed_pledges_of_active_campaign(client):
    campaign = CampaignFactory(is_active=True, pledge_goal=100)
    for _ in range(3):
        PledgeFactory(campaign=campaign).confirm()
    PledgeFactory(campaign=campaign)  # unconfirmed: not counted

    content = client.get("/en/").content.decode()

    assert "<strong>3</strong> people have pledged" in content
    assert "3% of our goal of 100 pledges" in content


@pytest.mark.django_db
def test_home_page_leaves_out_inactive_campaign(client):
    CampaignFactory(summary="An old campaign.", is_active=False)

    response = client.get("/en/")

    assert b"An old campaign." not in response.content


@pytest.mark.django_db
def test_home_page_shows_featured_story_in_reader_language_when_translated(client):
    translated = StoryTranslationFactory(
        story=StoryFactory(featured=True, title="The bakery on the corner"), language="ar", published=True
    )

    arabic = client.get("/ar/").content.decode()
    english = client.get("/en/").content.decode()

    assert translated.title in arabic
    assert "The bakery on the corner" not in arabic
    assert "The bakery on the corner" in english
    assert translated.title not in english


def test_root_redirects_to_language_prefix(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_about_page_states_the_objectives(client):
    response = client.get("/en/about/")

    assert response.status_code == 200
    assert "193 Member States" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_reachable(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_database_unreachable(tmp_path):
    """A real process whose database file cannot be opened."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "together.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )

    status, body = result.stdout.split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable"}


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.django_db
def test_sitemap_lists_home_and_about(client):
    content = whole_sitemap(client)

    assert "<loc>http://testserver/en/</loc>" in content
    assert "<loc>http://testserver/en/about/</loc>" in content


@pytest.mark.django_db
def test_unknown_page_answers_friendly_404(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_server_error_page_renders_without_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_server_error_page_speaks_the_language_of_the_request():
    with translation.override("ar"):
        response = server_error(RequestFactory().get("/ar/"))

    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<title>حدث خطأ ما · معاً</title>" in html


def test_admin_has_site_title(client):
    response = client.get("/admin/login/")

    assert "Together administration" in response.content.decode()


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


@pytest.mark.django_db
def test_healthz_asks_the_database_through_the_driver_so_no_health_check_comes_first(client):
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")

    assert response.json() == {"status": "ok"}
    assert len(queries) == 0  # the SELECT 1 went through the driver's own cursor


@pytest.mark.django_db
def test_the_bench_ceiling_is_not_mounted_on_the_site(client):
    assert client.get("/bench/ceiling").status_code == 404


def test_the_bench_ceiling_answers_a_constant_through_every_middleware_when_bench_ceiling_is_on():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/bench/ceiling');"
        "print(r.status_code, r['X-Request-ID'] != '', r['X-Frame-Options'], r.content.decode().strip())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "together.settings", "BENCH_CEILING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["200", "True", "DENY", "ok"]


@pytest.mark.django_db
def test_home_page_cards_show_each_featured_storys_topics_in_the_order_they_were_added(client):
    StoryFactory(featured=True, tags=["work", "family", "école & “food”"])
    StoryFactory(featured=True, tags=[])

    html = client.get("/en/").content.decode()

    assert re.findall(r'<a class="tag" href="/en/stories/tag/([^/]+)/">([^<]+)</a>', html) == [
        ("work", "work"),
        ("family", "family"),
        ("%C3%A9cole-food", "école &amp; “food”"),
    ]


@pytest.mark.django_db
def test_stories_with_tags_read_their_tags_in_the_same_query(django_assert_num_queries):
    StoryFactory(published=True, tags=["work", "family"])
    StoryFactory(published=True, tags=["family"])

    with django_assert_num_queries(1):
        tags = [
            [tag.slug for tag in story.tags.all()]
            for story in Story.objects.published().order_by("pk").with_tags()
        ]

    assert tags == [["work", "family"], ["family"]]
