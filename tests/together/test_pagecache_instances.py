"""The page cache across two server processes sharing one Redis (and one
database), as in production: a change made anywhere reaches every cached
page of every instance at once; counters within their short lifetime;
languages never mixed; Redis down, pages still served (uncached).

The changes are made by a third process (one Django process reading code
from its input, started once) through the models' own methods, as the
admin, a storyteller's link or a cron command would."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.together.processes import PROJECT_ROOT, free_port, manage
from tests.together.redis_server import RedisServer

pytestmark = pytest.mark.slow

COUNTER_SECONDS = 4

# A process that runs the Python code it reads (one JSON string a line) and
# answers with what it printed (one JSON object a line).
CHANGER = """
import contextlib, io, json, os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "together.settings")
import django
django.setup()
for line in sys.stdin:
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(json.loads(line), {})
        answer = {"ok": True, "out": printed.getvalue()}
    except Exception:
        answer = {"ok": False, "out": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


# Both instances are asked for the same host, as behind a load balancer (the
# host is part of the cache key: absolute links in feeds name it).
HOST = "127.0.0.1"


def get(url, **headers):
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


class Site:
    """A database, a Redis and two instances of the site serving them."""

    def __init__(self, folder):
        self.folder = folder
        self.redis = RedisServer(folder)
        self.env = {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "REDIS_URL": "",  # set once Redis runs
            "PAGE_CACHE_SECONDS": "60",
            "PAGE_CACHE_COUNTER_SECONDS": str(COUNTER_SECONDS),
            "MEDIA_ROOT": str(folder / "media"),
            "FORM_MIN_SECONDS": "0",
        }
        self.servers, self.urls, self.logs = [], [], []
        self.changer = None

    def start(self):
        self.redis.start()
        self.env["REDIS_URL"] = self.redis.url
        migrated = manage("migrate", "--no-input", **self.env)
        assert migrated.returncode == 0, migrated.stderr
        for number in range(2):
            port = free_port()
            log = (self.folder / f"server{number}.log").open("w")
            self.logs.append(log)
            self.servers.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=PROJECT_ROOT,
                    env={**os.environ, **self.env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        self.changer = subprocess.Popen(
            [sys.executable, "-c", CHANGER],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for url in self.urls:
            deadline = time.monotonic() + 30
            while True:
                try:
                    get(f"{url}/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

    def stop(self):
        if self.changer is not None:
            self.changer.stdin.close()
            self.changer.wait(10)
            self.changer.stdout.close()
        for server in self.servers:
            server.terminate()
            server.wait(10)
        for log in self.logs:
            log.close()
        self.redis.stop()

    def run(self, code):
        """Python run against the same database and Redis (by CHANGER); what it printed."""
        self.changer.stdin.write(json.dumps(code) + "\n")
        self.changer.stdin.flush()
        answer = json.loads(self.changer.stdout.readline())
        assert answer["ok"], answer["out"]
        return answer["out"].strip()

    def cached_everywhere(self, path):
        """GET ``path`` from the first instance, then the second serves it from the cache."""
        get(self.urls[0] + path)
        status, headers, _body = get(self.urls[1] + path)
        assert status == 200
        assert headers["X-Page-Cache"] == "hit"

    def pages(self, path):
        return [get(url + path) for url in self.urls]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("pagecache"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def published_story(site, **fields):
    arguments = ", ".join(f"{name}={value!r}" for name, value in fields.items())
    return site.run(
        "from tests.stories.factories import StoryFactory\n"
        f"print(StoryFactory(published=True, {arguments}).slug)"
    )


def test_a_withdrawn_story_is_gone_from_every_cached_page_of_both_instances(site):
    slug = published_story(site, title="Bread from home")
    for path in ("/en/stories/", f"/en/stories/{slug}/", "/en/stories/feed/", "/sitemap-stories.xml"):
        site.cached_everywhere(path)

    site.run(f"from stories.models import Story\nStory.objects.get(slug={slug!r}).withdraw()")

    for path in ("/en/stories/", "/en/stories/feed/", "/sitemap-stories.xml"):
        assert [slug in body or "Bread from home" in body for _s, _h, body in site.pages(path)] == [
            False,
            False,
        ]
    with pytest.raises(urllib.error.HTTPError) as gone:
        get(site.urls[1] + f"/en/stories/{slug}/")
    assert gone.value.code == 404
    gone.value.close()


def test_an_unpublished_story_is_gone_from_both_instances(site):
    slug = published_story(site, title="A new street")
    site.cached_everywhere("/en/stories/")
    site.cached_everywhere("/fr/stories/")

    site.run(
        "from stories.models import Story\n"
        "from tests.stories.factories import ModeratorFactory\n"
        f"Story.objects.get(slug={slug!r}).unpublish(by=ModeratorFactory(), note='Asked')"
    )

    bodies = [body for path in ("/en/stories/", "/fr/stories/") for _s, _h, body in site.pages(path)]
    assert ["A new street" in body for body in bodies] == [False] * 4


def test_an_erased_city_is_gone_from_the_cached_story_page_of_both_instances(site):
    slug = published_story(site, title="Ghent in winter", city_or_region="Sint-Amandsberg")
    site.cached_everywhere(f"/en/stories/{slug}/")
    assert "Sint-Amandsberg" in site.pages(f"/en/stories/{slug}/")[0][2]

    site.run(
        "from stories.models import STORYTELLER, Story\n"
        f"Story.objects.get(slug={slug!r}).make_less_identifying(by=STORYTELLER, what='city')"
    )

    pages = site.pages(f"/en/stories/{slug}/")
    assert ["Sint-Amandsberg" in body for _s, _h, body in pages] == [False, False]


def test_a_confirmed_pledge_shows_on_both_instances_within_the_counter_lifetime(site):
    slug = site.run(
        "from tests.campaigns.factories import CampaignFactory\n"
        "print(CampaignFactory(is_active=True, slug='launch').slug)"
    )
    stats = f"/en/campaigns/{slug}/stats.json"
    site.cached_everywhere(stats)

    site.run(
        "from tests.campaigns.factories import PledgeFactory\n"
        "from campaigns.models import Campaign\n"
        f"PledgeFactory(campaign=Campaign.objects.get(slug={slug!r})).confirm()"
    )
    changed_at = time.monotonic()

    seen = [False, False]
    while not all(seen) and time.monotonic() - changed_at < COUNTER_SECONDS + 1:
        for number, (_s, _h, body) in enumerate(site.pages(stats)):
            seen[number] = seen[number] or '"confirmed_pledges": 1' in body
        time.sleep(0.1)
    assert seen == [True, True]
    assert time.monotonic() - changed_at <= COUNTER_SECONDS + 0.5


def browser():
    """A browser of its own: its own cookie jar."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def hidden_value(page, name):
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def send_pledge(opener, url, page, email):
    data = {
        "name": "Amina Haddad",
        "email": email,
        "country": "BE",
        "message": "",
        "source": "",
        "website": "",
        "started": hidden_value(page, "started"),
        "csrfmiddlewaretoken": hidden_value(page, "csrfmiddlewaretoken"),
    }
    request = urllib.request.Request(url, urllib.parse.urlencode(data).encode(), headers={"Host": HOST})
    with opener.open(request, timeout=10) as response:
        return response.geturl()


def test_two_browsers_send_the_cached_pledge_form_from_either_instance_and_a_third_is_refused(site):
    slug = site.run(
        "from campaigns.models import Campaign\n"
        "from tests.campaigns.factories import CampaignFactory\n"
        "print((Campaign.objects.active().first() or CampaignFactory(is_active=True)).slug)"
    )
    path = f"/en/campaigns/{slug}/"
    first, second = browser(), browser()
    with first.open(urllib.request.Request(site.urls[0] + path, headers={"Host": HOST})) as response:
        first_page, first_state = response.read().decode(), response.headers["X-Page-Cache"]
    with second.open(urllib.request.Request(site.urls[1] + path, headers={"Host": HOST})) as response:
        second_page, second_state = response.read().decode(), response.headers["X-Page-Cache"]
    site.cached_everywhere(path)

    sent = [
        send_pledge(first, site.urls[1] + path, first_page, "first@example.org"),
        send_pledge(second, site.urls[0] + path, second_page, "second@example.org"),
    ]
    with pytest.raises(urllib.error.HTTPError) as refused:
        send_pledge(browser(), site.urls[0] + path, second_page, "third@example.org")
    refused.value.close()

    assert (first_state, second_state) == ("miss", "hit")
    assert [url.endswith(f"{path}pledge/sent/") for url in sent] == [True, True]
    assert refused.value.code == 403
    emails = site.run(
        "from campaigns.models import Pledge\n"
        "print(*sorted(Pledge.objects.filter(email__in=['first@example.org', 'second@example.org'])"
        ".values_list('email', flat=True)))"
    )
    assert emails == "first@example.org second@example.org"


def test_each_instance_answers_each_language_in_that_language_only(site):
    for path in ("/en/", "/fr/", "/ar/", "/zh-hans/"):
        site.cached_everywhere(path)

    languages = {
        path: [re.search(r'<html lang="([^"]+)"', body).group(1) for _s, _h, body in site.pages(path)]
        for path in ("/en/", "/fr/", "/ar/", "/zh-hans/")
    }

    assert languages == {
        "/en/": ["en", "en"],
        "/fr/": ["fr", "fr"],
        "/ar/": ["ar", "ar"],
        "/zh-hans/": ["zh-hans", "zh-hans"],
    }


def test_a_private_page_is_never_in_the_shared_cache(site):
    path = site.run(
        "from tests.stories.factories import StoryFactory\nprint(StoryFactory(published=True).manage_url())"
    )
    path = path.removeprefix("http://127.0.0.1:8000")

    answers = site.pages(path) + site.pages(path)

    assert ["X-Page-Cache" in headers for _s, headers, _b in answers] == [False] * 4
    assert all("no-store" in headers["Cache-Control"] for _s, headers, _b in answers)
    assert not [key for key in site.redis.client().keys("*") if b"manage" in key]


def test_with_redis_down_pages_are_served_uncached_and_a_change_is_seen_at_once(site):
    slug = published_story(site, title="Down the road")
    site.cached_everywhere("/en/stories/")
    site.redis.stop()
    try:
        site.run(f"from stories.models import Story\nStory.objects.get(slug={slug!r}).withdraw()")

        answers = site.pages("/en/stories/")

        assert [status for status, _h, _b in answers] == [200, 200]
        assert ["Down the road" in body for _s, _h, body in answers] == [False, False]
        assert [headers.get("X-Page-Cache") for _s, headers, _b in answers] == [None, None]
    finally:
        site.redis.start()
