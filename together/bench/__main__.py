"""`make bench` (``python -m together.bench``): the site's speed, measured.

Creates a throwaway PostgreSQL database, migrates it and measures twice: at
demo size (``load_demo``) and at campaign size (``seed_scale`` added on top).
Each time it starts the production configuration (gunicorn with
together/gunicorn.conf.py, DEBUG off, Redis, two ``db_worker`` processes),
runs wrk against every public page (see ``pages``) and the pledge flow
driver (together/bench/pledges.py), reads each gunicorn worker's resident
memory from /proc before and after, and prints one table per size. Every
figure is relative to the ceiling on the same server in the same run: a
constant view behind the project's whole middleware stack
(together.views.ceiling, mounted only with BENCH_CEILING=1, which the bench
sets), as issue 12 defines it, so noisy machines still give comparable
ratios. /healthz (one query) is measured beside it. Results go to docs/benchmarks/latest.json and
the table to README.md between ``<!-- bench:start -->`` and
``<!-- bench:end -->``. The database is dropped at the end, whatever happens.

Environment: BENCH_SECONDS (per page, default 10), BENCH_PLEDGE_SECONDS (60),
BENCH_CONNECTIONS (32), BENCH_PLEDGE_CLIENTS (32), BENCH_PLEDGE_PROCESSES (2,
the driver processes they are shared among), BENCH_PORT (18100),
BENCH_POSTGRES (server URL without database, postgres://postgres@127.0.0.1:5432),
BENCH_DATABASE (together_bench_run), BENCH_REDIS_URL (redis://127.0.0.1:6379/1),
BENCH_SIZES (demo,scale), BENCH_SCALE_ARGS (extra seed_scale options, e.g.
"--stories 10000 --pledges 100000"), BENCH_WRITE (1: write JSON and README),
BENCH_NOTE (a sentence added to the README's table, e.g. "The machine was shared.").
"""

# Every command run here is this file's own (no input from anyone): S603/S607
# would ask for full paths of git, make and wrk, which differ between machines.
# ruff: noqa: S603, S607

import json
import os
import platform
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from together.bench.report import parse_wrk, replace_block, table

