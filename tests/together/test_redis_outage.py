"""Redis stops while people use the site, then comes back (issue 10).

Each test starts a Redis server of its own (tests/together/redis_server.py),
points the production cache at it (together.cache.DegradingRedisCache) and
stops it part-way. Every public form and the admin login must keep answering
without a server error, keep what the person typed, keep their limits (each
process counting alone) and share the limits through Redis again once it is
back."""

import logging
import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Pledge, SignUp
from stories.models import Report, Story
from tests.campaigns.factories import CampaignFactory, EventFactory
from tests.stories.factories import StoryFactory
from tests.together.redis_server import RedisServer, forget_axes_cache, use_redis_cache

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

RETRY_SECONDS = 0.2
STORY_TEXT = (
    "When we arrived in the town, it was raining and we knew nobody. A woman from the bakery on the corner "
    "gave my children bread every morning and asked nothing in return. Today I work in that bakery, and I "
    "give bread to the children who arrive after us."
)
STAFF_NAME, STAFF_PASSWORD = "moderator", "a long passphrase for 2026"


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    try:
        use_redis_cache(settings, server.url, retry_seconds=RETRY_SECONDS)
        yield server
    finally:
        server.stop()
        forget_axes_cache()


@pytest.fixture
def site(django_user_model):
    """What the public forms are about, and a staff account."""
    django_user_model.objects.create_user(STAFF_NAME, password=STAFF_PASSWORD, is_staff=True)
    return {
        "published": StoryFactory(published=True),
        "declined": StoryFactory(declined=True),
        "campaign": CampaignFactory(is_active=True, pledge_goal=100),
        "event": EventFactory(),
    }


def started(client, url):
    """The signed start time of the form on the page at ``url``."""
    return re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode()).group(1)


def share(client, site, email="amina@example.org", **fields):
    url = reverse("stories:story_create")
    data = {
        "title": "Bread every morning",
        "body": STORY_TEXT,
        "teller_role": "refugee",
        "naming": "anonymous",
        "language": "en",
        "email": email,
        "sharing": "site",
        "consent": "on",
        "started": started(client, url),
        **fields,
    }
    return client.post(url, data)


def report(client, site, comment="It names a neighbour."):
    url = reverse("stories:story_report", args=[site["published"].slug])
    return client.post(url, {"reason": "other", "comment": comment, "started": started(client, url)})


def pledge(client, site, email="amina@example.org", name="Amina Haddad"):
    url = site["campaign"].get_absolute_url()
    data = {"name": name, "email": email, "country": "BE", "started": started(client, url)}
    return client.post(url, data)


def sign_up(client, site, email="amina@example.org", name="Amina Haddad"):
    url = reverse("campaigns:event_signup", args=[site["event"].slug])
    data = {"name": name, "email": email, "role": "runner", "nationality": "SY"}
    return client.post(url, {**data, "started": started(client, url)})


def ask_for_links(client, site, email="amina@example.org"):
    url = reverse("stories:story_manage_request")
    return client.post(url, {"email": email, "started": started(client, url)})


def reply(client, site, text="It is my own story, and I can say more about it."):
    token = site["declined"].manage_token()
    return client.post(reverse("stories:story_reply", args=[token]), {"text": text})


def log_in(client, password=STAFF_PASSWORD):
    data = {"username": STAFF_NAME, "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data)


def test_every_public_form_and_the_admin_login_work_while_redis_is_down(client, site, redis_server):
    share(client, site, email="before@example.org")  # Redis in use, then gone
    redis_server.stop()

    statuses = {
        "share": share(client, site).status_code,
        "report": report(client, site).status_code,
        "pledge": pledge(client, site).status_code,
        "sign-up": sign_up(client, site).status_code,
        "links": ask_for_links(client, site).status_code,
        "reply": reply(client, site).status_code,
        "wrong password": log_in(client, password="wrong").status_code,
        "login": log_in(client).status_code,
    }

    assert statuses == {
        "share": 302,
        "report": 302,
        "pledge": 302,
        "sign-up": 302,
        "links": 302,
        "reply": 302,
        "wrong password": 200,
        "login": 302,
    }
    assert Story.objects.filter(body=STORY_TEXT, email="amina@example.org").exists()
    assert Report.objects.get().comment == "It names a neighbour."
    assert Pledge.objects.filter(name="Amina Haddad").exists()
    assert SignUp.objects.filter(name="Amina Haddad").exists()
    assert Story.objects.get(pk=site["declined"].pk).storyteller_reply.startswith("It is my own story")
    assert len(mail.outbox) >= 5


def test_form_with_an_error_comes_back_with_its_text_while_redis_is_down(client, site, redis_server):
    redis_server.stop()

    response = share(client, site, consent="")

    assert response.status_code == 200
    assert "bakery on the corner" in response.content.decode()


def test_limits_still_hold_in_the_process_while_redis_is_down(client, site, redis_server, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1/h")
    redis_server.stop()
    forms = [share, report, pledge, sign_up, ask_for_links, reply]
    for submit in forms:
        submit(client, site)

    refused = {submit.__name__: submit(client, site).status_code for submit in forms}
    lockout = [log_in(client, password=f"wrong-{n}").status_code for n in range(5)]

    assert refused == dict.fromkeys(refused, 429)
    assert lockout == [200, 200, 200, 200, 429]


def test_refused_over_the_limit_while_redis_is_down_keeps_the_text(client, site, redis_server, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pledge": "1/h"}
    redis_server.stop()
    pledge(client, site, email="first@example.org", name="First Person")

    response = pledge(client, site, email="second@example.org", name="Second Person")

    assert response.status_code == 429
    assert 'value="Second Person"' in response.content.decode()


def test_limits_are_shared_through_redis_again_once_it_is_back(client, site, redis_server, settings, caplog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story": "1/h"}
    redis_server.stop()
    share(client, site, email="during@example.org")
    redis_server.start()  # empty: --save ''
    time.sleep(RETRY_SECONDS * 2)

    with caplog.at_level(logging.INFO, logger="together.cache"):
        statuses = [share(client, site, email=f"after{n}@example.org").status_code for n in range(2)]
    lockout = [log_in(client, password=f"wrong-{n}").status_code for n in range(5)]

    assert statuses == [302, 429]
    assert lockout == [200, 200, 200, 200, 429]
    assert redis_server.client().dbsize() > 0  # the counts live in Redis again
    assert "Redis answers again" in caplog.text
