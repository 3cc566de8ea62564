"""Is this instance ready to take traffic, with everything it depends on?

``/readyz`` (together.views.readyz) runs :func:`failed_checks`; ``/healthz``
stays the cheap liveness check (one ``SELECT 1``). The checks:

* ``database``: the database answers.
* ``redis``: Redis answers a PING (only when REDIS_URL is set). Asked
  directly: the cache itself hides an outage (together/cache.py).
* ``queue``: nothing has waited for delivery longer than
  READYZ_QUEUE_MAX_AGE (10 minutes): the oldest due email of the outbox, and
  the oldest ready task of the database queue when it is the task backend.
  Older means no worker is taking work (stopped, stuck, or the mail server
  refusing everything).

Each query reads a partial index of the waiting rows only, so its cost does
not grow with what was sent. The answer names the failed checks and nothing
else: no error text, host, version or personal data.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from redis.exceptions import RedisError

from together.models import OutboundEmail
from together.rq_tasks import Job, RQBackend, as_aware


def failed_checks():
    """The names of the checks that failed, in order; empty when ready."""
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = True
    except DatabaseError:
        database = False
        failed.append("database")
    if settings.REDIS_URL and not redis_answers():
        failed.append("redis")
    if database:
        try:
            limit = settings.READYZ_QUEUE_MAX_AGE.total_seconds()
            if any(oldest > limit for _, oldest in waiting_work().values()):
                failed.append("queue")
        except (DatabaseError, RedisError, OSError):
            failed.append("queue")
    return failed


def redis_answers():
    try:
        return bool(caches["default"]._cache.get_client(write=True).ping())
    except (RedisError, OSError, AttributeError):
        return False


def waiting_work(now=None):
    """``{"email": (how many, seconds the oldest has waited), "task": (…)}``
    of the work that is due and not yet done; ``task`` only with the
    database queue (another backend reports on its own queue)."""
    now = now or timezone.now()
    due_emails = OutboundEmail.objects.due()
    waiting = {"email": _depth_and_age(due_emails, "next_attempt_at", now)}
    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        ready_tasks = DBTaskResult.objects.ready().filter(status=TaskResultStatus.READY)
        waiting["task"] = _depth_and_age(ready_tasks, "enqueued_at", now, due_field="run_after")
    elif isinstance(backend, RQBackend):
        waiting["task"] = _redis_depth_and_age(backend, now)
    return waiting


def _redis_depth_and_age(backend, now):
    """The Redis queue's jobs waiting to run (deferred ones are in RQ's
    scheduled registry, not yet in a queue), and how long the oldest of
    them has waited since it was queued."""
    depth, since = 0, None
    for queue in backend.rq_queues():
        depth += queue.count
        oldest = queue.get_job_ids(0, 1)
        job = Job.fetch(oldest[0], connection=backend.connection) if oldest else None
        if job is not None and job.enqueued_at is not None:
            queued = as_aware(job.enqueued_at)
            since = queued if since is None else min(since, queued)
    return depth, max(0, (now - since).total_seconds()) if since else 0


def _depth_and_age(queryset, field, now, due_field=None):
    """How many rows, and how long the one due earliest has waited."""
    depth = queryset.count()
    if not depth:
        return 0, 0
    row = queryset.order_by(field).values_list(field, due_field or field).first()
    # A deferred task waits from when it became due, not from when it was queued.
    since = max(value for value in row if value is not None and value.year < 9999)
    return depth, max(0, (now - since).total_seconds())
