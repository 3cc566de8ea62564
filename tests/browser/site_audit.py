"""Which pages the public can reach, and what the checkers say about them.

Nobody lists pages here. They come from the sitemap (every published story,
campaign, event…), from every parameterless GET route in the URL
configuration that answers HTML (list pages, forms), and the 404 page. Every
POST form on them is also checked as it looks after an empty submission, with
its error messages.
"""

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from tests.browser.tools import VNU_JAR

# Not public pages: the admin has its own markup and is for staff only.
SKIPPED_NAMESPACES = {"admin"}
# Not pages: the language switcher's POST target.
SKIPPED_ROUTE_NAMES = {"set_language"}
NOT_FOUND_PATH = "/en/no-such-page/"


def sitemap_paths(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


def route_names(patterns, namespace=""):
    """Every named route, with its namespace, outside the skipped parts."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry.url_patterns, prefix)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and entry.name not in SKIPPED_ROUTE_NAMES
            and entry.callback is not serve
        ):
            yield f"{namespace}{entry.name}"


def parameterless_route_paths():
    paths = []
    for name in route_names(get_resolver().url_patterns):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:  # it needs arguments: its pages come from the sitemap
            continue
    return paths


def public_html_paths(client):
    """Sitemap URLs and parameterless routes that answer an HTML page, then the 404."""
    candidates = dict.fromkeys([*sitemap_paths(client), *parameterless_route_paths()])
    pages = []
    for path in candidates:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
    return [*pages, NOT_FOUND_PATH]


@dataclass
class AuditedPage:
    label: str
    status: int
    html: str
    axe_violations: list = field(default_factory=list)
    browser_problems: list = field(default_factory=list)
    nu_errors: list = field(default_factory=list)
    artifacts: list = field(default_factory=list)


# One short run: the quick compiler only and the simple collector take the
# checker from about 10 s to about 4 s here; its schema needs a deep stack.
JAVA_OPTIONS = ["-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
# A document the checker must refuse: proof, on every run, that it read the files.
CANARY = "canary: a page that must have an error"
CANARY_HTML = "<!doctype html><html lang=en><head><title>canary</title></head><body><p></span></body></html>"


def nu_html_errors(pages):
    """The Nu HTML Checker's errors for each page's HTML as served, in ONE Java run."""
    documents = {CANARY: CANARY_HTML} | {page.label: page.html for page in pages}
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for number, (label, html) in enumerate(documents.items()):
            path = Path(folder).resolve() / f"page-{number}.html"
            path.write_text(html)
            paths[str(path)] = label
        command = [shutil.which("java"), *JAVA_OPTIONS, "-jar", VNU_JAR, "--format", "json"]
        result = subprocess.run(
            [*command, "--exit-zero-always", *paths],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    errors = {}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] in {"error", "non-document-error"}:
            # The checker names each file by its file: URL.
            url = message.get("url", "")
            label = paths.get(url.removeprefix("file:"), url)
            errors.setdefault(label, []).append(
                f"line {message.get('lastLine', '?')}: {message['message'][:300]}"
            )
    if CANARY not in errors:
        raise AssertionError(f"The Nu HTML Checker did not check the pages: {result.stderr[:1000]}")
    del errors[CANARY]
    return errors
