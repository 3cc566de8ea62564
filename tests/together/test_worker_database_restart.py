"""The email worker outlives a PostgreSQL restart and delivers each email once.

A throwaway cluster (initdb, pg_ctl on a free port, as user postgres) is
stopped and started again under a running ``manage.py db_worker``, while
emails are queued; with the file email backend every delivered message is a
file the test can count.
"""

import glob
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from email import message_from_string
from pathlib import Path

import psycopg
import pytest

from tests.together.processes import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
RUNUSER = shutil.which("runuser")

pytestmark = pytest.mark.slow


def as_postgres(*command, check=True):
    """initdb refuses to run as root."""
    return subprocess.run([RUNUSER, "-u", "postgres", "--", *command], check=check, capture_output=True)


class Cluster:
    """A PostgreSQL cluster of its own, in a temporary folder."""

    def __init__(self, folder, port):
        self.bin = Path(POSTGRES_BIN[-1])
        self.data = folder / "data"
        self.port = port
        self.log = folder / "postgres.log"
        shutil.chown(folder, "postgres")
        as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        self.log.touch()
        shutil.chown(self.log, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self.pg_ctl("-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode="fast", check=True):
        self.pg_ctl("-m", mode, "-w", "stop", check=check)

    def pg_ctl(self, *arguments, check=True):
        as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), *arguments, check=check)

    def query(self, sql):
        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture
def cluster(tmp_path):
    if not POSTGRES_BIN or not RUNUSER or os.geteuid() != 0:
        pytest.skip("needs PostgreSQL's binaries (/usr/lib/postgresql) and root to run them as postgres")
    # Not in tmp_path: user postgres cannot enter pytest's folders (mode 700).
    with tempfile.TemporaryDirectory(prefix="together-pg-") as folder:
        cluster = Cluster(Path(folder), free_port())
        cluster.start()
        yield cluster
        cluster.stop("immediate", check=False)


@pytest.fixture
def worker_env(cluster, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": cluster.url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "email"),
        "CONN_MAX_AGE": "60",
    }
    manage(env, "migrate", "--no-input")
    return env


def manage(env, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True
    )


def queue(env, subjects, *, twice=False):
    """Queue one message per subject, the way queue_email does (a row, a
    task); ``twice`` queues a second task for each, as cron might."""
    script = (
        "from together.mail import deliver_email\n"
        "from together.models import OutboundEmail\n"
        f"for subject in {list(subjects)!r}:\n"
        "    message = OutboundEmail.objects.create(\n"
        "        to='amina@example.org', subject=subject, text_body='Hi')\n"
        "    deliver_email.enqueue(message.pk)\n"
        f"    if {twice!r}:\n"
        "        deliver_email.enqueue(message.pk)\n"
    )
    manage(env, "shell", "--no-imports", "-c", script)


def delivered_subjects(folder):
    subjects = []
    for path in sorted(Path(folder).glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                subjects.append(message_from_string(chunk.strip())["Subject"])
    return subjects


def wait_until_sent(cluster, count, timeout):
    deadline = time.monotonic() + timeout
    sql = "SELECT count(*) FROM together_outboundemail WHERE sent_at IS NOT NULL"
    while time.monotonic() < deadline:
        try:
            if cluster.query(sql)[0][0] == count:
                return
        except psycopg.OperationalError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{count} emails not all sent within {timeout} s")


def test_worker_delivers_every_email_once_across_a_database_restart(cluster, worker_env, tmp_path):
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            *(sys.executable, "manage.py", "db_worker", "--queue-name", "*"),
            *("--interval", "0.1", "--no-startup-delay", "--no-reload"),
        ],
        cwd=PROJECT_ROOT,
        env=worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        before = [f"before {n}" for n in range(10)]
        queue(worker_env, before, twice=True)
        wait_until_sent(cluster, len(before), timeout=20)

        cluster.stop()
        time.sleep(2)  # the worker polls a database that is gone
        cluster.start()
        after = [f"after {n}" for n in range(10)]
        queue(worker_env, after, twice=True)
        wait_until_sent(cluster, len(before) + len(after), timeout=30)
        time.sleep(0.5)  # the second task of each message finds it sent

        assert worker.poll() is None, "the worker exited"
        assert sorted(delivered_subjects(worker_env["EMAIL_FILE_PATH"])) == sorted(before + after)
        assert "Database out of reach" in (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        log.close()
