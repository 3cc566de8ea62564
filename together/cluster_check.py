"""`make cluster-check`: a load through nginx across both instances, one of
them killed halfway, and nothing accepted lost.

Virtual visitors (threads, each with its own cookies) for ``duration``
seconds: most read pages (home, stories, a story, the campaign, events),
some pledge and confirm their pledge, some share a story, each form first
shown (its CSRF token and stamp), then sent, as a browser does. At
``kill_after`` seconds one instance is killed with SIGKILL (its gunicorn
master and workers: a crash, requests in flight lost), or stopped with
SIGTERM (``--signal TERM``); ``restart_after``
seconds later it is started again, as systemd would.

What counts:

- every page read answers 200 (nginx retries a GET on the other instance);
- a form post that fails gets nginx's "try again" page
  (deploy/nginx/errors/try-again.html), and the visitor then sends the same
  form again, as the page tells a person to; anything else is an error;
- afterwards, every pledge the site accepted is in the database, every
  confirmation it accepted left the pledge confirmed, every story it thanked
  for is stored, and the campaign's counters equal the true counts (their
  repair, run in a transaction rolled back, finds nothing to fix).

A story sent again after a lost answer may be stored twice: that is
reported (a moderator sees both), never counted as lost. The confirmation
link is read from the database (``Pledge.confirm_token``) rather than from
the email the workers write, so the check does not wait on delivery.
"""

import html
import http.cookiejar
import os
import random
import re
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from campaigns.models import Campaign, Pledge
from stories.models import Story

TRY_AGAIN_MARKER = b'<meta name="together-answer" content="try-again">'
STORY_BODY = (
    "When we arrived in the town it was raining and we knew nobody. A woman from the bakery on the "
    "corner gave my children bread every morning and asked nothing in return. Today I work in that "
    "bakery, and I give bread to the children who arrive after us. (Sent by the cluster check.)"
)
PAGES = ("/en/", "/en/stories/", "/en/about/", "/en/events/", "/fr/", "/ar/stories/")
MAX_SENDS = 6


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def try_again(self):
        return self.status in (502, 503, 504) and TRY_AGAIN_MARKER in self.body


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)
    served_by: Counter = field(default_factory=Counter)
    get_errors: list = field(default_factory=list)
    post_errors: list = field(default_factory=list)
    try_again: Counter = field(default_factory=Counter)
    pledges_accepted: list = field(default_factory=list)
    pledges_confirmed: list = field(default_factory=list)
    stories_accepted: list = field(default_factory=list)

    def add(self, name, value):
        with self.lock:
            getattr(self, name).append(value)

    def count(self, counter, key):
        with self.lock:
            getattr(self, counter)[key] += 1


class Visitor:
    """One person's browser: cookies kept, redirects looked at, not followed."""

    def __init__(self, base_url, tally):
        self.base_url = base_url
        self.tally = tally
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, method, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read())
        except OSError as error:  # nginx itself unreachable: never expected
            answer = Answer(0, {}, str(error).encode())
        self.tally.count("requests", method)
        self.tally.count("served_by", answer.headers.get("X-Served-By", "nginx"))
        return answer

    def get(self, path, *, expect=200):
        answer = self.request("GET", path)
        if answer.status != expect:
            self.tally.add("get_errors", f"GET {path}: {answer.status}")
            return None
        return answer

    def send_form(self, path, form_page, fields, *, kind):
        """POST the form shown in ``form_page`` with ``fields``; when an
        attempt fails with nginx's "try again" page, send it again as a person
        would (the stamp the site refuses as already used replaced by the
        fresh one its answer carries). The final answer, or None."""
        data = {**hidden_fields(form_page), **fields}
        for _ in range(MAX_SENDS):
            answer = self.request("POST", path, data)
            if answer.try_again:
                self.tally.count("try_again", kind)
                time.sleep(1)
                continue
            if answer.status == 400 and b"already been sent" in answer.body:
                data = {**data, **hidden_fields(answer.body)}
                continue
            return answer
        self.tally.add("post_errors", f"POST {path}: still failing after {MAX_SENDS} sends")
        return None


