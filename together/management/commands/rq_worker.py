"""``manage.py rq_worker``: the worker of the Redis task queue (together.rq_tasks).

RQ's own worker, given the backend's Redis server, queues and job class (a
Django task inside an RQ job), with RQ's scheduler on, which enqueues
deferred tasks (an email's next attempt) when they are due. Each task runs in
a forked process, as RQ does by default: a task that crashes or hangs past
its timeout takes only that process with it.

When it starts it re-queues every due email no task will deliver
(together.mail.requeue_due_emails): what a dead worker, or a Redis that was
unreachable when the email was queued, left behind. The outbox's lease makes
a second delivery task harmless. Run it under a supervisor (systemd
``Restart=always``, the loop in ``make serve``), like ``db_worker``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.tasks import task_backends
from rq import SimpleWorker, Worker

from together.mail import requeue_due_emails
from together.rq_tasks import Job, RQBackend


class Command(BaseCommand):
    help = "Run the worker of the Redis task queue (TASKS_BACKEND=together.rq_tasks.RQBackend)."

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="default", help="The TASKS alias (default: default).")
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--name", default=None, help="The worker's name (default: RQ's).")
        parser.add_argument(
            "--no-fork",
            action="store_true",
            help="Run each task in this process (RQ's SimpleWorker): for debugging and tests.",
        )

    def handle(self, *args, backend, burst, name, no_fork, **options):
        tasks = task_backends[backend]
        if not isinstance(tasks, RQBackend):
            raise CommandError(f"The task backend {backend!r} is not the Redis queue; run db_worker.")
        queued = requeue_due_emails()
        if queued:
            self.stdout.write(f"{queued} undelivered email(s) queued again.")
        # Each task runs in a fork: it must not share this process's connection.
        connections.close_all()
        worker = (SimpleWorker if no_fork else Worker)(
            tasks.rq_queues(),
            name=name,
            connection=tasks.connection,
            job_class=Job,
            log_job_description=False,
        )
        worker.work(burst=burst, with_scheduler=True)
