"""`make lighthouse`: Lighthouse (mobile preset) on five public pages, with thresholds.

    make lighthouse                                  # starts its own production server
    LIGHTHOUSE_URL=http://127.0.0.1:8000 make lighthouse   # audits a running site

Pages: home, the stories list, a story, the campaign page (where /pledge/
leads) and an event. The story and the event are the first ones linked from
their lists, and the campaign page is found by following /pledge/, so the same
run works against any site with content (Lighthouse refuses an address that
redirects to a fragment, hence the final address without it).

Thresholds (issue 12): performance >= 95, accessibility, best practices and
SEO = 100. Lighthouse's performance score varies from run to run, most on a
busy machine: a page whose first run scores below 95 is run twice more and
judged on the median of its runs (the other categories are deterministic; the
table shows those of the last run). A run that fails (Lighthouse sometimes
misses the navigation on a busy machine: NO_NAVSTART) is tried again, twice
at most. LIGHTHOUSE_RUNS sets how many runs judge a page whose first run is
below 95 (default 3). LIGHTHOUSE_PAGES=campaign,story runs only those pages.

Without LIGHTHOUSE_URL the script builds the production configuration in a
temporary folder: a SQLite database with the demo content (load_demo needs
DEBUG on, the server then runs with DEBUG=0 HTTPS=0), collectstatic for
whitenoise's compressed, hashed files, and gunicorn with the project's own
configuration (2 workers) on a free port. REDIS_URL is not passed on, so the
run never writes into a shared Redis.

Reports: test-artifacts/lighthouse/<page>.report.html and .json (the last run
of each page), and summary.json with the scores. Exits 1 when a page is below
a threshold, 2 when Lighthouse or the server could not run.

Needs node_modules (npm ci: lighthouse is pinned in package.json) and
Chromium (CHROME_PATH, default Debian's /usr/bin/chromium).
"""

import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "lighthouse"
LIGHTHOUSE = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# As for the browser tests: no first-run work and no calls home (refused on
# these machines); a new empty profile per run.
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
LIGHTHOUSE_TIMEOUT = 180


def main():
    missing = [str(p) for p in (LIGHTHOUSE, Path(CHROME_PATH)) if not p.exists()]
    if missing:
        print(f"make lighthouse: missing {', '.join(missing)} (npm ci; apt-get install -y chromium)")
        return 2
    base = os.environ.get("LIGHTHOUSE_URL", "").rstrip("/")
    if base:
        return audit_site(base)
    with own_server() as base:
        return audit_site(base)