def hidden_fields(page):
    """The CSRF token and the form stamp of the first form of ``page``."""
    text = page.decode() if isinstance(page, bytes) else page
    found = {}
    for name in ("csrfmiddlewaretoken", "started"):
        match = re.search(rf'name="{name}" value="([^"]+)"', text)
        if match:
            found[name] = html.unescape(match.group(1))
    return found


def read_pages(visitor, story_path):
    visitor.get(random.choice((*PAGES, story_path, "/en/campaigns/together/")))


def pledge(visitor, run, campaign):
    page = visitor.get(campaign.get_absolute_url())
    if page is None:
        return
    email = f"cluster-{run}-{uuid.uuid4().hex[:12]}@example.org"
    fields = {"name": "Amina", "email": email, "country": "BE", "message": ""}
    answer = visitor.send_form(campaign.get_absolute_url(), page.body, fields, kind="pledge")
    if answer is None:
        return
    if answer.status != 302 or "/pledge/sent/" not in answer.headers.get("Location", ""):
        visitor.tally.add("post_errors", f"pledge: {answer.status} {answer.body[:200]!r}")
        return
    visitor.tally.add("pledges_accepted", email)
    # The link the confirmation email carries.
    token = Pledge.objects.get(campaign=campaign, email_normalised=email).confirm_token()
    confirm_path = f"/en/pledge/confirm/{token}/"
    page = visitor.get(confirm_path)
    if page is None:
        return
    answer = visitor.send_form(confirm_path, page.body, {}, kind="confirmation")
    if answer is None:
        return
    if answer.status != 302 or "/pledge/thanks/" not in answer.headers.get("Location", ""):
        visitor.tally.add("post_errors", f"confirmation: {answer.status} {answer.body[:200]!r}")
        return
    visitor.tally.add("pledges_confirmed", email)


def share_story(visitor, run):
    path = "/en/stories/share/"
    page = visitor.get(path)
    if page is None:
        return
    title = f"Cluster check {run} {uuid.uuid4().hex[:12]}"
    fields = {
        "title": title,
        "body": STORY_BODY,
        "language": "en",
        "teller_role": "refugee",
        "naming": "anonymous",
        "email": f"story-{run}-{uuid.uuid4().hex[:8]}@example.org",
        "sharing": "site",
        "consent": "on",
        "tags": "bakery",
    }
    answer = visitor.send_form(path, page.body, fields, kind="story")
    if answer is None:
        return
    if answer.status != 302 or "/share/thanks/" not in answer.headers.get("Location", ""):
        visitor.tally.add("post_errors", f"story: {answer.status} {answer.body[:300]!r}")
        return
    visitor.tally.add("stories_accepted", title)


def visit(visitor, run, campaign, story_path, stop_at):
    actions = [read_pages] * 6 + [pledge] * 2 + [share_story] * 2
    while time.monotonic() < stop_at:
        action = random.choice(actions)
        if action is read_pages:
            action(visitor, story_path)
        elif action is pledge:
            action(visitor, run, campaign)
        else:
            action(visitor, run)


def counters_need_repair(campaign):
    """What Campaign.repair_pledge_counts would fix, without fixing it."""
    with transaction.atomic():
        fixes = campaign.repair_pledge_counts()
        transaction.set_rollback(True)
    return fixes


@dataclass
class Outcome:
    tally: Tally
    lost_pledges: list
    unconfirmed_pledges: list
    lost_stories: list
    duplicated_stories: int
    counter_fixes: list
    counter_delta: int
    events: list

    @property
    def passed(self):
        return not (
            self.tally.get_errors
            or self.tally.post_errors
            or self.lost_pledges
            or self.unconfirmed_pledges
            or self.lost_stories
            or self.counter_fixes
            or self.counter_delta != len(self.tally.pledges_confirmed)
        )


