"""Which pages the public can reach, and what the checkers say about them.

Nobody lists pages here. They come from the sitemap (every published story,
campaign, event…), from every parameterless GET route in the URL
configuration that answers HTML (list pages, forms), and the 404 page, each
in the audited languages. Then come the pages no sitemap lists: those the
audited pages link to (a story's report form…), the private links the demo
content's people receive by email (the storyteller's pages, a pledge's and a
sign-up's confirm and cancel pages), those links expired and with a damaged
token. Every POST form on them is also checked as it looks after an empty
submission, with its error messages.
"""

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.static import serve

from tests.browser.tools import VNU_JAR

# Not public pages: the admin has its own markup and is for staff only.
SKIPPED_NAMESPACES = {"admin"}
# Not pages: the language switcher's POST target.
SKIPPED_ROUTE_NAMES = {"set_language"}
# Every public page is checked in these languages: the default, the one
# written right to left, and one whose words run longest. The other
# languages use the same templates (tests/browser/test_languages.py
# checks them for untranslated text and overflowing layouts).
AUDITED_LANGUAGES = ("en", "ar", "fr")
# Pages found by following links are checked in English only, except the
# storyteller's private pages, which are also checked in Arabic.
CRAWLED_LANGUAGE = "en"
STORYTELLER_LANGUAGES = ("en", "ar")
# Links that lead to no HTML page: feeds, calendar files, data, uploads.
NOT_PAGE_LINK = re.compile(r"/feed/|\.ics$|\.json$|\.xml$")


def not_found_path(language):
    return f"/{language}/no-such-page/"


NOT_FOUND_PATHS = [not_found_path(language) for language in AUDITED_LANGUAGES]


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


def parameterless_route_paths(languages=AUDITED_LANGUAGES):
    paths = []
    for language in languages:
        for name in route_names(get_resolver().url_patterns):
            try:
                with translation.override(language):
                    paths.append(reverse(name))
            except NoReverseMatch:  # it needs arguments: its pages come from the sitemap
                continue
    return list(dict.fromkeys(paths))


def answers_html(client, path):
    response = client.get(path)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def public_html_paths(client):
    """Sitemap URLs and parameterless routes in the audited languages that
    answer an HTML page, then the 404 page in each audited language."""
    sitemap = [path for path in sitemap_paths(client) if language_of(path) in AUDITED_LANGUAGES]
    candidates = dict.fromkeys([*sitemap, *parameterless_route_paths()])
    return [*(path for path in candidates if answers_html(client, path)), *NOT_FOUND_PATHS]


def language_of(path):
    return get_language_from_path(path)


def resolved(path):
    """The route ``path`` leads to, or None. Resolved in the path's own
    language: a language prefix resolves only while its language is active."""
    with translation.override(language_of(path) or settings.LANGUAGE_CODE):
        try:
            return resolve(path)
        except Resolver404:
            return None


def in_language(path, language):
    """``path`` in another site language (resolved in its own language: the
    one active after the last request may be any)."""
    with translation.override(language_of(path) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


def token_of(path):
    """The private token in ``path`` (the storyteller's, a pledge's or a
    sign-up's signed link), or None for a public page."""
    match = resolved(path)
    return match.kwargs.get("token") if match else None


# --- Pages no sitemap lists: found by following links ---------------------------


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def site_links(html, hosts):
    """The paths of the same-site pages that ``html`` links to with anchors,
    without query or fragment (one visit per path), in page order."""
    parser = _Anchors()
    parser.feed(html)
    skipped = ("/" + settings.ADMIN_URL, settings.MEDIA_URL, settings.STATIC_URL, reverse("set_language"))
    paths = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme not in {"", "http", "https"} or (parts.netloc and parts.netloc not in hosts):
            continue
        path = parts.path
        if not path.startswith("/") or path.startswith(skipped) or NOT_PAGE_LINK.search(path):
            continue
        paths.append(path)
    return list(dict.fromkeys(paths))


def should_follow(path):
    """Links are followed in English; the private links a page gives (the
    storyteller's edit and withdraw pages) in the page's language too."""
    return language_of(path) == CRAWLED_LANGUAGE or token_of(path) is not None


# --- Private links: what the demo's people receive by email ----------------------


def site_path(url):
    return url.removeprefix(settings.SITE_URL)


def demo_private_paths():
    """The private links of the demo content, built by the model methods
    that build the emailed ones: the storyteller's page of one demo story
    in each state (the page differs by state; the declined one carries the
    reply form), in English and Arabic; a demo pledge's confirm and
    withdraw links; a sign-up's confirm and cancel links. Then the
    confirmation links once expired, made by the same methods with the clock
    set back."""
    from campaigns.models import Pledge, SignUp
    from stories.models import Story

    stories = {story.status: story for story in Story.objects.order_by("-pk")}.values()
    paths = [
        in_language(site_path(story.manage_url()), language)
        for story in stories
        for language in STORYTELLER_LANGUAGES
    ]
    pledge = Pledge.objects.unconfirmed().order_by("pk").first() or Pledge.objects.order_by("pk").first()
    signup = signup_with_buttons()
    paths += pledge_paths(pledge)
    paths += [site_path(signup.private_url(purpose)) for purpose in ("confirm", "cancel")]
    expired_at = time.time() - (Pledge.CONFIRMATION_VALID_FOR + timedelta(days=1)).total_seconds()
    with mock.patch("time.time", return_value=expired_at):
        paths.append(pledge_paths(pledge)[0])
    expired_at = time.time() - (SignUp.CONFIRMATION_MAX_AGE + timedelta(days=1)).total_seconds()
    with mock.patch("time.time", return_value=expired_at):
        paths.append(site_path(signup.private_url("confirm")))
    return paths


def signup_with_buttons():
    """A sign-up whose links still show their confirm and cancel buttons: the
    demo's team signed up for a past event, so one is made on an upcoming
    event, as a visitor's is (the first demo sign-up if none takes any)."""
    from campaigns.models import Event, SignUp

    for event in Event.objects.upcoming():
        if event.signups_refusal() is None:
            visitor = {"name": "Audit Visitor", "email": "audit-visitor@example.org"}
            return event.register(**visitor, role=SignUp.Role.RUNNER, language="en")
    return SignUp.objects.order_by("pk").first()


def pledge_paths(pledge):
    """A pledge's confirm and withdraw links, as Pledge.send_email builds them."""
    with translation.override(pledge.language):
        return [
            reverse("campaigns:pledge_confirm", args=[pledge.confirm_token()]),
            reverse("campaigns:pledge_withdraw", args=[pledge.withdraw_token()]),
        ]


def with_invalid_token(path):
    """``path`` with its token damaged, as a mistyped or truncated link."""
    token = token_of(path)
    damaged = token[:-1] + ("A" if token[-1] != "A" else "B")
    return path.replace(token, damaged)


@dataclass
class AuditedPage:
    label: str
    status: int
    html: str
    # GET, or POST for a form's answer shown without a redirect (its errors).
    method: str = "GET"
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
