"""A Redis queue for Django's tasks framework (``django.tasks``), worked by RQ.

Chosen with ``TASKS_BACKEND=together.rq_tasks.RQBackend`` (README, "Production:
task backends"); the database queue (django-tasks-db) stays the default. Why a
backend of our own, this thin: django-tasks-rq 0.12.0 implements the *backport*
(the ``django_tasks`` package), not Django 6.1's built-in framework. It runs
``django.tasks`` tasks only through a shim, needs the backport installed beside
Django, hands back the backport's TaskResult and exceptions (an
``except django.tasks.exceptions.TaskResultDoesNotExist`` misses them) and sends
the backport's signals, so Django's task logging never fires. What is left to
write over RQ (queueing, scheduling, the worker, the failed-job registry: all
RQ's) is the translation between a Django task and an RQ job, below.

Invariants:

- A job is pushed to Redis only once the surrounding transaction has committed
  (``transaction.on_commit``): a worker never sees a task whose rows (an outbox
  message) are not there yet, nor one whose transaction rolled back.
- Redis being down never fails the request that enqueues: the push is logged
  as an error and the returned result says FAILED. Email loses nothing (the
  outbox row is there; ``send_queued_emails`` and the worker's start re-queue
  it); a lookup task ("send my links again") is lost, and the person may ask
  again.
- One retry policy per task, never two stacked. A task that schedules its own
  next attempt (the outbox, together.mail) raises :class:`RetryScheduled`: RQ
  does not retry it again. A task whose arguments are forgotten after it ran
  (together.tasks.forget_arguments) cannot be retried: it has nothing left to
  run with. Every other task is retried by RQ as ``OPTIONS["RETRY"]`` says
  (by default 3 more times, after 1, 5 and 30 minutes).
- A job whose retries are spent lands in RQ's failed-job registry, listed in
  the admin (together.rq_admin) for whoever holds the permission.
"""

import logging
from datetime import UTC, datetime
from traceback import format_exception

import redis
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskContext, TaskError, TaskResult
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus
from rq.registry import ScheduledJobRegistry

logger = logging.getLogger(__name__)

DEFAULT_RETRY = {"max": 3, "intervals": [60, 300, 1800]}

STATUS = {
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


class RetryScheduled(Exception):
    """Raised by a task that failed and has already scheduled its own next
    attempt: the queue records the failure and does not retry it again."""


def _error(error):
    kind = type(error)
    return TaskError(
        exception_class_path=f"{kind.__module__}.{kind.__qualname__}",
        traceback="".join(format_exception(error)),
    )


def as_aware(moment):
    # RQ stores naive UTC datetimes.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class Job(RQJob):
    """An RQ job whose function is a ``django.tasks`` Task."""

    def task_result(self, status=None):
        from django.tasks import task_backends

        backend = task_backends[self.meta["backend"]]
        latest = self.latest_result()
        errors = [
            TaskError(exception_class_path="", traceback=attempt.exc_string or "")
            for attempt in reversed(self.results())
            if attempt.type != attempt.Type.SUCCESSFUL
        ]
        result = TaskResult(
            task=self.func.using(backend=backend.alias, queue_name=self.origin),
            id=self.id,
            status=status or STATUS.get(self.get_status(refresh=False), TaskResultStatus.READY),
            enqueued_at=as_aware(self.enqueued_at),
            started_at=as_aware(self.started_at),
            last_attempted_at=as_aware(self.started_at),
            finished_at=as_aware(self.ended_at),
            args=list(self.args),
            kwargs=dict(self.kwargs),
            backend=backend.alias,
            errors=errors,
            worker_ids=[self.worker_name] if self.worker_name else [],
        )
        if latest is not None and latest.type == latest.Type.SUCCESSFUL:
            object.__setattr__(result, "_return_value", latest.return_value)
        return result

    def _execute(self):
        task = self.func
        result = self.task_result(TaskResultStatus.RUNNING)
        task_started.send(RQBackend, task_result=result)
        try:
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *self.args, **self.kwargs)
            else:
                value = task.call(*self.args, **self.kwargs)
        except BaseException as error:
            if isinstance(error, RetryScheduled):
                self.retries_left = 0
            object.__setattr__(result, "status", TaskResultStatus.FAILED)
            result.errors.append(_error(error))
            task_finished.send(RQBackend, task_result=result)
            raise
        object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
        task_finished.send(RQBackend, task_result=result)
        return value


def forget_job_arguments():
    """Empty the stored arguments of the job this worker runs now (and so
    never retry it: there is nothing left to run it with)."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.args, job.kwargs, job.retries_left = [], {}, 0
        job.save()


class RQBackend(BaseTaskBackend):
    """``django.tasks`` backend over RQ. ``OPTIONS``: ``URL`` (the Redis
    server), ``RETRY`` ({"max": n, "intervals": [seconds, ...]}, see the
    module's docstring). Each queue name is an RQ queue of the same name."""

    supports_defer = True  # RQ's scheduler: run the worker with it (manage.py rq_worker does)
    supports_async_task = True  # Task.call runs a coroutine to completion
    supports_get_result = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.url = self.options.get("URL", "redis://127.0.0.1:6379/0")
        self.retry = self.options.get("RETRY", DEFAULT_RETRY)

    @cached_property
    def connection(self):
        # Short timeouts: an unreachable Redis must not hold a request.
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=5)

    def queue(self, name):
        return Queue(name, connection=self.connection, job_class=Job)

    def rq_queues(self):
        return [self.queue(name) for name in sorted(self.queues)]

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._push(result), robust=False)
        return result

    def _push(self, result):
        task = result.task
        queue = self.queue(task.queue_name)
        retry = Retry(max=self.retry["max"], interval=self.retry["intervals"]) if self.retry["max"] else None
        try:
            job = queue.create_job(
                task.module_path,
                args=result.args,
                kwargs=result.kwargs,
                job_id=result.id,
                # RQ's default description quotes the arguments (an address).
                description=task.module_path,
                meta={"backend": self.alias},
                retry=retry,
            )
            if task.run_after is None:
                job = queue.enqueue_job(job)
            else:
                job = queue.schedule_job(job, task.run_after)
        except redis.RedisError as error:
            logger.error(
                "Task %s (%s) not queued: Redis unreachable (%s)",
                result.id,
                task.module_path,
                type(error).__name__,
            )
            object.__setattr__(result, "status", TaskResultStatus.FAILED)
            result.errors.append(_error(error))
            return
        object.__setattr__(result, "enqueued_at", as_aware(job.enqueued_at) or datetime.now(UTC))
        task_enqueued.send(type(self), task_result=result)

    def queued_arguments(self, task):
        """The positional arguments of every job of ``task`` waiting in a
        queue or scheduled (for together.mail.requeue_due_emails, which must
        not queue an email twice on every run while a backlog drains)."""
        ids = []
        for queue in self.rq_queues():
            ids += queue.get_job_ids() + ScheduledJobRegistry(queue=queue).get_job_ids()
        jobs = Job.fetch_many(ids, connection=self.connection)
        return [job.args for job in jobs if job is not None and job.func_name == task.module_path]

    def get_result(self, result_id):
        try:
            job = Job.fetch(result_id, connection=self.connection)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        if job.meta.get("backend") != self.alias:
            raise TaskResultDoesNotExist(result_id)
        return job.task_result()
