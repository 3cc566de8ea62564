"""A production-mode gunicorn of a test's own (DEBUG off, SQLite file), for
tests that need the real server: several workers, its logs, an outage."""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.together.processes import PROJECT_ROOT, free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")


def get(url, **headers):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class GunicornServer:
    def __init__(self, folder, *, migrate=True, **env):
        self.folder = Path(folder)
        self.migrate = migrate
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = self.folder / "database" / "db.sqlite3"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "CONN_MAX_AGE": "0",
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            **env,
        }
        self.process = None
        self.log_path = self.folder / "gunicorn.log"

    def start(self):
        self.database.parent.mkdir(parents=True, exist_ok=True)
        if self.migrate:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input"],
                cwd=PROJECT_ROOT,
                env=self.env,
                check=True,
                capture_output=True,
            )
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "together/gunicorn.conf.py", "together.wsgi"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(f"{self.url}/healthz")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.log_path.read_text()}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def log(self):
        return self.log_path.read_text()
