"""``manage.py db_worker``: django-tasks-db's worker, made to outlive the database.

django-tasks-db's loop lets any database error but "database is locked"
escape, so a PostgreSQL restart ended the worker for good and confirmations
and private links stayed queued until someone noticed. This command keeps
its options and its loop, and wraps the loop: when the database is out of
reach it closes the broken connection, waits (1, 2, 4 … seconds, at most
30), and goes on. Once the database answers again it records the task that
the outage interrupted as failed (it would otherwise stay "running" for
ever) and re-queues every due email no task will deliver
(:func:`together.mail.requeue_due_emails`); the outbox's lease makes a
second delivery task harmless. It does the same when it starts, for what a
worker that died left behind.

A command of our own, not only a supervisor: restarting the process would
also work, but would leave the interrupted task "running" and the
interrupted email waiting for cron. The supervisors (systemd
``Restart=always`` in deploy/, the loop in ``make serve``) are still there
for every other way a process can end.

It replaces django-tasks-db's command of the same name (``together`` comes
before ``django_tasks_db`` in INSTALLED_APPS), so every documented way to
run the worker gets it.
"""

import logging
import time

from django.db import connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from together.mail import DATABASE_UNREACHABLE, requeue_due_emails

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1
MAX_RETRY_SECONDS = 30


def close_all_connections():
    """Drop every connection, broken or not, so the next query reconnects."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_UNREACHABLE:
            connection.connection = None


class Worker(db_worker.Worker):
    """The library's worker, resumed after each database outage."""

    interrupted_task_id = None

    def run(self):
        delay = FIRST_RETRY_SECONDS
        recovering = True
        while self.running:
            try:
                if recovering:
                    self.recover()
                    recovering = False
                    delay = FIRST_RETRY_SECONDS
                return super().run()  # returns only with --batch or --max-tasks
            except DATABASE_UNREACHABLE as error:
                recovering = True
                logger.warning(
                    "Database out of reach (%s); worker %s tries again in %s s",
                    type(error).__name__,
                    self.worker_id,
                    delay,
                )
                close_all_connections()
                time.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
        return None

    def run_task(self, db_task_result):
        self.interrupted_task_id = db_task_result.id
        super().run_task(db_task_result)
        self.interrupted_task_id = None

    def recover(self):
        """Once the database answers: close the interrupted task, re-queue
        the email it (or a dead worker) left undelivered."""
        if self.interrupted_task_id is not None:
            interrupted = DBTaskResult.objects.filter(
                id=self.interrupted_task_id, status=TaskResultStatus.RUNNING
            )
            interrupted.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                traceback="Interrupted by a database outage.",
            )
            self.interrupted_task_id = None
        queued = requeue_due_emails()
        if queued:
            logger.info("Worker %s re-queued %s undelivered email(s)", self.worker_id, queued)


class Command(db_worker.Command):
    help = "Run the task worker (emails); it outlives database restarts."

    def handle(self, *args, **options):
        # The library builds its Worker by name inside handle().
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
