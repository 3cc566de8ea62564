"""gunicorn configuration for `make serve` and production.

Workers follow the machine's cores (gunicorn's usual 2 x cores + 1), the
access log goes to standard output for the process manager to collect.
Both logs are written by together.logs.GunicornLogger: one line per record,
private tokens redacted, client addresses hashed, like the site's own logs;
each access line ends with the request's id (X-Request-ID, together.middleware).

Metrics (together/metrics.py): the workers add up their figures in
PROMETHEUS_MULTIPROC_DIR, a folder of this instance (and of the task worker
beside it, whose email counts then show in the same scrape). When
METRICS_TOKEN is set and no folder is named, a new one is made. A named
folder is kept across restarts: it holds only counters and histograms,
which add up correctly over dead processes (a process's file continues if
its pid comes back).
"""

import multiprocessing
import os
import tempfile
from pathlib import Path

# The log formatter hashes with SECRET_KEY, read from Django's settings even
# in gunicorn's master process (which does not load the application).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "together.settings")

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
errorlog = "-"
# The client IP is hashed by the app before it is logged; gunicorn's own
# access log records only method, path (its private tokens redacted),
# status, size and timing.
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss %({x-request-id}o)s'
logger_class = "together.logs.GunicornLogger"
timeout = 30
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket (for gunicornc) is one path per user
# ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): each instance on a machine
# (make cluster's three, the bench's, a test's own) would take it over from
# the one before. The site does not use it: process managers signal the
# master (HUP to reload, TERM to stop).
control_socket_disable = True

# Before any worker imports prometheus_client, which reads it once.
if os.environ.get("METRICS_TOKEN") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="together-metrics-")


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
