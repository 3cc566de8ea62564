"""Our own error pages: they answer without reading the request again."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from together import urls, views

pytestmark = pytest.mark.django_db

CSRF_COOKIE = "a" * 32


def browser_with_csrf_cookie():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_COOKIE
    return client


def test_form_sent_in_utf16_answers_400_page_not_500():
    response = browser_with_csrf_cookie().post(
        reverse("stories:story_create"),
        "title=Hello&csrfmiddlewaretoken=" + CSRF_COOKIE,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )

    assert response.status_code == 400
    assert "We could not read what your browser sent" in response.content.decode()


def test_form_sent_in_utf16_writes_one_short_log_record(caplog):
    with caplog.at_level(logging.WARNING):
        browser_with_csrf_cookie().post(
            reverse("stories:story_create"),
            "title=Hello",
            content_type="application/x-www-form-urlencoded; charset=utf-16",
        )

    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert len(caplog.text) < 5_000


def test_form_without_its_security_token_answers_the_expired_form_page():
    response = browser_with_csrf_cookie().post(reverse("stories:story_create"), {"title": "Hello"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "CSRF" not in html


def test_permission_denied_answers_the_403_page():
    response = views.permission_denied(RequestFactory().get("/en/"), PermissionDenied())

    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_unknown_address_in_arabic_answers_the_404_page_in_arabic(client):
    response = client.get("/ar/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_every_error_handler_is_ours():
    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        views.bad_request,
        views.permission_denied,
        views.page_not_found,
        views.server_error,
    )


def test_csrf_failure_view_is_ours(settings):
    assert settings.CSRF_FAILURE_VIEW == "together.views.csrf_failure"
