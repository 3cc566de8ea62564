"""Stateless app servers (issue 13): the pledge and story journeys in a
browser through nginx, which alternates between two instances, and the
limits counted across both. Sessions, CSRF tokens, form stamps, rate limits
and login lockouts live in the shared database and Redis, so it makes no
difference which instance serves which request."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest

from tests.browser.conftest import click_button, close_page, fill_by_label, open_page, select_by_label
from tests.browser.several_instances import (
    INSTANCES,
    LOGIN_FAILURE_LIMIT,
    PERSONAL_DATA_LIMIT,
    SeveralInstances,
    require_nginx_and_redis,
)
from tests.browser.storytelling import share_story

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    require_nginx_and_redis()
    servers = SeveralInstances(tmp_path_factory.mktemp("instances"))
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def visitor(browser, instances, request):
    """A page of the browser through nginx, with the X-Served-By of every
    answer the app servers gave it in ``page.served_by``."""
    page = open_page(browser, SimpleNamespace(url=instances.url))
    page.served_by = []
    page.on("response", lambda response: page.served_by.append(response.headers.get("x-served-by")))
    yield page
    close_page(page, request.node.nodeid)


def link_in_last_email(instances, path_part):
    match = re.search(re.escape(instances.url) + rf"(/\S*{path_part}\S*/)", instances.emails()[-1])
    assert match, f"no {path_part} link in the last email"
    return match.group(0)


def counter_within(visitor, path, *, seconds):
    """The campaign counter's text once it shows a pledge, reloading for up
    to ``seconds`` (or the last text read)."""
    deadline = time.monotonic() + seconds
    while True:
        visitor.goto(path)
        text = visitor.locator(".pledge-counter__total").inner_text()
        if not text.startswith("0 ") or time.monotonic() > deadline:
            return text
        time.sleep(0.5)


def test_pledge_journey_works_whichever_instance_serves_each_request(visitor, instances):
    visitor.goto("/en/campaigns/together/")
    fill_by_label(visitor, "Your name:", "Amina Haddad")
    fill_by_label(visitor, "Your email address:", "amina@example.org")
    select_by_label(visitor, "Your country:", "Belgium")
    click_button(visitor, "Pledge my support")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Check your email to confirm your pledge"

    visitor.goto(link_in_last_email(instances, "/pledge/confirm/"))
    click_button(visitor, "Confirm my pledge")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Thank you: your pledge is counted"

    # A cached campaign page counts at most PAGE_CACHE_COUNTER_SECONDS behind.
    assert counter_within(visitor, "/en/campaigns/together/", seconds=5) == "1 person has pledged"
    assert set(visitor.served_by) - {None} == set(INSTANCES)


def test_story_journey_works_whichever_instance_serves_each_request(visitor, instances):
    share_story(visitor, title="Bread every morning")

    visitor.goto(link_in_last_email(instances, "/manage/"))
    assert visitor.get_by_role("heading", level=1).inner_text() == "Your story"
    assert visitor.get_by_role("heading", level=3).inner_text() == "Bread every morning"
    assert set(visitor.served_by) - {None} == set(INSTANCES)


def post_answers(opener, url, data, times):
    """(status, X-Served-By) of sending ``data`` to ``url`` ``times`` times."""
    answers = []
    for _ in range(times):
        try:
            with opener.open(url, data=urllib.parse.urlencode(data).encode(), timeout=10) as response:
                answers.append((response.status, response.headers["X-Served-By"]))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.headers["X-Served-By"]))
            error.close()
    return answers


def form_opener(url):
    """A client with cookies, and the CSRF token of the form at ``url``."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(url, timeout=10) as response:
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    return opener, csrf


def test_rate_limit_counts_the_attempts_both_instances_received(instances):
    url = f"{instances.url}/en/privacy/my-data/"
    opener, csrf = form_opener(url)

    answers = post_answers(opener, url, {"csrfmiddlewaretoken": csrf, "email": ""}, PERSONAL_DATA_LIMIT + 1)

    assert [status for status, _ in answers] == [200] * PERSONAL_DATA_LIMIT + [429]
    assert {served_by for _, served_by in answers} == set(INSTANCES)


def test_login_lockout_counts_the_wrong_passwords_both_instances_received(instances):
    url = f"{instances.url}/admin/login/"
    opener, csrf = form_opener(url)
    wrong = {"csrfmiddlewaretoken": csrf, "username": "moderator", "password": "not-the-password"}

    answers = post_answers(opener, url, wrong, LOGIN_FAILURE_LIMIT)

    assert [status for status, _ in answers] == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]
    assert {served_by for _, served_by in answers} == set(INSTANCES)
