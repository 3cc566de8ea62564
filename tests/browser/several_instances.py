"""Two app servers behind nginx, started for a test: the production shape of
`make cluster` (together/cluster.py) on free ports, with a Redis server and
an SQLite database of the test's own.

nginx alternates between the instances (round robin, one nginx worker), so
consecutive requests of one visitor are served by web-1, then web-2: the
test sees it in X-Served-By. Emails are written as files (the instances run
tasks at once, there is no worker), and their links point at nginx.
"""

import email
import email.policy
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser.tools import ci_is_set
from tests.together.processes import PROJECT_ROOT, free_port
from tests.together.redis_server import RedisServer
from together import cluster

INSTANCES = ("web-1", "web-2")
PERSONAL_DATA_LIMIT = 2
LOGIN_FAILURE_LIMIT = 2


def require_nginx_and_redis():
    missing = []
    if cluster.nginx_binary() is None:
        missing.append("nginx (apt-get install -y nginx-light)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server (apt-get install -y redis-server)")
    if missing:
        message = f"Two instances behind nginx need {'; '.join(missing)}."
        if ci_is_set():
            pytest.fail(f"{message} CI is set, so this is a failure, not a skip.", pytrace=False)
        pytest.skip(message)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class SeveralInstances:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.app_ports = [free_port() for _ in INSTANCES]
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis = RedisServer(folder)
        self.processes = []

    def env(self):
        env = cluster.instance_env(
            port=self.port,
            database_url=f"sqlite:///{self.folder}/db.sqlite3",
            redis_url=self.redis.url,
            secret_key="several-instances-test-key-" + "x" * 40,
            folder=self.folder,
        )
        return {
            **env,
            "STATIC_ROOT": str(self.folder / "var" / "static"),
            "MEDIA_ROOT": str(self.folder / "var" / "media"),
            # No worker here: the confirmation emails are written at once.
            "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "WEB_CONCURRENCY": "1",
            # Low enough to reach in a test: counted in Redis for both instances.
            "RATE_LIMIT_PERSONAL_DATA": f"{PERSONAL_DATA_LIMIT}/h",
            "AXES_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        }

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
        )

    def start(self):
        self.redis.start()
        # Side by side: together they are most of the time this takes.
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=PROJECT_ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
        )
        self.manage("migrate", "--no-input")
        assert collecting.wait(120) == 0, "collectstatic failed"
        self.manage(
            "shell",
            "-c",
            "from tests.campaigns.factories import CampaignFactory; "
            "CampaignFactory(slug='together', is_active=True, pledge_goal=100)",
        )
        for name, app_port in zip(INSTANCES, self.app_ports, strict=True):
            self.processes.append(cluster.start_instance(name, app_port, self.env(), folder=self.folder))
        config = cluster.write_nginx_config(
            port=self.port, app_ports=self.app_ports, folder=self.folder, var=self.folder / "var"
        )
        self.processes.append(
            cluster.start_process(
                "nginx", [cluster.nginx_binary(), "-c", str(config)], env=os.environ, folder=self.folder
            )
        )
        for app_port in self.app_ports:
            wait_for(f"http://127.0.0.1:{app_port}/healthz")
        wait_for(f"{self.url}/healthz")

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.redis.stop()

    def emails(self):
        """The plain text of every email written so far, oldest first (Django's
        file backend: one file per connection, messages separated by a rule)."""
        files = sorted((self.folder / "email").glob("*.log"), key=lambda path: path.stat().st_mtime)
        texts = [text for path in files for text in path.read_text().split("-" * 79)]
        messages = [text for text in texts if text.strip()]
        return [
            email.message_from_string(message.lstrip(), policy=email.policy.default)
            .get_body(preferencelist=("plain",))
            .get_content()
            for message in messages
        ]
