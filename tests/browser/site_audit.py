"""Which pages the public can reach, and what the checkers say about them.

Nobody lists pages here. They come from the sitemap (every published story,
campaign, event…), from every parameterless GET route in the URL
configuration that answers HTML (list pages, forms), and the 404 page, each
in the audited languages. Then come the pages no sitemap lists: those the
audited pages link to (a story's report form…), the private links the demo
content's people receive by email (the storyteller's pages, a pledge's and a
sign-up's confirm and cancel pages), those links expired and with a damaged
token. Every POST form on them is also checked as it looks after an empty
submission, with its error messages. audit_site() visits them and runs the
checkers; the test modules say which languages and what must hold.
"""

import json
import re
import shutil
import subprocess
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.test import Client
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

from tests.browser.conftest import axe_violations, open_page, save_artifacts
from tests.browser.english_left import (
    VISIBLE_TEXT_NODES_JS,
    english_interface_text,
    english_left,
    whole_english_left,
    whole_english_messages,
)
from tests.browser.tools import ARTIFACTS, VNU_JAR
from tests.sitemaps import whole_sitemap

# Not public pages: the admin has its own markup and is for staff only.
SKIPPED_NAMESPACES = {"admin"}
# Not pages: the language switcher's POST target.
SKIPPED_ROUTE_NAMES = {"set_language"}
# Every public page is checked in every language of the site, in two groups
# that two modules audit (two test workers run them side by side): the
# default, the one written right to left and one whose words run longest
# with the pages no sitemap lists (test_public_pages.py), then the others
# (test_public_pages_in_other_languages.py).
AUDITED_LANGUAGES = ("en", "ar", "fr")
OTHER_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code not in AUDITED_LANGUAGES)
# Pages found by following links are checked in English only, except the
# storyteller's private pages, which are also checked in Arabic.
CRAWLED_LANGUAGE = "en"
STORYTELLER_LANGUAGES = ("en", "ar")
# Links that lead to no HTML page: feeds, calendar files, data, uploads.
NOT_PAGE_LINK = re.compile(r"/feed/|\.ics$|\.json$|\.xml$")


def not_found_path(language):
    return f"/{language}/no-such-page/"


def not_found_paths(languages=AUDITED_LANGUAGES):
    return [not_found_path(language) for language in languages]


NOT_FOUND_PATHS = not_found_paths()


def sitemap_paths(client):
    sitemap = whole_sitemap(client)
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


def public_html_paths(client, languages=AUDITED_LANGUAGES):
    """Sitemap URLs and parameterless routes in ``languages`` that answer an
    HTML page, then the 404 page in each of them."""
    sitemap = [path for path in sitemap_paths(client) if language_of(path) in languages]
    candidates = dict.fromkeys([*sitemap, *parameterless_route_paths(languages)])
    return [*(path for path in candidates if answers_html(client, path)), *not_found_paths(languages)]


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
    # The texts a reader sees in the page's language (english_left.VISIBLE_TEXT_NODES_JS).
    text_nodes: list = field(default_factory=list)
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


# --- Visiting and checking the pages ---------------------------------------------

POST_FORMS = 'form[method="post" i]'
SUBMIT_BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]'


def audit_site(browser, site_server, languages, *, private_links):
    """Every public page in ``languages`` and every form on it, seen by
    axe-core, the browser and (in one Java run) the Nu HTML Checker; the
    list is also written to test-artifacts/ for a person to read."""
    audited = visit_public_pages(browser, site_server, languages, private_links=private_links)
    nu_errors = nu_html_errors(audited)
    for page in audited:
        page.nu_errors = nu_errors.get(page.label, [])
        if page.nu_errors and not page.artifacts:
            page.artifacts = save_artifacts(f"page-{page.label}", html=page.html)
    write_summary(audited, "site-audit.json" if private_links else f"site-audit-{'-'.join(languages)}.json")
    return audited


def visit_public_pages(browser, site_server, languages, *, private_links):
    """Visit the public pages in ``languages``, then the pages they link to
    and (with ``private_links``) the demo's private links and those they
    link to, then every private link with a damaged token; last, submit the
    forms that have nothing to fill in."""
    page = open_page(browser, site_server)
    client = Client()
    hosts = {urlsplit(site_server.url).netloc, urlsplit(settings.SITE_URL).netloc}
    queue = deque([*public_html_paths(client, languages), *(demo_private_paths() if private_links else [])])
    seen = set(queue)
    audited, actions = [], []
    while queue:
        path = queue.popleft()
        shown = visit(page, path)
        audited.append(shown)
        shown_with_errors, path_actions = submit_each_form_empty(page, path)
        audited += shown_with_errors
        actions += path_actions
        for link in site_links(shown.html, hosts):
            followed = should_follow(link) and (private_links or language_of(link) in languages)
            if link not in seen and followed and answers_html(client, link):
                seen.add(link)
                queue.append(link)
    private = [shown.label for shown in audited if shown.label in seen and token_of(shown.label)]
    for path in dict.fromkeys(with_invalid_token(path) for path in private):
        audited.append(visit(page, path))
    for path, number in actions:
        if done := submit_action(page, path, number):
            audited.append(done)
    page.context.close()
    return audited


