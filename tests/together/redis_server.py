"""A Redis server of a test's own, and a cache that uses it.

The shared Redis of the machine is never stopped: tests that take Redis away
start their own on a free port (redis-server --save ''), and always stop it.
"""

import shutil
import socket
import subprocess
import time

import redis
from axes.handlers.proxy import AxesProxyHandler


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=1)

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                *("--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.02)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def use_redis_cache(settings, url, *, retry_seconds):
    """Make the default cache the production one (together.cache) at ``url``.

    django-axes keeps the cache object it met first, so its handler is made
    again; call ``forget_axes_cache`` when the settings are restored."""
    settings.CACHES = {
        "default": {
            "BACKEND": "together.cache.DegradingRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "RETRY_SECONDS": retry_seconds,
            },
        }
    }
    AxesProxyHandler.get_implementation(force=True)


def forget_axes_cache():
    AxesProxyHandler.implementation = None
