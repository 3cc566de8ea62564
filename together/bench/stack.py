"""What each middleware costs per request, in process.

    DATABASE_URL=postgres://.../a_db REDIS_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python -m together.bench.stack [/healthz /en/ ...]

Calls Django's WSGI handler directly (no gunicorn, no socket) in a loop, as
gunicorn's worker does: build the environ, call the application, read and
close the response (closing sends request_finished, which returns the
database connection). Settings as in production (DEBUG off) unless the
environment says otherwise; each path is requested once before measuring,
so a cached page is measured as a hit. Two modes (STACK_MODE):

``layers`` (the default): a probe between every two middlewares notes when
the request passes and when the response comes back, so each middleware's
own time (its part before and after the next one) is measured inside the
very same requests as the others', with each process_view hook, the core
(URL resolution, the view) and what the WSGI handler does around the stack.
Medians of STACK_REQUESTS requests, in wall µs: other work on the machine
moves every layer alike and rarely (a few µs per layer are seldom cut by a
switch to another process), and the waits on PostgreSQL and Redis show.

``removal``: the whole stack, then the stack without each middleware in turn
(the difference is its cost), then no middleware at all, interleaved round by
round (STACK_ROUNDS rounds of STACK_REQUESTS requests, the best kept), in CPU
time of this process. Coarser (a busy machine moves each figure by tens of
µs) but it sees what a layer costs the others (lazy work it starts or saves).
A middleware another one needs (sessions for auth, auth for messages and
axes) is removed with its dependants, and the row says so.
"""

import io
import os
import statistics
import sys
import time

from together.bench import inprocess

inprocess.setup(ALLOWED_HOSTS="127.0.0.1,localhost,testserver", LOG_LEVEL="WARNING")

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

REQUESTS = int(os.environ.get("STACK_REQUESTS", "2000"))
ROUNDS = int(os.environ.get("STACK_ROUNDS", "8"))

# Removing the key removes the values too: they need it.
DEPENDANTS = {
    "django.contrib.sessions.middleware.SessionMiddleware": [
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    ],
    "django.contrib.auth.middleware.AuthenticationMiddleware": ["axes.middleware.AxesMiddleware"],
}


