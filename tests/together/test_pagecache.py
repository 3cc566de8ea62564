"""The page cache in one process (together/pagecache.py): what is cached,
what never is, forms on cached pages, languages, conditional GET. The same
rules across two server processes sharing Redis: test_pagecache_instances.py."""

import hashlib
import io
import re
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from campaigns.forms import PledgeForm
from campaigns.models import Pledge
from stories.models import Story
from tests.campaigns.factories import CampaignFactory, EventFactory, PledgeFactory
from tests.campaigns.helpers import pledge_data
from tests.stories.factories import ModeratorFactory, StoryFactory
from together import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_COUNTER_SECONDS = 3


def cached_keys():
    """The keys of the pages in the (local-memory) cache, as stored (version prefix included)."""
    return [key for key in cache._cache if pagecache.PAGE_KEY in key]


def without_tokens(response):
    """The page without its CSRF tokens (the language switcher is a form on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def csrf_token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def stamp_in(response):
    return re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)


def test_a_public_page_is_served_from_the_cache_the_second_time(client):
    StoryFactory(published=True, title="A shared table")

    first = client.get("/en/stories/")
    second = client.get("/en/stories/")

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert without_tokens(second) == without_tokens(first)


def test_a_head_request_is_answered_from_the_cache(client):
    client.get("/en/stories/")

    response = client.head("/en/stories/")

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_a_cached_page_keeps_the_headers_of_every_answer(client):
    client.get("/en/stories/")

    hit = client.get("/en/stories/")

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Type"] == "text/html; charset=utf-8"
    assert hit["Content-Language"] == "en"
    assert hit["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in hit


def test_the_widget_stays_frameable_when_served_from_the_cache(client):
    campaign = CampaignFactory(is_active=True)
    url = reverse("campaigns:campaign_widget", kwargs={"slug": campaign.slug})
    client.get(url)

    hit = client.get(url)

    assert hit["X-Page-Cache"] == "hit"
    assert "X-Frame-Options" not in hit
    assert "frame-ancestors 'self' https:" in hit["Content-Security-Policy"]


def test_a_withdrawn_story_disappears_from_the_cached_list_and_page(client):
    story = StoryFactory(published=True, title="A shared table")
    client.get("/en/stories/")
    client.get(story.get_absolute_url())

    story.withdraw()

    assert "A shared table" not in client.get("/en/stories/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_an_unpublished_story_disappears_from_the_cached_feed(client):
    story = StoryFactory(published=True, title="A shared table")
    assert "A shared table" in client.get("/en/stories/feed/").content.decode()

    story.unpublish(by=ModeratorFactory(), note="Asked by the storyteller")

    assert "A shared table" not in client.get("/en/stories/feed/").content.decode()


def test_a_story_changed_by_queryset_update_needs_content_changed(client):
    story = StoryFactory(published=True, title="A shared table")
    client.get("/en/stories/")

    Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)
    pagecache.content_changed()

    assert "A shared table" not in client.get("/en/stories/").content.decode()


def test_a_page_is_never_served_in_another_language(client):
    client.get("/en/stories/")
    client.get("/fr/stories/")

    english, french = client.get("/en/stories/"), client.get("/fr/stories/")

    assert (english["X-Page-Cache"], french["X-Page-Cache"]) == ("hit", "hit")
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="fr"' in french.content.decode()
    assert french["Content-Language"] == "fr"


def test_the_unprefixed_sitemap_is_cached_per_language(client):
    client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr")

    english = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="en")

    assert english["X-Page-Cache"] == "miss"


def test_a_private_page_is_never_cached(client):
    story = StoryFactory(published=True)

    first = client.get(story.manage_url())
    second = client.get(story.manage_url())

    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert "no-store" in second["Cache-Control"]
    assert cached_keys() == []


def test_a_page_holding_personal_data_is_never_cached(client):
    client.get("/en/stories/share/")

    assert "X-Page-Cache" not in client.get("/en/stories/share/")
    assert cached_keys() == []


def test_pages_for_a_logged_in_user_are_never_cached(client):
    client.force_login(ModeratorFactory())

    client.get("/en/stories/")

    assert "X-Page-Cache" not in client.get("/en/stories/")
    assert cached_keys() == []


def test_a_page_shown_with_a_message_waiting_is_not_taken_from_the_cache(client):
    campaign = CampaignFactory(is_active=True)
    Client().get(campaign.get_absolute_url())
    client.cookies["messages"] = "anything"

    assert "X-Page-Cache" not in client.get(campaign.get_absolute_url())


def test_a_post_is_never_answered_from_the_cache(client):
    campaign = CampaignFactory(is_active=True)
    client.get(campaign.get_absolute_url())

    response = client.post(campaign.get_absolute_url(), pledge_data(name=""))

    assert response.status_code == 400
    assert "X-Page-Cache" not in response


def test_a_not_found_page_is_not_cached(client):
    client.get("/en/stories/no-such-story/")

    assert client.get("/en/stories/no-such-story/")["X-Page-Cache"] == "miss"
    assert cached_keys() == []


def test_the_admin_is_never_cached(admin_client):
    admin_client.get("/admin/")

    assert "X-Page-Cache" not in admin_client.get("/admin/")


def test_counters_are_not_taken_from_a_page_older_than_the_counter_lifetime(client, settings):
    campaign = CampaignFactory(is_active=True)
    client.get(campaign.get_absolute_url())
    key = cached_keys()[0]

    _generation, fresh_until, *_rest = cache.get(key.split(":", 2)[2])

    assert 0 < fresh_until - time.time() <= settings.PAGE_CACHE_COUNTER_SECONDS


def test_an_out_of_date_page_is_made_again_by_one_request_while_the_others_get_it_stale(client):
    campaign = CampaignFactory(is_active=True)
    client.get(campaign.get_absolute_url())
    key = cached_keys()[0].split(":", 2)[2]
    generation, _fresh_until, *rest = cache.get(key)
    cache.set(key, (generation, time.time() - 1, *rest))

    cache.add(key + pagecache.REFRESH_SUFFIX, 1)  # another request is making it again
    meanwhile = client.get(campaign.get_absolute_url())
    cache.delete(key + pagecache.REFRESH_SUFFIX)  # it failed: its lock lapsed
    refreshed = client.get(campaign.get_absolute_url())
    after = client.get(campaign.get_absolute_url())

    assert [page["X-Page-Cache"] for page in (meanwhile, refreshed, after)] == ["stale", "miss", "hit"]


def test_a_confirmed_pledge_does_not_empty_the_cache_but_an_approved_message_does(client):
    campaign = CampaignFactory(is_active=True)
    pledge = PledgeFactory(campaign=campaign, message="Welcome")
    client.get(campaign.get_absolute_url())

    pledge.confirm()
    after_confirm = client.get(campaign.get_absolute_url())
    pledge.approve_message(by=ModeratorFactory())
    after_approval = client.get(campaign.get_absolute_url())

    assert (after_confirm["X-Page-Cache"], after_approval["X-Page-Cache"]) == ("hit", "miss")


def test_the_pages_after_the_pledge_form_and_the_emailed_link_are_shared_from_the_cache():
    campaign = CampaignFactory(is_active=True)
    first, second = Client(), Client()
    sent = first.post(campaign.get_absolute_url(), pledge_data(), follow=True)
    link = reverse("campaigns:pledge_confirm", args=[Pledge.objects.get().confirm_token()])
    confirmed = first.post(link, follow=True)

    pages = [second.get(response.redirect_chain[-1][0]) for response in (sent, confirmed)]

    assert [response["X-Page-Cache"] for response in (sent, confirmed)] == ["miss", "miss"]
    assert [response["X-Page-Cache"] for response in pages] == ["hit", "hit"]
    assert "Check your email to confirm your pledge" in pages[0].content.decode()
    assert "Thank you: your pledge is counted" in pages[1].content.decode()


def test_two_visitors_of_a_cached_form_page_can_both_send_it():
    campaign = CampaignFactory(is_active=True)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(campaign.get_absolute_url())
    second_page = second.get(campaign.get_absolute_url())
    assert (first_page["X-Page-Cache"], second_page["X-Page-Cache"]) == ("miss", "hit")

    sent = [
        visitor.post(
            campaign.get_absolute_url(),
            pledge_data(
                email=f"visitor{n}@example.org",
                started=stamp_in(page),
                csrfmiddlewaretoken=csrf_token_in(page),
            ),
        )
        for n, (visitor, page) in enumerate([(first, first_page), (second, second_page)])
    ]

    assert [response.status_code for response in sent] == [302, 302]
    assert Pledge.objects.count() == 2


def test_a_visitor_without_the_cookie_of_a_cached_form_page_is_refused():
    campaign = CampaignFactory(is_active=True)
    Client().get(campaign.get_absolute_url())
    page = Client(enforce_csrf_checks=True).get(campaign.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"

    stranger = Client(enforce_csrf_checks=True)
    response = stranger.post(
        campaign.get_absolute_url(),
        pledge_data(started=stamp_in(page), csrfmiddlewaretoken=csrf_token_in(page)),
    )

    assert response.status_code == 403
    assert Pledge.objects.count() == 0


def test_a_cached_form_page_gives_each_visitor_a_new_stamp_shown_now(settings):
    campaign = CampaignFactory(is_active=True)
    pages = [Client().get(campaign.get_absolute_url()) for _ in range(2)]

    stamps = [stamp_in(page) for page in pages]

    assert pages[1]["X-Page-Cache"] == "hit"
    assert stamps[0] != stamps[1]
    assert PledgeForm.read_stamp(stamps[1]) is not None
    settings.FORM_MIN_SECONDS = 3
    response = Client().post(campaign.get_absolute_url(), pledge_data(started=stamps[1]))
    assert response.status_code == 400  # still too fast for a person


def test_the_stored_page_holds_no_csrf_token_and_no_stamp(client):
    campaign = CampaignFactory(is_active=True)
    page = client.get(campaign.get_absolute_url())

    _generation, _fresh_until, _headers, body, _attributes = cache.get(cached_keys()[0].split(":", 2)[2])

    stored = b"".join(part for part in body if isinstance(part, bytes)).decode()
    assert csrf_token_in(page) not in stored
    assert stamp_in(page) not in stored
    assert ("csrf",) in body


def test_the_feed_answers_304_when_it_has_not_changed(client):
    StoryFactory(published=True)
    etag = client.get("/en/stories/feed/")["ETag"]

    assert client.get("/en/stories/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cached_feed_is_sent_with_the_etag_of_its_body_and_answers_304_to_it(client):
    StoryFactory(published=True)
    miss = client.get("/en/stories/feed/")

    hit = client.get("/en/stories/feed/")

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit["ETag"] == miss["ETag"] == f'"{hashlib.md5(hit.content, usedforsecurity=False).hexdigest()}"'
    assert client.get("/en/stories/feed/", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304


def test_a_cached_page_with_a_form_has_no_etag(client):
    client.get("/en/stories/")

    hit = client.get("/en/stories/")

    assert hit["X-Page-Cache"] == "hit"
    assert "ETag" not in hit


def test_a_cached_page_with_two_forms_carries_one_csrf_token_for_both(client):
    campaign = CampaignFactory(is_active=True)
    client.get(campaign.get_absolute_url())

    hit = client.get(campaign.get_absolute_url())

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', hit.content.decode())
    assert hit["X-Page-Cache"] == "hit"
    assert len(tokens) == 2
    assert len(set(tokens)) == 1


def test_stats_json_answers_304_when_it_has_not_changed(client):
    campaign = CampaignFactory(is_active=True)
    url = reverse("campaigns:campaign_stats", kwargs={"slug": campaign.slug})
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_sitemap_answers_304_when_it_has_not_changed(client):
    etag = client.get("/sitemap.xml")["ETag"]

    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_event_calendar_answers_304_when_it_has_not_changed(client):
    event = EventFactory()
    url = reverse("campaigns:event_calendar", kwargs={"slug": event.slug})
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_expire_page_cache_stops_every_cached_page_from_being_served(client):
    client.get("/en/stories/")

    call_command("expire_page_cache", stdout=io.StringIO())

    assert client.get("/en/stories/")["X-Page-Cache"] == "miss"


def test_the_page_cache_is_off_when_its_lifetime_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/stories/")

    assert "X-Page-Cache" not in client.get("/en/stories/")


def test_a_page_showing_the_visitors_csrf_token_outside_the_form_field_is_not_stored(rf):
    request = rf.get("/en/")
    token = get_token(request)
    field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    page = f'<form>{field}</form><p data-token="{token}">'

    assert pagecache._cut(page, request) is None


def test_a_page_with_its_tokens_only_in_form_fields_is_stored_without_them(rf):
    request = rf.get("/en/")
    page = f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'

    assert pagecache._cut(page, request) == [
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="',
        ("csrf",),
        '"></form>',
    ]


def test_a_page_with_a_long_address_is_cached_like_any_other(client):
    path = "/en/stories/?q=" + "winter" * 60

    first = client.get(path)
    second = client.get(path)

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