ROOT = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PLEDGE_SECONDS = int(os.environ.get("BENCH_PLEDGE_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
PLEDGE_CLIENTS = int(os.environ.get("BENCH_PLEDGE_CLIENTS", "32"))
PLEDGE_PROCESSES = int(os.environ.get("BENCH_PLEDGE_PROCESSES", "2"))
PORT = int(os.environ.get("BENCH_PORT", "18100"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = os.environ.get("BENCH_DATABASE", "together_bench_run")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
SIZES = os.environ.get("BENCH_SIZES", "demo,scale").split(",")
SCALE_ARGS = shlex.split(os.environ.get("BENCH_SCALE_ARGS", ""))
WRITE = os.environ.get("BENCH_WRITE", "1") == "1"
NOTE = os.environ.get("BENCH_NOTE", "")  # e.g. what else the machine was doing
BASE_URL = f"http://127.0.0.1:{PORT}"
RESULTS = ROOT / "docs" / "benchmarks" / "latest.json"
README = ROOT / "README.md"
PYTHON = sys.executable

WORK = Path(tempfile.mkdtemp(prefix="together-bench-"))
ENV = {
    **os.environ,
    "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
    "DEBUG": "0",
    "HTTPS": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": BASE_URL,
    "REDIS_URL": REDIS_URL,
    "BIND": f"127.0.0.1:{PORT}",
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "SERVE_MEDIA": "1",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    # A person needs seconds to fill in a form, the driver none; and every
    # simulated person comes from the same address.
    "FORM_MIN_SECONDS": "0",
    "RATE_LIMIT_PLEDGE": "1000000/h",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "together.settings",
    # The constant view every page is compared with (together.views.ceiling).
    "BENCH_CEILING": "1",
}


def manage(*args, debug=False):
    env = {**ENV, "DEBUG": "1"} if debug else ENV
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def admin_sql(statement):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)


# -- the server -----------------------------------------------------------------


class Server:
    """gunicorn (production configuration) and two task workers."""

    def __init__(self):
        self.processes = []

    def start(self):
        log = open(WORK / "server.log", "ab")  # noqa: SIM115 (kept open while the processes run)
        self.gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "together/gunicorn.conf.py", "together.wsgi"],
            cwd=ROOT,
            env=ENV,
            stdout=log,
            stderr=log,
        )
        self.processes.append(self.gunicorn)
        for _ in range(2):
            self.processes.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
                    cwd=ROOT,
                    env=ENV,
                    stdout=log,
                    stderr=log,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{BASE_URL}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(self.workers()) >= 1:
                        time.sleep(2)  # every worker booted
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {WORK / 'server.log'}")

    def workers(self):
        """PIDs of gunicorn's worker processes (its children)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.gunicorn.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def worker_rss_mb(self):
        sizes = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            sizes[pid] = round(kilobytes / 1024, 1)
        return sizes

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


# -- pages ------------------------------------------------------------------------


def fetch(path):
    """(status, body) of one GET; (0, b"") when the server does not answer in time."""
    try:
        with urllib.request.urlopen(BASE_URL + path, timeout=120) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return 0, b""


def page_2000(list_path):
    """Page 2,000 of the stories list as the list itself links to it: its
    "next" link, followed; a numbered ?page= scheme is jumped to directly."""
    path = list_path
    for number in range(1, 2000):
        status, body = fetch(path)
        match = re.search(rb'<a href="([^"]+)" rel="next"', body) or re.search(
            rb'<a rel="next" href="([^"]+)"', body
        )
        if status != 200 or match is None:
            return None
        href = match.group(1).decode().replace("&amp;", "&")
        if number == 1 and re.fullmatch(r"\?page=2", href):
            # Numbered pages: a page 2,000 that exists links back to 1,999
            # (Django's get_page answers the last page for any larger number).
            path = f"{list_path}?page=2000"
            status, body = fetch(path)
            return path if status == 200 and b"page=1999" in body else None
        path = href if href.startswith("/") else list_path + href
    return path


def sitemap_section():
    _status, body = fetch("/sitemap.xml")
    if b"<sitemapindex" not in body:
        return "/sitemap.xml"
    locations = [loc.decode() for loc in re.findall(rb"<loc>([^<]+)</loc>", body)]
    chosen = next((loc for loc in locations if "stor" in loc), locations[0])
    return re.sub(r"^https?://[^/]+", "", chosen)


def pages():
    """(name, path) of every page measured, found in the database and the site."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from campaigns.models import Campaign, Event
    from stories.models import Story, TaggedStory

    with translation.override("en"):
        campaign = Campaign.objects.get(slug="together")
        story = Story.objects.published().order_by("-published_at").first()
        tag = (
            TaggedStory.objects.values("tag__slug")
            .annotate(stories=Count("pk"))
            .order_by("-stories")
            .first()["tag__slug"]
        )
        event = Event.objects.order_by("-starts_at").first()
        stories = reverse("stories:story_list")
        found = [
            ("ceiling (a constant view)", "/bench/ceiling"),
            ("/healthz (one query)", "/healthz"),
            ("home", "/en/"),
            ("stories list", stories),
            ("stories list, page 2,000", page_2000(stories)),
            ("a story", story.get_absolute_url()),
            ("a topic", reverse("stories:story_tag", kwargs={"tag_slug": tag})),
            ("search", f"{stories}?q=bakery"),
            ("campaign page", campaign.get_absolute_url()),
            ("events list", reverse("campaigns:event_list")),
            ("an event", event.get_absolute_url()),
            ("partners", reverse("campaigns:partner_list")),
            ("press", reverse("campaigns:press_list")),
            ("feed", reverse("stories:story_feed")),
            ("sitemap", sitemap_section()),
            ("stats.json", reverse("campaigns:campaign_stats", kwargs={"slug": campaign.slug})),
            ("widget", reverse("campaigns:campaign_widget", kwargs={"slug": campaign.slug})),
        ]
    return [(name, path) for name, path in found if path]


def wrk(path, seconds):
    """wrk's figures for one page: req/s, p50 and p99 in ms, errors."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command.append(BASE_URL + path)
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def drain():
    """Wait until the requests wrk left behind are served. wrk stops with
    its connections' requests still queued in gunicorn (sync workers serve
    them anyway): without this, the next page's run would start behind them.
    /healthz is answered after everything accepted before it."""
    for _ in range(2):
        fetch("/healthz")


def measure(size, server):
    measured = []
    found = pages()
    for _name, path in found:  # warm every cache and connection first
        fetch(path)
    memory_before = server.worker_rss_mb()
    requests = 0
    for name, path in found:
        status, _body = fetch(path)
        print(f"[{size}] {name}: {path} ({status})", flush=True)
        wrk(path, 1)  # warm-up, not counted
        drain()
        figures = wrk(path, SECONDS)
        drain()
        requests += figures["requests"]
        measured.append({"page": name, "path": path, "status": status, **figures})
    memory_after = server.worker_rss_mb()
    ceiling = measured[0]["rps"] or 1
    for row in measured:
        row["share_of_ceiling"] = round(row["rps"] / ceiling, 3)
    return {
        "pages": measured,
        "memory": {
            "requests_between": requests,
            "rss_mb_before": memory_before,
            "rss_mb_after": memory_after,
        },
    }


# -- report -------------------------------------------------------------------------


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),  # noqa: SIM115
        platform.processor(),
    )
    ram_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit.stdout.strip(),
        "python": platform.python_version(),
    }


def write(results):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    box = results["machine"]
    block = [
        (
            f"Measured {box['date']} at commit {box['commit']} on {box['cores']} cores, {box['ram_gb']} GB "
            f"({box['cpu']}); wrk, {CONNECTIONS} connections, {SECONDS} s per page. {NOTE}"
        ).rstrip(),
    ]
    for result in results["sizes"].values():
        block += ["", f"**{result['label']}**", "", table(result)]
    README.write_text(replace_block(README.read_text(), "\n".join(block)))


def main():
    os.environ.update(ENV)
    settings = {"seconds": SECONDS, "connections": CONNECTIONS, "pledge_seconds": PLEDGE_SECONDS}
    results = {"machine": machine(), "settings": settings, "note": NOTE, "sizes": {}}
    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    admin_sql(f'CREATE DATABASE "{DATABASE}"')
    server = Server()
    try:
        manage("migrate", "--no-input", "--verbosity", "0")
        manage("collectstatic", "--no-input", "--verbosity", "0")
        manage("load_demo", debug=True)
        import django

        django.setup()
        from django.db import connections

        from together.bench import pledges

        for size in SIZES:
            if size == "scale":
                manage("seed_scale", "--force", *SCALE_ARGS)
            label = "Demo size (load_demo)" if size == "demo" else "Campaign size (seed_scale on top)"
            # Nothing cached by an earlier run or size is served (the cache is
            # Redis database BENCH_REDIS_URL, kept between runs).
            manage("expire_page_cache")
            server.start()
            try:
                result = {"label": label, **measure(size, server)}
                if PLEDGE_SECONDS:
                    print(f"[{size}] pledge flow for {PLEDGE_SECONDS} s", flush=True)
                    result["pledges"] = pledges.run(
                        BASE_URL, seconds=PLEDGE_SECONDS, clients=PLEDGE_CLIENTS, processes=PLEDGE_PROCESSES
                    )
            finally:
                server.stop()
            results["sizes"][size] = result
            print(f"\n{label}\n\n{table(result)}\n", flush=True)
        if WRITE:
            write(results)
        if subprocess.run(["make", "-n", "lighthouse"], cwd=ROOT, capture_output=True).returncode == 0:
            server.start()
            try:
                lighthouse = ["make", "lighthouse", f"LIGHTHOUSE_URL={BASE_URL}"]
                subprocess.run(lighthouse, cwd=ROOT, env=ENV, check=False)
            finally:
                server.stop()
        connections.close_all()
    finally:
        server.stop()
        admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print(f"Results: {RESULTS.relative_to(ROOT)}; server log: {WORK / 'server.log'}")


if __name__ == "__main__":
    main()