def environ(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _start_response(status, headers, exc_info=None):
    _start_response.status = status


def request(application, path):
    body = application(environ(path), _start_response)
    try:
        for _chunk in body:
            pass
    finally:
        body.close()
    return _start_response.status


def handler(middleware):
    settings.MIDDLEWARE = list(middleware)
    return WSGIHandler()


class Counts:
    """SQL queries and Redis commands sent by the requests it wraps."""

    def __init__(self):
        self.queries = self.redis = 0

    def __enter__(self):
        from django.db import connection
        from redis.connection import AbstractConnection

        def count_query(execute, sql, params, many, context):
            self.queries += 1
            return execute(sql, params, many, context)

        self._wrapper = connection.execute_wrapper(count_query)
        self._wrapper.__enter__()
        self._send = AbstractConnection.send_packed_command
        counts = self

        def send_packed_command(connection, command, check_health=True):
            counts.redis += 1
            return counts._send(connection, command, check_health)

        AbstractConnection.send_packed_command = send_packed_command
        return self

    def __exit__(self, *exc):
        from redis.connection import AbstractConnection

        AbstractConnection.send_packed_command = self._send
        self._wrapper.__exit__(*exc)


def health_check(counts):
    """Django's health check of a kept connection (CONN_HEALTH_CHECKS) is a
    query sent through the driver directly, unseen by execute_wrapper."""
    from django.db import connection

    return " + 1 health check" if connection.health_check_enabled and counts.queries else ""


def measure(variants, path):
    """{name: (best CPU µs, best wall µs)} per request, the variants
    interleaved round by round so that a busy moment of the machine weighs
    on all alike."""
    for application in variants.values():
        for _ in range(20):
            request(application, path)
    cpu = {name: [] for name in variants}
    wall = {name: [] for name in variants}
    for _ in range(ROUNDS):
        for name, application in variants.items():
            started, started_wall = time.process_time(), time.perf_counter()
            for _ in range(REQUESTS):
                request(application, path)
            cpu[name].append((time.process_time() - started) / REQUESTS * 1e6)
            wall[name].append((time.perf_counter() - started_wall) / REQUESTS * 1e6)
    return {name: (min(cpu[name]), min(wall[name]), statistics.median(cpu[name])) for name in variants}


# --- Layers: each middleware's own time, measured inside the same requests ----

_marks = {}


def _probe(index):
    """A middleware that notes when the request reaches it and when the
    response comes back through it."""

    class Probe:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            _marks[("in", index)] = time.perf_counter_ns()
            response = self.get_response(request)
            _marks[("out", index)] = time.perf_counter_ns()
            return response

    Probe.__name__ = Probe.__qualname__ = f"Probe{index}"
    globals()[Probe.__name__] = Probe
    return f"{__name__}.{Probe.__name__}"


def _timed_hook(name, hook):
    def timed(*args, **kwargs):
        started = time.perf_counter_ns()
        try:
            return hook(*args, **kwargs)
        finally:
            _marks[("view", name)] = _marks.get(("view", name), 0) + time.perf_counter_ns() - started

    return timed


def layers(path, requests):
    """Median ns per request of each middleware's own work (its __call__
    around the next one, its process_response), of each process_view
    hook, of the handler's core (URL resolution, the other hooks, the view)
    and of what the WSGI handler does around the stack (request object,
    response iteration, request_finished)."""
    full = list(settings.MIDDLEWARE)
    probed = []
    for index, name in enumerate(full):
        probed += [_probe(index), name]
    probed.append(_probe(len(full)))
    application = handler(probed)
    application._view_middleware = [
        _timed_hook(getattr(hook, "__self__", hook).__class__.__name__, hook)
        for hook in application._view_middleware
    ]
    samples = {}
    for number in range(requests + 50):
        _marks.clear()
        started = time.perf_counter_ns()
        request(application, path)
        total = time.perf_counter_ns() - started
        if number < 50:
            continue
        present = [index for index in range(len(full) + 1) if ("in", index) in _marks]
        row = {"(WSGI handler around the stack)": total - (_marks[("out", 0)] - _marks[("in", 0)])}
        for index in present[:-1]:
            following = next(i for i in present if i > index)
            own = (_marks[("in", following)] - _marks[("in", index)]) + (
                _marks[("out", index)] - _marks[("out", following)]
            )
            row[short(full[index])] = own
        last = present[-1]
        hooks = 0
        for (kind, name), value in _marks.items():
            if kind == "view":
                row[f"{name}.process_view"] = value
                hooks += value
        row["(resolve, view)"] = _marks[("out", last)] - _marks[("in", last)] - hooks
        row["total"] = total
        for name, value in row.items():
            samples.setdefault(name, []).append(value)
    settings.MIDDLEWARE = full
    return {name: statistics.median(values) / 1000 for name, values in samples.items()}


def without(stack, name):
    removed = {name, *DEPENDANTS.get(name, ())}
    return [entry for entry in stack if entry not in removed], removed


def short(name):
    return name.rsplit(".", 1)[1]


def main(paths):
    if os.environ.get("STACK_MODE", "layers") == "layers":
        for path in paths:
            status = request(handler(settings.MIDDLEWARE), path)
            with Counts() as counts:  # a second time: a cached page is a hit
                request(handler(settings.MIDDLEWARE), path)
            figures = layers(path, REQUESTS)
            print(
                f"\n{path} ({status}; {counts.queries} SQL{health_check(counts)}, {counts.redis} Redis),"
                " median µs (wall) per request:"
            )
            for name, value in figures.items():
                print(f"  {value:7.1f}  {name}")
        return
    full = list(settings.MIDDLEWARE)
    for path in paths:
        status = request(handler(full), path)
        with Counts() as counts:
            request(handler(full), path)
        variants = {"full": handler(full), "none": handler([])}
        labels = {}
        for name in full:
            stack, removed = without(full, name)
            variants[name] = handler(stack)
            labels[name] = short(name) + (
                f" (with {', '.join(sorted(short(r) for r in removed - {name}))})" if len(removed) > 1 else ""
            )
        figures = measure(variants, path)
        best, best_wall, median = figures["full"]
        bare, bare_wall, _ = figures["none"]
        print(f"\n{path} ({status}; {counts.queries} SQL{health_check(counts)}, {counts.redis} Redis)")
        print(f"  full stack: {best:.0f} µs CPU (median {median:.0f}), {best_wall:.0f} µs wall")
        print(f"  no middleware: {bare:.0f} µs CPU, {bare_wall:.0f} µs wall (stack {best - bare:.0f})")
        print("  CPU µs saved by removing each (wall µs):")
        for name in full:
            lighter, lighter_wall, _ = figures[name]
            print(f"  {best - lighter:6.0f} ({best_wall - lighter_wall:6.0f})  {labels[name]}")
    settings.MIDDLEWARE = full


if __name__ == "__main__":
    main(sys.argv[1:] or ["/healthz", "/en/"])