def visit(page, path):
    page.problems.clear()
    response = page.goto(path)
    return audit(page, path, response)


def has_fields(form):
    """Whether the form asks for anything: one without fields (a confirm
    button) performs its action when submitted, it has no error state."""
    return form.evaluate(
        "form => form.querySelector("
        "'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea') !== null"
    )


# Empty every field, also those a form shows filled in (the storyteller's
# edit form holds their story): sent as it is, it would be accepted. The
# browser's own checks (required…) would stop an empty submission before the
# server sees it; the server's error page is what matters.
EMPTY_THE_FORM = """
form => {
  form.noValidate = true;
  for (const field of form.elements) {
    if (["hidden", "submit", "button", "file"].includes(field.type)) continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.localName === "select") field.selectedIndex = -1;
    else field.value = "";
  }
}
"""


def submit_each_form_empty(page, path):
    """Each POST form but the language switcher's, submitted with nothing
    filled in; returns those audits, and the (path, form number) of the
    forms without fields, to be submitted once everything else is seen."""
    audited, actions = [], []
    set_language = reverse("set_language")
    forms = f'{POST_FORMS}:not([action="{set_language}"])'
    page.goto(path)
    for number in range(page.locator(forms).count()):
        page.goto(path)
        form = page.locator(forms).nth(number)
        if not has_fields(form):
            actions.append((path, number))
            continue
        # As a visitor's first try: the forms of many pages (a report form per
        # story) would otherwise run into the rate limits, shared by address.
        cache.clear()
        form.evaluate(EMPTY_THE_FORM)
        shown = submit(page, form)
        audited.append(audit(page, f"{path} form {number + 1} submitted empty", shown))
    return audited, actions


def submit_action(page, path, number):
    """Submit a form without fields: confirm, cancel, withdraw. The page it
    leads to (thanks, withdrawn, a status message) is audited; None when the
    form is no longer there."""
    set_language = reverse("set_language")
    page.goto(path)
    forms = page.locator(f'{POST_FORMS}:not([action="{set_language}"])')
    if forms.count() <= number:  # an earlier action made it moot (the story is withdrawn)
        return None
    form = forms.nth(number)
    return audit(page, f"{path} form {number + 1} submitted (its action done)", submit(page, form))


def submit(page, form):
    """Click the form's submit button; the response of the document shown after."""
    page.problems.clear()
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    form.locator(SUBMIT_BUTTONS).first.click()
    page.wait_for_load_state()
    page.remove_listener("response", record)
    # After a redirect, the page shown is the last document the frame received.
    return [response for response in responses if response.request.is_navigation_request()][-1]


def audit(page, label, response):
    audited = AuditedPage(
        label=label,
        status=response.status,
        html=response.text(),
        method=response.request.method,
        text_nodes=page.evaluate(VISIBLE_TEXT_NODES_JS),
        axe_violations=axe_violations(page),
        browser_problems=list(page.problems),
    )
    if audited.axe_violations or audited.browser_problems:
        audited.artifacts = save_artifacts(f"page-{label}", page)
    return audited


def write_summary(audited, name):
    """Every page the audit saw, with its status and problems, in one file
    (test-artifacts/site-audit.json) for a person to read after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    summary = [
        {key: value for key, value in vars(page).items() if key not in {"html", "text_nodes"} and value}
        | {"status": page.status}
        for page in audited
    ]
    (ARTIFACTS / name).write_text(json.dumps(summary, indent=1, ensure_ascii=False))


def problems(site, attribute):
    """{page: (its problems, artifact paths)} for the pages that have any."""
    return {
        page.label: (getattr(page, attribute), page.artifacts) for page in site if getattr(page, attribute)
    }


def route_of(label):
    """The route name of an audited page's path (its label's first word)."""
    match = resolved(label.split()[0])
    return match.view_name if match else None


def english_left_on(pages):
    """{page: (the English interface text it shows, artifact paths)} for
    the pages in another language than English that show any."""
    english, found = {}, {}
    for page in pages:
        language = language_of(page.label.split()[0])
        if language in {None, settings.LANGUAGE_CODE}:
            continue
        if language not in english:
            english[language] = (english_interface_text(language), whole_english_messages(language))
        fragments, messages = english[language]
        text = " ".join(" ".join(page.text_nodes).split())
        if left := {*english_left(text, fragments), *whole_english_left(page.text_nodes, messages)}:
            found[page.label] = (sorted(left), page.artifacts)
    return found
