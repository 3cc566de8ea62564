"""Errors go to Sentry only when SENTRY_DSN is set, and carry no personal
data (together/sentry.py)."""

import pytest
import sentry_sdk
from django.urls import reverse

from tests.stories.factories import StoryFactory
from tests.together.processes import free_port, manage
from together.logs import pseudonymise, request_id
from together.sentry import before_send, init

pytestmark = pytest.mark.django_db

SHOW_CLIENT = (
    "import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options['send_default_pii'], "
    "client.options['include_local_variables'], "
    "client.options['before_send'].__module__ if client.is_active() else None)"
)


def test_sentry_is_not_started_without_a_dsn(settings):
    settings.SENTRY_DSN = ""

    assert init() is False
    assert sentry_sdk.get_client().is_active() is False


def test_a_process_without_sentry_dsn_has_no_sentry_client():
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"

    result = manage("shell", "--no-imports", "-c", script, SENTRY_DSN="")

    assert result.stdout.split() == ["False"]


def test_a_process_with_sentry_dsn_sends_no_personal_data_and_scrubs_each_event():
    dsn = f"http://public@127.0.0.1:{free_port()}/1"

    result = manage("shell", "--no-imports", "-c", SHOW_CLIENT, SENTRY_DSN=dsn)

    assert result.stdout.split() == ["True", "False", "False", "together.sentry"]


def test_before_send_strips_bodies_cookies_query_strings_and_secret_headers():
    story = StoryFactory()
    path = reverse("stories:story_manage", args=[story.manage_token()])
    event = {
        "request": {
            "url": f"https://together.example{path}?email=amina@example.org",
            "method": "POST",
            "query_string": "email=amina@example.org&token=abc",
            "data": {"email": "amina@example.org", "body": "My story"},
            "cookies": {"sessionid": "s3cr3t"},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
            "headers": {
                "Cookie": "sessionid=s3cr3t",
                "Authorization": "Bearer t0k3n",
                "X-Forwarded-For": "203.0.113.7",
                "User-Agent": "Firefox",
            },
        },
        "user": {"ip_address": "203.0.113.7"},
        "exception": {
            "values": [{"type": "SMTPRecipientsRefused", "value": "{'amina@example.org': (550, b'')}"}]
        },
    }

    scrubbed = before_send(event)

    assert scrubbed["request"] == {
        "url": "https://together.example/en/stories/manage/[private]/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    assert "user" not in scrubbed
    assert scrubbed["exception"]["values"][0]["value"] == (
        f"{{'email:{pseudonymise('amina@example.org')}': (550, b'')}}"
    )


def test_before_send_tags_the_event_with_the_request_id():
    token = request_id.set("req-0042")
    try:
        scrubbed = before_send({"message": "boom"})
    finally:
        request_id.reset(token)

    assert scrubbed == {"message": "boom", "tags": {"request_id": "req-0042"}}
