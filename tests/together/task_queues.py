"""The two production task queues, against real servers, for tests.

The Redis queue uses a redis-server of the test's own (tests/together/redis_server.py),
never the shared one; the workers are the real commands, run in burst mode
(they work what is queued, then return)."""

import os
import shutil
import zlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends

from tests.together.processes import PRODUCTION_ENV, manage
from tests.together.redis_server import RedisServer

RQ_BACKEND = "together.rq_tasks.RQBackend"


def need_redis_server():
    """Skip without redis-server; with CI set that is a failure instead."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt-get install redis-server)."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI is set, so this is a failure, not a skip.", pytrace=False)
        pytest.skip(message)


def start_redis_queue(settings, folder, *, retry=None):
    """Start a Redis server and make it the task queue; returns the server."""
    need_redis_server()
    server = RedisServer(folder)
    server.start()
    options = {"URL": server.url}
    if retry is not None:
        options["RETRY"] = retry
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "OPTIONS": options}}
    return server


def use_database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_rq_worker():
    """The Redis queue's worker, in this process, until the queue is empty."""
    call_command("rq_worker", "--burst", "--no-fork")


def run_db_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload")


def redis_queue():
    return task_backends["default"]


def everything_in(server):
    """Every value the Redis server holds, as bytes, job data decompressed
    (RQ stores a job's function and arguments zlib-compressed)."""
    client = server.client()
    stored = []
    for key in client.scan_iter():
        kind = client.type(key)
        if kind == b"hash":
            for field, value in client.hgetall(key).items():
                stored.append(zlib.decompress(value) if field == b"data" else value)
        elif kind == b"string":
            stored.append(client.get(key))
        elif kind in (b"list", b"set", b"zset"):
            stored.extend(
                client.lrange(key, 0, -1)
                if kind == b"list"
                else client.smembers(key)
                if kind == b"set"
                else client.zrange(key, 0, -1)
            )
    return b"\n".join(stored)


def run_rq_worker_process(server, mail_folder):
    """``manage.py rq_worker --burst`` in a process of its own, as production
    runs it (each task in a fork), on this test's PostgreSQL database; the
    emails it sends are written to files in ``mail_folder``."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    return manage(
        "rq_worker",
        "--burst",
        **{
            **PRODUCTION_ENV,
            "DATABASE_URL": url,
            "TASKS_BACKEND": RQ_BACKEND,
            "TASKS_REDIS_URL": server.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_folder),
        },
    )
