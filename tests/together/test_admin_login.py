"""The admin login against password guessing (django-axes) and at a movable address."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.together.processes import manage
from together.demo import DEMO_MODERATOR, DEMO_SUPERUSER

pytestmark = pytest.mark.django_db

ADMIN_NAME, ADMIN_PASSWORD = DEMO_SUPERUSER
MODERATOR_NAME, MODERATOR_PASSWORD = DEMO_MODERATOR


def log_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers=headers,
    )


def guess_wrong(client, times, username=ADMIN_NAME, **kwargs):
    return [log_in(client, username, f"wrong-{attempt}", **kwargs).status_code for attempt in range(times)]


def signed_in_user(client):
    return client.session.get("_auth_user_id")


def test_four_wrong_passwords_still_show_the_login_form(client, demo_content):
    assert guess_wrong(client, 4) == [200, 200, 200, 200]

    response = log_in(client, ADMIN_NAME, ADMIN_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user(client) is not None


def test_fifth_wrong_password_locks_the_account_for_that_address(client, demo_content):
    assert guess_wrong(client, 5) == [200, 200, 200, 200, 429]


def test_sixth_attempt_is_refused_even_with_the_right_password(client, demo_content):
    guess_wrong(client, 5)

    response = log_in(client, ADMIN_NAME, ADMIN_PASSWORD)

    assert response.status_code == 429
    assert signed_in_user(client) is None


def test_lockout_page_says_when_to_try_again(client, demo_content):
    guess_wrong(client, 5)

    response = log_in(client, ADMIN_NAME, ADMIN_PASSWORD)

    assert response["Retry-After"] == str(15 * 60)
    assert "Signing in is paused for this account" in response.content.decode()
    assert "Please try again in 15 minutes, with the right password." in response.content.decode()


def test_moderator_signs_in_from_same_address_while_other_account_is_locked(client, demo_content):
    guess_wrong(client, 5)

    response = log_in(client, MODERATOR_NAME, MODERATOR_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).context["user"].username == MODERATOR_NAME


def test_locked_account_still_signs_in_from_another_address(client, demo_content):
    guess_wrong(client, 5, address="203.0.113.7")

    response = log_in(client, ADMIN_NAME, ADMIN_PASSWORD, address="198.51.100.20")

    assert response.status_code == 302


def test_lockout_follows_client_address_behind_proxy(client, demo_content, settings):
    """Behind a proxy REMOTE_ADDR is the proxy's: the client is read from
    X-Forwarded-For, as the rate limits read it (together.abuse.client_ip)."""
    settings.NUM_PROXIES = 1
    proxy = "10.0.0.2"
    guess_wrong(client, 5, address=proxy, x_forwarded_for="203.0.113.7")

    locked = log_in(client, ADMIN_NAME, ADMIN_PASSWORD, address=proxy, x_forwarded_for="203.0.113.7")
    other_client = log_in(client, ADMIN_NAME, ADMIN_PASSWORD, address=proxy, x_forwarded_for="198.51.100.20")

    assert (locked.status_code, other_client.status_code) == (429, 302)


def test_lockout_ends_after_cool_off(client, demo_content, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    guess_wrong(client, 5)

    time.sleep(1.1)
    response = log_in(client, ADMIN_NAME, ADMIN_PASSWORD)

    assert response.status_code == 302


def test_admin_moves_to_configured_url(tmp_path):
    script = (
        "from django.test import Client;"
        "print(Client().get('/staff-door-7f3a/login/').status_code,"
        " Client().get('/admin/login/').status_code)"
    )

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        ADMIN_URL="staff-door-7f3a/",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )

    assert result.stdout.split() == ["200", "404"]
