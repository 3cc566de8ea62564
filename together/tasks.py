"""Work done outside the request so that a page answers alike whatever the
database holds (see also stories.tasks).

"What do you hold about me?" (together.views.personal_data_request) must
not tell anyone whether an address is known: the view only enqueues
:func:`send_personal_data_link`, the same work for every address, and the
task looks the address up and emails it only when the site holds something
about it. Its stored arguments are emptied once it has run
(:func:`forget_arguments`): the site must not keep an address it was never
given to keep.

A task enqueued during a request logs with that request's id
(:func:`remember_request_id`, :func:`take_request_id`): the id is kept in
the cache under the task's id for a day, so any worker sharing the cache
(Redis) finds it; a task enqueued by a task inherits it. No task's
arguments change.
"""

import logging

from django.core.cache import cache
from django.dispatch import receiver
from django.tasks import task, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.signals import task_enqueued, task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from together import personal_data
from together.logs import request_id, task_id
from together.mail import queue_email
from together.rq_tasks import RQBackend, forget_job_arguments

logger = logging.getLogger(__name__)

# Long enough for an email's retries to be traced to the request that asked for it.
REQUEST_ID_KEPT_SECONDS = 24 * 60 * 60
# The context variables a running task set, to be restored when it finishes.
_running = {}


@task(takes_context=True)
def send_personal_data_link(context, email, language):
    """Email ``email`` a signed, expiring link to everything the site holds
    about it, in ``language``; nothing when it holds nothing."""
    try:
        if personal_data.holdings(email):
            queue_email(
                to=email,
                template="together/email/personal_data",
                context={
                    "data_url": personal_data.data_url(email, language),
                    "valid_hours": personal_data.link_valid_for_hours(),
                },
                language=language,
            )
    finally:
        forget_arguments(context.task_result)


def forget_arguments(task_result):
    """Empty the stored arguments of ``task_result`` in the database queue
    (the worker then saves only its status and outcome, by update_fields)
    or in the Redis queue (the job, which is then never retried: see
    together.rq_tasks)."""
    backend = task_backends[task_result.backend]
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.filter(pk=task_result.id).update(args_kwargs={"args": [], "kwargs": {}})
    elif isinstance(backend, RQBackend):
        forget_job_arguments()


def _request_id_key(task_result):
    return f"together:task-request-id:{task_result.id}"


@receiver(task_enqueued, dispatch_uid="together.remember_request_id")
def remember_request_id(sender, task_result, **kwargs):
    """Keep the current request id for the task's run (the immediate backend
    runs it at once, within this very context: nothing to keep)."""
    current = request_id.get()
    if not current or issubclass(sender, ImmediateBackend):
        return
    try:
        cache.set(_request_id_key(task_result), current, REQUEST_ID_KEPT_SECONDS)
    except Exception:  # a log detail never stops an email being queued
        logger.warning("Could not keep the request id of task %s", task_result.id, exc_info=True)


@receiver(task_started, dispatch_uid="together.take_request_id")
def take_request_id(sender, task_result, **kwargs):
    """Log the task's run with its id and the id of the request that enqueued it."""
    current = request_id.get()
    if not current:
        try:
            current = cache.get(_request_id_key(task_result)) or ""
        except Exception:
            current = ""
    _running[task_result.id] = (request_id.set(current), task_id.set(str(task_result.id)))


@receiver(task_finished, dispatch_uid="together.forget_request_id")
def forget_request_id(sender, task_result, **kwargs):
    tokens = _running.pop(task_result.id, None)
    if tokens is None:
        return
    request_token, task_token = tokens
    try:
        task_id.reset(task_token)
        request_id.reset(request_token)
    except ValueError:  # finished in another context than it started: just clear
        task_id.set("")
        request_id.set("")