def audit_site(base):
    pages = find_pages(base)
    only = [name for name in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if name]
    if only:
        pages = [(name, url) for name, url in pages if name in only]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results = []
    for name, url in pages:
        runs = []
        for _attempt in range(MAX_RUNS + 2):
            scores = run_lighthouse(name, url)
            if scores is None:
                continue  # a failed run (NO_NAVSTART on a busy machine): try again
            runs.append(scores)
            # One run that passes is enough; after one that does not, the median of MAX_RUNS judges.
            first_passes = len(runs) == 1 and scores["performance"] >= THRESHOLDS["performance"]
            if first_passes or len(runs) == MAX_RUNS:
                break
        if not runs:
            print(f"make lighthouse: Lighthouse could not audit {url} in {MAX_RUNS} tries", file=sys.stderr)
            return 2
        scores = dict(runs[-1])
        scores["performance"] = statistics.median(run["performance"] for run in runs)
        results.append({"page": name, "url": url, "runs": len(runs), "scores": scores})
    (ARTIFACTS / "summary.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    failed = [r for r in results if below_thresholds(r["scores"])]
    if failed:
        print(f"\nBelow the thresholds: {', '.join(r['page'] for r in failed)}. Reports: {ARTIFACTS}/")
        for result in failed:
            print_failed_audits(result["page"])
        return 1
    print(f"\nEvery page meets the thresholds. Reports: {ARTIFACTS}/")
    return 0


def find_pages(base):
    """The five pages, from the site's own links."""
    stories = fetch(f"{base}/en/stories/")
    story = re.search(r'href="(/en/stories/[a-z0-9-]+-[a-z0-9]{6}/)"', stories)
    events = fetch(f"{base}/en/events/")
    event = re.search(r'href="(/en/events/(?!feed/)[a-z0-9-]+/)"', events)
    if not (story and event):
        raise SystemExit("make lighthouse: the site has no published story or no event to audit")
    return [
        ("home", f"{base}/en/"),
        ("stories", f"{base}/en/stories/"),
        ("story", urljoin(base, story.group(1))),
        ("campaign", final_address(f"{base}/en/pledge/")),
        ("event", urljoin(base, event.group(1))),
    ]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def final_address(url):
    """Where ``url`` redirects to, without its fragment."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return urlunsplit(urlsplit(response.geturl())._replace(fragment=""))


def run_lighthouse(name, url):
    """Scores (0-100) of one run, its reports saved under ARTIFACTS; None on failure."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        command = [
            str(LIGHTHOUSE),
            url,
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
            "--form-factor=mobile",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            "--output=html",
            f"--output-path={ARTIFACTS / name}",
            "--quiet",
        ]
        try:
            completed = subprocess.run(
                command,
                env={**os.environ, "CHROME_PATH": CHROME_PATH},
                capture_output=True,
                text=True,
                timeout=LIGHTHOUSE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
    report_path = ARTIFACTS / f"{name}.report.json"
    if completed.returncode != 0 or not report_path.exists():
        print(completed.stdout[-2000:], completed.stderr[-2000:], file=sys.stderr)
        return None
    report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        print(f"{url}: {report['runtimeError']}", file=sys.stderr)
        return None
    return {key: round((report["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}


def below_thresholds(scores):
    return any(scores[key] < minimum for key, minimum in THRESHOLDS.items())


def print_table(results):
    header = f"{'page':<10} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5} {'runs':>5}  url"
    print(header)
    print("-" * len(header))
    for result in results:
        s = result["scores"]
        flag = "  BELOW" if below_thresholds(s) else ""
        print(
            f"{result['page']:<10} {s['performance']:>5g} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {s['seo']:>5} {result['runs']:>5}  {result['url']}{flag}"
        )


def print_failed_audits(name):
    """The audits that cost points, from the page's last report."""
    report = json.loads((ARTIFACTS / f"{name}.report.json").read_text())
    print(f"\n{name}:")
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                print(f"  {category['id']}: {audit['id']} {audit['score']:.2f} {value}")


class own_server:
    """The production configuration with the demo content, on a free port."""

    def __enter__(self):
        from tests.together.processes import free_port

        self.folder = Path(tempfile.mkdtemp(prefix="together-lighthouse-"))
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        inherited = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "LIGHTHOUSE_URL"}}
        self.env = {
            **inherited,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base,
            "DATABASE_URL": f"sqlite:///{self.folder / 'db.sqlite3'}",
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "SERVE_MEDIA": "1",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
        }
        print(f"make lighthouse: preparing a production server at {self.base} (demo content)")
        self.manage("migrate", "--no-input")
        # The demo accounts have published passwords: load_demo refuses DEBUG off.
        self.manage("load_demo", DEBUG="1")
        self.manage("collectstatic", "--no-input")
        self.log = open(self.folder / "gunicorn.log", "w")  # closed in __exit__
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.server = subprocess.Popen(
            [str(gunicorn), "-c", "together/gunicorn.conf.py", "together.wsgi"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()
        return self.base

    def manage(self, *args, **env):
        completed = subprocess.run(
            [sys.executable, "manage.py", *args, "--verbosity", "0"],
            cwd=PROJECT_ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(f"make lighthouse: manage.py {args[0]} failed:\n{completed.stderr[-3000:]}")

    def wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise SystemExit(
            f"make lighthouse: gunicorn did not answer:\n{(self.folder / 'gunicorn.log').read_text()[-3000:]}"
        )

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
