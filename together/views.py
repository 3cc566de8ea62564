"""Site pages (home, about, health check) and the error pages.

The error views answer without reading the request again. Django's own
defaults are wrapped in ``requires_csrf_token``, which runs the CSRF check a
second time and so re-reads a body that just failed to decode: a POST in
UTF-16 then answered a bare 500 and wrote two tracebacks per view. Ours never
read the body: the 400, 403 and 404 pages render with the usual context
processors (which touch the session and the user only lazily), and the 500
page without any (no session, no database), since the error may be theirs.
"""

import math

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from campaigns.models import Campaign
from stories.models import Story
from together import personal_data, readiness, retention
from together.abuse import RateLimited, check_email_rate_limit, check_rate_limit, rate_limited_error
from together.forms import PersonalDataRequestForm
from together.tasks import send_personal_data_link

FEATURED_STORIES_ON_HOME = 3


@require_safe
def home(request):
    campaign = Campaign.objects.active().first()
    featured_stories = (
        Story.objects.featured()
        .with_reader_translation(translation.get_language())
        .with_tags()
        .defer("search_vector", "search_words")
        .order_by("-published_at")[:FEATURED_STORIES_ON_HOME]
    )
    return render(request, "together/home.html", {"campaign": campaign, "featured_stories": featured_stories})


@require_safe
def about(request):
    return render(request, "together/about.html")


@require_safe
def privacy(request):
    """What the site collects, who sees it, how long it is kept (the
    retention settings themselves: together.retention.periods) and how to
    ask for it."""
    return render(request, "together/privacy.html", {"periods": retention.periods()})


@require_http_methods(["GET", "HEAD", "POST"])
def personal_data_request(request):
    """Ask, by address, for everything the site holds about it.

    The answer is the same, in words and in time, whether or not the site
    knows the address: the view only enqueues the task that looks it up and
    emails the link to that address alone (together.tasks)."""
    form = PersonalDataRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        try:
            check_rate_limit(request, "personal_data")
            if form.is_valid():
                check_email_rate_limit(request, "personal_data", form.cleaned_data["email"])
        except RateLimited:
            form.add_error(None, rate_limited_error())
            return render(request, "together/personal_data_request.html", {"form": form}, status=429)
    if form.is_valid():
        send_personal_data_link.enqueue(form.cleaned_data["email"], translation.get_language())
        messages.success(request, personal_data.request_answer())
        return redirect("personal_data_request")
    return render(request, "together/personal_data_request.html", {"form": form})


def _holdings_for_token(request, token):
    """(holdings, None) for a valid link, else (None, the page explaining it)."""
    try:
        email = personal_data.email_from_token(token)
    except signing.BadSignature:  # expired links too (SignatureExpired)
        return None, render(request, "together/personal_data_link_invalid.html", status=404)
    return personal_data.holdings(email), None


@require_safe
def personal_data_view(request, token):
    """Everything the site holds about the link's address."""
    held, refusal = _holdings_for_token(request, token)
    if refusal:
        return refusal
    context = {"held": held, "token": token, "valid_hours": personal_data.link_valid_for_hours()}
    return render(request, "together/personal_data.html", context)


@require_safe
def personal_data_download(request, token):
    """The same, as a JSON file."""
    held, refusal = _holdings_for_token(request, token)
    if refusal:
        return refusal
    response = JsonResponse(held.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="together-my-data.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def personal_data_erase(request, token):
    """GET asks for confirmation; POST erases everything held about the
    link's address (together.personal_data.erase)."""
    held, refusal = _holdings_for_token(request, token)
    if refusal:
        return refusal
    if request.method == "POST":
        personal_data.erase(held.email)
        messages.success(request, _("Everything we held about your address is erased."))
        return redirect("personal_data", token=token)
    return render(request, "together/personal_data_erase.html", {"held": held, "token": token})


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a username and address have given too
    many wrong passwords (settings.AXES_LOCKOUT_CALLABLE): a page that says
    when to try again, with status 429 and Retry-After."""
    cooloff_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": math.ceil(cooloff_seconds / 60)}
    response = render(request, "together/login_locked_out.html", context, status=429)
    response["Retry-After"] = str(cooloff_seconds)
    return response


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: is this instance able to serve?

    Answers 503 when the database cannot be reached. Says nothing else about
    the system (no versions, no personal data)."""
    if not database_answers():
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def database_answers():
    """Whether the database answers a query now, in one round trip.

    A query through Django's cursor costs two on a kept connection: first
    its health check (CONN_HEALTH_CHECKS, a ``SELECT 1``), then the query,
    itself a ``SELECT 1`` here. The health check alone is the answer. A kept
    connection the server has dropped (a restart) is replaced once before
    the database is said to be down, as Django's check would."""
    try:
        connection.ensure_connection()
        try:
            with connection.wrap_database_errors:
                _select_one(connection.connection)  # the driver's cursor: no health check first
            return True
        except DatabaseError:
            connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _select_one(driver_connection):
    cursor = driver_connection.cursor()
    try:
        cursor.execute("SELECT 1")
    finally:
        cursor.close()


def ceiling(request):
    """A constant answer behind every middleware: the framework's ceiling
    that `make bench` measures each page against (issue 12), with nothing
    of the site's own work in it (no query, no cache, no template). Mounted
    only when settings.BENCH_CEILING is on (together/urls.py)."""
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """For monitors and deploys: is everything this instance needs working
    (database, Redis, a worker taking the queue; together/readiness.py)?

    503 names the failed checks, ``{"status": "unavailable", "failed":
    ["redis"]}``, and nothing else. Load balancers keep using /healthz: a
    stuck queue or Redis outage must not take every instance out of service
    (the site still answers without them)."""
    failed = readiness.failed_checks()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


# --- Error pages (together/urls.py handler400 … handler500, CSRF_FAILURE_VIEW) ---


def bad_request(request, exception=None):
    """400: a request Django refused to read (undecodable body, bad host…)."""
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500: rendered without context processors, so it answers even when
    the error was the database, the cache or the session."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """A form sent without its security token (an expired page, cookies
    off): says what to do. ``reason`` is for the log, never for the page."""
    return render(request, "403_csrf.html", status=403)
