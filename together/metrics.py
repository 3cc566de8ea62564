"""Prometheus metrics at /metrics, for the operators' monitoring.

Served only with ``Authorization: Bearer <METRICS_TOKEN>`` (compared in
constant time); without a configured token the page does not exist (404)
and requests are not timed (:class:`MetricsMiddleware` is left out), so a
site that does not scrape pays nothing. A wrong or missing token is 401.

What is measured:

* ``together_http_request_duration_seconds{view,method,status}``: every
  request, labelled by its route's name (never the raw path: no token or
  address in a label, and a bounded number of series), status by class.
* ``together_email_deliveries_total{outcome="sent"|"failed"}``: counted
  where the outbox records a delivery or a failed attempt, in whichever
  process did it (the worker's figures show when it shares the web
  instance's PROMETHEUS_MULTIPROC_DIR). Every metric has labels, so a
  process that measures nothing (a cron command) writes no file there.
* Read at scrape time, with a few indexed queries whose cost does not grow
  with the data (:class:`DatabaseCollector`): emails and tasks waiting for
  delivery and the age of the oldest, pledges confirmed per campaign (the
  campaigns' counters), stories waiting for review.

Several gunicorn workers each hold their own figures: with
PROMETHEUS_MULTIPROC_DIR set (together/gunicorn.conf.py makes one when a
token is configured and no folder is named) every worker writes them to
that folder and a scrape adds them up (prometheus_client's multiprocess
mode). The folder belongs to one instance and the task worker beside it;
no live gauge is kept there (the gauges are read at scrape time), so it
need not be emptied when they restart.
"""

import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

from together.models import OutboundEmail

# A folder named but not made yet (prometheus_client writes to it as soon as
# a metric is first used).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

REQUEST_DURATION = Histogram(
    "together_http_request_duration_seconds",
    "Time to answer a request, by route name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EMAIL_DELIVERIES = Counter(
    "together_email_deliveries",
    "Email delivery attempts: sent (the mail server took it) or failed (it is retried).",
    ["outcome"],
)

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class MetricsMiddleware:
    """Times every request (outermost but for the request id); left out when
    no METRICS_TOKEN is configured."""

    def __init__(self, get_response):
        if not settings.METRICS_TOKEN:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_DURATION.labels(
            view=(match.view_name if match and match.view_name else "unresolved"),
            method=request.method if request.method in KNOWN_METHODS else "other",
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


@receiver(post_save, sender=OutboundEmail, dispatch_uid="together.count_emails")
def count_email_outcome(sender, instance, update_fields=None, **kwargs):
    """OutboundEmail.record_sent and record_failure save these fields only."""
    fields = set(update_fields or ())
    if "sent_at" in fields and instance.sent_at is not None:
        EMAIL_DELIVERIES.labels(outcome="sent").inc()
    elif "last_error" in fields and instance.last_error:
        EMAIL_DELIVERIES.labels(outcome="failed").inc()


class DatabaseCollector:
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self):
        from campaigns.models import Campaign
        from stories.models import Story
        from together import readiness

        try:
            try:
                waiting = readiness.waiting_work()
            except (RedisError, OSError):  # the Redis task queue is down: /readyz says so
                waiting = {}
            campaigns = list(Campaign.objects.values_list("slug", "confirmed_pledges"))
            stories = Story.objects.awaiting_moderation().count()
        except DatabaseError:
            yield _gauge("together_database_up", "1 when the database answered this scrape.", 0)
            return
        yield _gauge("together_database_up", "1 when the database answered this scrape.", 1)
        for queue, (depth, oldest_seconds) in waiting.items():
            yield _gauge(f"together_{queue}_queue_depth", f"{queue.capitalize()}s due, not yet done.", depth)
            yield _gauge(
                f"together_{queue}_queue_oldest_seconds",
                f"How long the oldest due {queue} has waited (0 when none).",
                oldest_seconds,
            )
        pledges = GaugeMetricFamily(
            "together_pledges_confirmed", "Online pledges confirmed, per campaign.", labels=["campaign"]
        )
        for slug, count in campaigns:
            pledges.add_metric([slug], count)
        yield pledges
        yield _gauge("together_stories_awaiting_review", "Stories waiting for a decision.", stories)


def _gauge(name, documentation, value):
    return GaugeMetricFamily(name, documentation, value=value)


class _ProcessCollectors:
    """This process's own metrics (no multiprocess folder)."""

    def collect(self):
        yield from REGISTRY.collect()


def scrape():
    """The exposition text of every metric."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessCollectors())
    registry.register(DatabaseCollector())
    return generate_latest(registry)


def token_matches(request):
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(
        given.strip().encode(), settings.METRICS_TOKEN.encode()
    )


@never_cache
@require_safe
def metrics_view(request):
    if not settings.METRICS_TOKEN:
        raise Http404
    if not token_matches(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
