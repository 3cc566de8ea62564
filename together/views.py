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
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from campaigns.models import Campaign
from stories.models import Story

FEATURED_STORIES_ON_HOME = 3


@require_safe
def home(request):
    campaign = Campaign.objects.active().first()
    featured_stories = (
        Story.objects.featured()
        .with_reader_translation(translation.get_language())
        .prefetch_related("tags")
        .order_by("-published_at")[:FEATURED_STORIES_ON_HOME]
    )
    return render(request, "together/home.html", {"campaign": campaign, "featured_stories": featured_stories})


@require_safe
def about(request):
    return render(request, "together/about.html")


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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
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
