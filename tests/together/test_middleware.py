"""Every request has an id: the proxy's when it is safe, else a new one,
sent back in X-Request-ID and written on the request's log lines; every
answer names its instance in X-Served-By when INSTANCE_NAME is set; an
ETag for every answer that can be the same twice."""

import logging
import re

import pytest

from tests.stories.factories import StoryFactory
from tests.together.log_records import captured
from together.logs import request_id

pytestmark = pytest.mark.django_db


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client):
    response = client.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_two_requests_get_different_ids(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_the_proxys_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "7f3a9c0e2b1d4e5f8a6b7c8d9e0f1a2b"})

    assert response["X-Request-ID"] == "7f3a9c0e2b1d4e5f8a6b7c8d9e0f1a2b"


@pytest.mark.parametrize(
    "proposed",
    ["x" * 65, "has space", "semi;colon", "line\\nbreak", "ünïcode", "<script>"],
)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, proposed):
    response = client.get("/healthz", headers={"X-Request-ID": proposed})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_djangos_log_line_of_a_not_found_page_carries_the_request_id(client):
    with captured("django.request", logging.WARNING) as records:
        client.get("/en/no-such-page/", headers={"X-Request-ID": "abc-123"})

    (record,) = records
    assert record.request_id == "abc-123"
    assert record.status_code == 404


def test_the_request_id_is_forgotten_once_the_response_is_closed(client):
    client.get("/healthz", headers={"X-Request-ID": "abc-123"})

    assert request_id.get() == ""


# X-Served-By (ServedByMiddleware): the instance's name from INSTANCE_NAME,
# and nothing at all without one.


def test_every_answer_names_the_instance_set_in_instance_name(client, settings):
    settings.INSTANCE_NAME = "web-2"

    response = client.get("/en/about/")

    assert response["X-Served-By"] == "web-2"


def test_an_error_page_names_the_instance_too(client, settings):
    settings.INSTANCE_NAME = "web-2"

    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["X-Served-By"] == "web-2"


def test_no_served_by_header_without_an_instance_name(client, settings):
    settings.INSTANCE_NAME = ""

    response = client.get("/en/about/")

    assert "X-Served-By" not in response


# Conditional GET (together.middleware.ConditionalGetMiddleware), the page
# cache off: what a cached page does is in test_pagecache.py.


def test_a_page_with_a_form_has_no_etag_since_its_csrf_token_is_new_in_every_answer(client, settings):
    settings.PAGE_CACHE_SECONDS = 0

    response = client.get("/en/stories/")

    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "ETag" not in response


def test_the_feed_keeps_its_etag_and_answers_304_to_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    StoryFactory(published=True)
    etag = client.get("/en/stories/feed/")["ETag"]

    assert client.get("/en/stories/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