def run_check(
    *, base_url, visitors, duration, kill_after, restart_after, kill, restart, campaign_slug="together"
):
    """Run the load; ``kill()`` and ``restart()`` are called at their times."""
    run = time.strftime("%m%d%H%M%S")
    campaign = Campaign.objects.get(slug=campaign_slug)
    counted_before = campaign.confirmed_pledges
    story = Story.objects.published().first()
    story_path = story.get_absolute_url() if story else "/en/stories/"
    tally = Tally()
    events = []
    start = time.monotonic()
    stop_at = start + duration
    threads = [
        threading.Thread(target=visit, args=(Visitor(base_url, tally), run, campaign, story_path, stop_at))
        for _ in range(visitors)
    ]
    for thread in threads:
        thread.start()
    schedule = [(kill_after, "kill", kill), (kill_after + restart_after, "restart", restart)]
    for at, name, action in schedule:
        if action is None or at >= duration:
            continue
        time.sleep(max(0, start + at - time.monotonic()))
        events.append(f"{time.monotonic() - start:5.1f} s: {name} {action()}")
    for thread in threads:
        thread.join()

    pledges = {
        pledge.email_normalised: pledge
        for pledge in Pledge.objects.filter(campaign=campaign, email_normalised__startswith=f"cluster-{run}-")
    }
    stories = Story.objects.filter(title__startswith=f"Cluster check {run} ")
    titles = Counter(stories.values_list("title", flat=True))
    campaign.refresh_from_db()
    return Outcome(
        tally=tally,
        lost_pledges=[email for email in tally.pledges_accepted if email not in pledges],
        unconfirmed_pledges=[
            email for email in tally.pledges_confirmed if email in pledges and not pledges[email].is_confirmed
        ],
        lost_stories=[title for title in tally.stories_accepted if title not in titles],
        duplicated_stories=sum(count - 1 for count in titles.values()),
        counter_fixes=counters_need_repair(campaign),
        counter_delta=campaign.confirmed_pledges - counted_before,
        events=events,
    )


def report(outcome, write):
    tally = outcome.tally
    write("Events: " + ("; ".join(outcome.events) or "none"))
    write(f"Requests: {dict(tally.requests)}; served by: {dict(sorted(tally.served_by.items()))}")
    write(f"Page errors (GET): {len(tally.get_errors)} {tally.get_errors[:10]}")
    write(f"Form posts answered 'try again', then sent again: {dict(tally.try_again)}")
    write(f"Form posts failed otherwise: {len(tally.post_errors)} {tally.post_errors[:10]}")
    write(
        f"Pledges accepted: {len(tally.pledges_accepted)}, lost: {len(outcome.lost_pledges)}; "
        f"confirmations accepted: {len(tally.pledges_confirmed)}, "
        f"not confirmed in the database: {len(outcome.unconfirmed_pledges)}"
    )
    write(
        f"Stories accepted: {len(tally.stories_accepted)}, lost: {len(outcome.lost_stories)}, "
        f"stored twice after a resend: {outcome.duplicated_stories}"
    )
    write(
        f"Campaign counter: +{outcome.counter_delta} for {len(tally.pledges_confirmed)} confirmations; "
        f"repairs needed: {outcome.counter_fixes or 'none'}"
    )
    write("PASSED" if outcome.passed else "FAILED")


def kill_instance(pid, how="KILL"):
    """KILL: SIGKILL to the session of ``pid`` (a gunicorn master and its
    workers, started by together.cluster in a session of their own): a crash,
    requests in flight lost. TERM: SIGTERM to the master, which stops taking
    requests and lets its workers finish theirs (a systemd stop)."""
    if how == "TERM":
        os.kill(pid, signal.SIGTERM)
        return f"(SIGTERM to PID {pid})"
    os.killpg(pid, signal.SIGKILL)
    return f"(SIGKILL to PID {pid} and its workers)"
