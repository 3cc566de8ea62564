"""The task worker is supervised in every documented way to run production:
`make serve` starts it again when it exits; the systemd units in deploy/
restart the web server and the worker always."""

import configparser
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.together.processes import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(PROJECT_ROOT / "deploy" / name)
    return parser


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("together-web@.service", "/.venv/bin/gunicorn -c together/gunicorn.conf.py together.wsgi"),
        ("together-worker@.service", "/.venv/bin/python manage.py db_worker --queue-name '*' --no-reload"),
        ("together-rq-worker@.service", "/.venv/bin/python manage.py rq_worker"),
    ],
)
def test_systemd_unit_runs_the_documented_command_and_restarts_it_always(name, command):
    service = unit(name)["Service"]

    assert service["ExecStart"].endswith(command)
    assert service["Restart"] == "always"
    # The first of possibly two (an instance may add its own settings file).
    assert "\nEnvironmentFile=/etc/together/env\n" in (PROJECT_ROOT / "deploy" / name).read_text()


def workers_in_session(session_id):
    """Process ids of `manage.py db_worker` processes in one session."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"db_worker" in command and os.getsid(int(entry.name)) == session_id:
                found.add(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def wait_for_worker(session_id, *, other_than=(), timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if workers := workers_in_session(session_id) - set(other_than):
            return workers.pop()
        time.sleep(0.2)
    raise AssertionError("no task worker is running")


@pytest.mark.slow
@pytest.mark.skipif(MAKE is None or not Path("/proc/self").exists(), reason="needs make and /proc")
def test_make_serve_starts_the_task_worker_again_when_it_exits(tmp_path):
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{free_port()}",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    log = (tmp_path / "serve.log").open("w")
    # -o: take the virtual environment as it is (never reinstall it here).
    serve = subprocess.Popen(
        [MAKE, "-o", ".venv/.installed-requirements", "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = wait_for_worker(serve.pid)
        os.kill(first, signal.SIGKILL)

        second = wait_for_worker(serve.pid, other_than={first}, timeout=20)

        assert second != first
        assert "the task worker exited (status 137)" in (tmp_path / "serve.log").read_text()
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
        log.close()
