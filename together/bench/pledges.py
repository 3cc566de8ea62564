"""The pledge flow under load, as people go through it (used by ``make bench``).

Each simulated person, on a keep-alive connection of their own: GET the
campaign page (CSRF cookie, the form's signed stamp), POST the pledge form,
read the confirmation link from the outbox (the email is rendered and stored
when the pledge is submitted: together.mail), GET the link (the page with
the button) and POST it. A person counts as confirmed when the last POST
redirects to the thank-you page. Afterwards the campaign's counter is
compared with the confirmed rows. The people may be shared among several
driver processes (``processes``), so that the driver, Python on the same
machine, is not what limits the figure. Needs Django set up on the server's
database (DATABASE_URL) and a server started with FORM_MIN_SECONDS=0 and the
pledge rate limits raised (the bench sets both).
"""

import http.client
import multiprocessing
import re
import secrets
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlencode, urlsplit

from django.db import close_old_connections, connections

from campaigns.models import Campaign, CampaignCountryCount, Pledge
from together.mail import normalise_email
from together.models import OutboundEmail

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(rb'name="started" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"(/[a-z-]+/pledge/confirm/[^/\s]+/)")
EMAIL_DOMAIN = "pledge-bench.together.example"


class Person:
    """One browser: a connection and its cookies."""

    def __init__(self, host, port, timings):
        self.host, self.port, self.timings = host, port, timings
        self.connection = None
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        self.timings.append(time.perf_counter() - started)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content

    def pledge(self, campaign_path, country):
        """Goes through the whole flow; returns None when confirmed, else what went wrong."""
        status, _headers, page = self.request("GET", campaign_path)
        token, stamp = TOKEN.search(page), STAMP.search(page)
        if status != 200 or not token or not stamp:
            return f"campaign page {status}"
        email = f"{secrets.token_hex(8)}@{EMAIL_DOMAIN}"
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "started": stamp.group(1).decode(),
            "website": "",
            "name": "Bench Supporter",
            "email": email,
            "country": country,
            "message": "",
            "source": "campaign_page",
        }
        status, headers, _content = self.request("POST", campaign_path, form)
        if status not in (302, 303):
            return f"pledge form {status}"
        # By the indexed column: ``to`` has no index, and the outbox grows
        # with every run.
        outbox = OutboundEmail.objects.filter(to_normalised=normalise_email(email))
        texts = outbox.values_list("text_body", flat=True)
        link = next((m.group(1) for text in texts if (m := CONFIRM_LINK.search(text))), None)
        if link is None:
            return "no confirmation email"
        status, _headers, page = self.request("GET", link)
        token = TOKEN.search(page)
        if status != 200 or not token:
            return f"confirmation page {status}"
        confirm = {"csrfmiddlewaretoken": token.group(1).decode()}
        status, headers, _content = self.request("POST", link, confirm)
        if status not in (302, 303) or "/thanks/" not in headers.get("Location", ""):
            return f"confirmation {status}"
        return None


COUNTRIES = ["BE", "FR", "DE", "NL", "ES", "SY", "UA", "AF", "CA", "JO"]


def _people(host, port, campaign_path, numbers, deadline):
    """People ``numbers`` (one thread each) going through the flow until
    ``deadline`` (time.monotonic(), the same clock in every process):
    (request timings, failures, confirmations)."""
    timings, errors, confirmed = [], [], []

    def work(number):
        person = Person(host, port, timings)
        while time.monotonic() < deadline:
            person.cookies.clear()  # a new person each time
            try:
                failure = person.pledge(campaign_path, COUNTRIES[number % len(COUNTRIES)])
            except (OSError, http.client.HTTPException) as error:
                failure = f"socket: {type(error).__name__}"
            (errors if failure else confirmed).append(failure or 1)
        close_old_connections()

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return timings, errors, len(confirmed)


def run(base_url, *, seconds=60, clients=32, processes=1, campaign_slug="together", language="en"):
    """Drive the flow for ``seconds`` with ``clients`` people at a time; a dict of results.

    The people are shared among ``processes`` driver processes (forked, each
    with its threads and its own database connection), so that the driver's
    own CPU (one core per process at most, Python's lock) does not cap what
    is measured."""
    campaign = Campaign.objects.get(slug=campaign_slug)
    before = Pledge.objects.filter(campaign=campaign).confirmed().count()
    address = urlsplit(base_url)
    campaign_path = f"/{language}/campaigns/{campaign.slug}/"
    shares = [range(n, clients, processes) for n in range(max(1, processes))]
    started = time.monotonic()
    deadline = started + seconds
    jobs = [(address.hostname, address.port, campaign_path, share, deadline) for share in shares]
    if len(jobs) == 1:
        results = [_people(*jobs[0])]
    else:
        connections.close_all()  # a forked process must not share the parent's
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(jobs), mp_context=context) as pool:
            results = list(pool.map(_people, *zip(*jobs, strict=True)))
    timings = [timing for result in results for timing in result[0]]
    errors = [error for result in results for error in result[1]]
    confirmed = sum(result[2] for result in results)
    elapsed = time.monotonic() - started
    close_old_connections()
    campaign.refresh_from_db()
    rows = Pledge.objects.filter(campaign=campaign).confirmed().count()
    by_country = sum(CampaignCountryCount.objects.filter(campaign=campaign).values_list("count", flat=True))
    ordered = sorted(timings)

    def percentile(share):
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000, 1) if ordered else None

    error_kinds = {}
    for error in errors:
        error_kinds[error] = error_kinds.get(error, 0) + 1
    return {
        "seconds": round(elapsed, 1),
        "clients": clients,
        "processes": len(jobs),
        "confirmed": confirmed,
        "confirmed_per_second": round(confirmed / elapsed, 1),
        "requests": len(timings),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": len(errors),
        "error_kinds": error_kinds,
        "confirmed_rows_added": rows - before,
        "counter": campaign.confirmed_pledges,
        "confirmed_rows": rows,
        "counter_exact": campaign.confirmed_pledges == rows == by_country,
    }
