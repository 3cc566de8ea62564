"""Whole public pages cached for anonymous readers, and never wrong.

What anonymous readers share (the pages named in :data:`CACHED_PAGES`) is
kept whole in the default cache: Redis when REDIS_URL is set, shared by
every instance. Invariants:

* **Only public, anonymous, shared pages.** A page is cached only when all of
  these hold: it is named in :data:`CACHED_PAGES` (so never the admin, a
  form's POST, a private page); the request is GET or HEAD, carries no
  session cookie (nobody logged in, no flash message waiting), no messages
  cookie and no Authorization header; the URL takes no private token and
  its view is no :func:`together.middleware.private_page`; the answer is a
  200, not streamed, has no ``no-store``/``private``/``no-cache``, sets no
  cookie and changes no session, adds no message, and varies on nothing
  but Cookie, Accept-Language and Accept-Encoding.
* **Never another language.** The key is (a hash of) the scheme, host, full
  path with its query string and the active language (the i18n_patterns prefix, or
  what LocaleMiddleware chose for the unprefixed sitemap).
* **Never stale after a change to what is public.** Every entry records the
  content *generation* it was made in; the generation (a random value in
  the cache, so a restarted Redis can never bring an old entry back) is
  read with the entry in one round trip, and an entry of another
  generation is never served. :func:`content_changed` replaces the
  generation, at once and again when the transaction commits (the second
  one is what makes it right: a page rendered from the data before the
  commit was stored under the old generation). It is called by model
  signals of every model whose rows public pages show
  (:func:`connect_signals`, :data:`IGNORED_MODELS` lists the others and why),
  and must be called by anything that changes public content without
  ``save()``/``delete()`` (``QuerySet.update``, ``bulk_create``, raw SQL).
  Every instance reads the same generation on every request, so a
  withdrawn, unpublished or erased story is gone from every cached page of
  every instance as soon as its transaction commits.
* **Counters a few seconds behind at most.** Pledge, sign-up and paper
  counters are changed by ``QuerySet.update`` and do not change the
  generation (a campaign launch would otherwise never hit the cache): the
  pages that show them are fresh settings.PAGE_CACHE_COUNTER_SECONDS;
  other pages settings.PAGE_CACHE_SECONDS (which also bounds pages that
  change with time alone: upcoming events, press releases published at a
  set hour). Past that, the first request makes the page again while the
  others get the previous one (``X-Page-Cache: stale``, same generation)
  for the time it takes (at most :data:`REFRESH_SECONDS` before another
  request tries).
* **Forms keep working for everyone.** No visitor's CSRF token and no form
  stamp (together.abuse) is ever stored: they are cut out of the page when
  it is stored and made afresh for every visitor it is served to (so the
  CSRF cookie is set, and a stamp is single-use and shown now). A page in
  which this visitor's CSRF token still shows after that, or with a stamp
  of an unknown form, is not cached.
* **Redis down: no page cache,** never a 500. While
  :class:`together.cache.DegradingRedisCache` counts Redis as down nothing is
  read from or stored in the page cache (the per-process fallback would
  not see other instances' changes). Once Redis answers again, a process
  that changed something or served a page meanwhile starts a new
  generation with its next cached-page request; entries another process
  stored before the outage can otherwise outlive a change made during it
  by at most their lifetime (none, when Redis restarted empty).
* **One snapshot.** A view whose figures must agree with each other
  (stats.json: a total and its breakdowns, read by several queries) is
  wrapped in :func:`consistent_snapshot`: all its queries see the database
  at one instant, so neither it nor the page cached from it ever shows a
  sum that was never true.
* Answers carry ``X-Page-Cache: hit``, ``stale`` or ``miss`` (only pages that may be
  cached). ETag and 304 answers come from ConditionalGetMiddleware (the
  feeds, sitemap, stats.json and .ics carry no per-visitor part, so their
  ETag is stable). A page without a per-visitor part is hashed once, when it
  is stored, and its entry keeps that ETag, which a hit sends as it is (the
  same body, the same hash); a page with one has no ETag
  (together.middleware.ConditionalGetMiddleware).

A hit costs one Redis round trip (the generation and the entry, read
together), one CSRF token for the whole page however many forms it has (as
Django's own rendering: one masked token per answer) and one stamp per
form.
"""

import hashlib
import logging
import re
import secrets
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _does_token_match, get_token
from django.utils import translation
from django.utils.cache import set_response_etag

from together.abuse import ProtectedForm
from together.middleware import holds_personal_data, is_private

logger = logging.getLogger(__name__)

GENERATION_KEY = "together.pagecache.generation"
# The version names the shape of an entry: change it with _entry's tuple, so
# that a release never reads entries stored by the previous one.
PAGE_KEY = "together.pagecache.page.v1:"

COUNTERS, CONTENT = "counters", "content"

# A page past its lifetime, of the current generation, is still served for
# this long while one request makes it again (no stampede of 32 requests
# rendering the campaign page every few seconds); a request that fails to
# make it again lets another try after REFRESH_SECONDS.
STALE_SECONDS = 30
REFRESH_SECONDS = 5
REFRESH_SUFFIX = ":refresh"

# The URL names of the public pages anonymous readers share, and whether
# they show counters kept by QuerySet.update (pledges, places, paper forms).
CACHED_PAGES = {
    "home": COUNTERS,
    "about": CONTENT,
    "privacy": CONTENT,
    "sitemap_index": CONTENT,
    "django.contrib.sitemaps.views.sitemap": CONTENT,
    "stories:story_list": CONTENT,
    "stories:story_tag": CONTENT,
    "stories:story_detail": CONTENT,
    "stories:story_feed": CONTENT,
    "stories:transparency": COUNTERS,
    "campaigns:campaign_detail": COUNTERS,
    # The same for everyone who pledged: where a campaign's rush of pledges
    # lands after the form and after the emailed link.
    "campaigns:pledge_sent": CONTENT,
    "campaigns:pledge_thanks": CONTENT,
    "campaigns:campaign_widget": COUNTERS,
    "campaigns:campaign_stats": COUNTERS,
    "campaigns:media_kit": CONTENT,
    "campaigns:partner_list": COUNTERS,
    "campaigns:partner_toolkit": COUNTERS,
    "campaigns:press_list": CONTENT,
    "campaigns:press_detail": CONTENT,
    "campaigns:press_feed": CONTENT,
    "campaigns:event_list": COUNTERS,
    "campaigns:event_detail": COUNTERS,
    "campaigns:event_calendar": CONTENT,
}

# Apps whose rows public pages show: a save or delete of any of their models
# changes the generation, unless the model is listed below.
WATCHED_APPS = {"stories", "campaigns", "taggit"}
IGNORED_MODELS = {
    # Moderation's own records, never shown on a public page.
    "stories.moderationlogentry",
    "stories.report",
    "stories.moderatorpreferences",
    "stories.surge",
    "stories.storyrevision",  # a proposal; approve() saves the story itself
    # Counters (changed by QuerySet.update anyway): COUNTER_SECONDS.
    "campaigns.campaigncountrycount",
    "campaigns.campaignpartnercount",
    "campaigns.paperbatch",
    "campaigns.signup",
    # Private links of stands' tablets.
    "campaigns.standlink",
    # Pledges: see _pledge_saved and _pledge_deleted.
    "campaigns.pledge",
}

# The hidden inputs a cached page must never share between visitors.
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
_STAMP_INPUT = re.compile(r'(<input type="hidden" name="(?:[\w-]+-)?started" value=")([^"]*)(")')
_ANY_TOKEN = re.compile(rf"[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}")
_SHAREABLE_VARY = {"cookie", "accept-language", "accept-encoding"}
# Headers a hit must not copy: outer middleware set them for each answer
# (and the ETag of a page with a per-visitor part, which it does not have).
_SKIPPED_HEADERS = {"set-cookie", "vary", "content-length", "x-page-cache"}
# Response attributes decorators set for outer middleware (clickjacking, CSP).
_RESPONSE_ATTRIBUTES = ("xframe_options_exempt", "_csp_config", "_csp_ro_config")


def page_seconds():
    return settings.PAGE_CACHE_SECONDS


def counter_seconds():
    return min(settings.PAGE_CACHE_COUNTER_SECONDS, settings.PAGE_CACHE_SECONDS)


# --- The generation ----------------------------------------------------------

_pending = threading.Event()  # a change this process could not write to Redis


def _degraded():
    """Whether the default cache is a Redis counted as down (its answers
    come from a per-process fallback, which other instances do not see)."""
    is_degraded = getattr(cache, "is_degraded", None)
    return bool(is_degraded and is_degraded())


def _new_generation():
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    if _degraded():
        _pending.set()
    else:
        _pending.clear()


def content_changed(using=None):
    """What public pages show has changed (or will, when the current
    transaction commits): no page cached before serves again."""
    _new_generation()
    transaction.on_commit(_new_generation, using=using, robust=True)


def _current_generation(values):
    generation = values.get(GENERATION_KEY)
    if generation is None:
        # First use, evicted or Redis restarted: start one (add, so that
        # two instances agree on it).
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def consistent_snapshot(view):
    """Run ``view`` in one transaction whose every query sees the
    same committed state: REPEATABLE READ on PostgreSQL (set on the driver's
    connection, so no extra query is sent), and SQLite's transactions are
    snapshots already. Inside a transaction begun earlier (tests) the view
    runs in it unchanged."""

    @wraps(view)
    def in_snapshot(request, *args, **kwargs):
        if connection.in_atomic_block:
            return view(request, *args, **kwargs)
        if connection.vendor != "postgresql":
            with transaction.atomic():
                return view(request, *args, **kwargs)
        from psycopg import IsolationLevel

        connection.ensure_connection()
        driver = connection.connection
        previous = driver.isolation_level
        driver.isolation_level = IsolationLevel.REPEATABLE_READ
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        finally:
            driver.isolation_level = previous

    return in_snapshot


# --- Signals -------------------------------------------------------------------


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _watched(model):
    return model._meta.app_label in WATCHED_APPS and _label(model) not in IGNORED_MODELS


def _model_changed(sender, using=None, **kwargs):
    if _watched(sender):
        content_changed(using)


def _pledge_shown(pledge):
    # Campaign pages list approved messages and the supporters who asked to
    # be listed: their confirmation is a counter-like addition (COUNTER_SECONDS),
    # but an approval, an erasure or a withdrawal must show at once.
    return pledge.message_approved_at is not None or (pledge.show_publicly and pledge.confirmed_at)


def _pledge_saved(sender, instance, using=None, update_fields=None, **kwargs):
    if not _pledge_shown(instance):
        return
    if update_fields is not None and set(update_fields) <= {"confirmed_at", "language"}:
        return  # a confirmation adds a supporter: counter-like
    content_changed(using)


def _pledge_deleted(sender, instance, using=None, **kwargs):
    if _pledge_shown(instance):
        content_changed(using)


def connect_signals():
    from campaigns.models import Pledge

    post_save.connect(_model_changed, dispatch_uid="together.pagecache.save")
    post_delete.connect(_model_changed, dispatch_uid="together.pagecache.delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="together.pagecache.m2m")
    post_save.connect(_pledge_saved, sender=Pledge, dispatch_uid="together.pagecache.pledge_save")
    post_delete.connect(_pledge_deleted, sender=Pledge, dispatch_uid="together.pagecache.pledge_delete")


def _m2m_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and (_watched(type(instance)) or _watched(sender)):
        content_changed(using)


# --- Storing and serving -------------------------------------------------------------


def _seconds(request):
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    match = request.resolver_match
    kind = CACHED_PAGES.get(match.view_name) if match else None
    if kind is None or is_private(request) or holds_personal_data(request):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    return counter_seconds() if kind == COUNTERS else page_seconds()


def _key(request):
    scheme = "https" if request.is_secure() else "http"
    language = translation.get_language() or ""
    # Hashed: an address can be any length (a long search), a cache key not
    # (Django warns past 250 characters, memcached refuses them).
    page = f"{scheme}:{request.get_host()}:{language}:{request.get_full_path()}"
    return f"{PAGE_KEY}{hashlib.sha256(page.encode()).hexdigest()}"


def _form_classes():
    """Every form class that issues stamps, by dotted path."""
    found, pending = {}, list(ProtectedForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        found[f"{form_class.__module__}.{form_class.__qualname__}"] = form_class
    return found


def _stamp_class(value):
    """The dotted path of the form class that issued the stamp ``value``."""
    for path, form_class in _form_classes().items():
        if form_class.read_stamp(value) is not None:
            return path
    return None


def _cut(text, request):
    """The page as parts: text, ("csrf",) or ("stamp", form class path); None
    when a per-visitor value would stay in it."""
    parts, position = [], 0
    holes = [(m, "csrf") for m in _CSRF_INPUT.finditer(text)]
    holes += [(m, "stamp") for m in _STAMP_INPUT.finditer(text)]
    holes.sort(key=lambda hole: hole[0].start())
    for match, kind in holes:
        parts.append(text[position : match.end(1)])
        if kind == "csrf":
            parts.append(("csrf",))
        else:
            form_class = _stamp_class(match.group(2))
            if form_class is None:
                return None
            parts.append(("stamp", form_class))
        position = match.start(3)
    parts.append(text[position:])
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for part in parts:
            if isinstance(part, str) and any(
                _does_token_match(token, secret) for token in _ANY_TOKEN.findall(part)
            ):
                return None
    return parts


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("no-store", "private", "no-cache")):
        return False
    vary = {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}
    if not vary <= _SHAREABLE_VARY:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not getattr(messages, "added_new", False)


def _entry(request, response, generation, seconds):
    content_type = response.get("Content-Type", "")
    body = response.content
    if content_type.startswith(("text/", "application/json", "application/xml", "application/atom")):
        try:
            parts = _cut(body.decode(response.charset), request)
        except UnicodeDecodeError:
            return None
        if parts is None:
            return None
        body = tuple(part.encode(response.charset) if isinstance(part, str) else part for part in parts)
    else:
        body = (body,)
    skipped = _SKIPPED_HEADERS
    if all(isinstance(part, bytes) for part in body):
        # The same body for everyone: hashed now, not on every hit.
        if not response.has_header("ETag"):
            set_response_etag(response)
    else:
        skipped = skipped | {"etag"}
    headers = [(name, value) for name, value in response.items() if name.lower() not in skipped]
    attributes = {name: getattr(response, name) for name in _RESPONSE_ATTRIBUTES if hasattr(response, name)}
    return generation, time.time() + seconds, headers, body, attributes


def _response(request, entry, state):
    _generation, _fresh_until, headers, body, attributes = entry
    forms = token = None
    content = []
    for part in body:
        if isinstance(part, bytes):
            content.append(part)
        elif part[0] == "csrf":
            token = token or get_token(request).encode()
            content.append(token)
        else:
            forms = forms or _form_classes()
            if part[1] not in forms:
                return None  # a form this process does not know: made again
            content.append(forms[part[1]].issue_stamp().encode())
    response = HttpResponse(b"".join(content))
    for name, value in headers:
        response[name] = value
    for name, value in attributes.items():
        setattr(response, name, value)
    response["X-Page-Cache"] = state
    return response


class PageCacheMiddleware:
    """Serves and stores :data:`CACHED_PAGES` (see the module docstring).
    Placed last, so that what it stores is the view's own answer and every
    other middleware still runs on a hit (security headers, CSRF cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        miss = getattr(request, "_page_cache_miss", None)
        if miss is not None:
            key, generation, seconds, refreshing = miss
            response["X-Page-Cache"] = "miss"
            if request.method == "GET" and _storable(request, response):
                entry = _entry(request, response, generation, seconds)
                if entry is not None:
                    cache.set(key, entry, seconds + STALE_SECONDS)
            if refreshing:
                cache.delete(key + REFRESH_SUFFIX)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        seconds = _seconds(request)
        if seconds is None:
            return None
        if _pending.is_set() and not _degraded():
            _new_generation()
        key = _key(request)
        values = cache.get_many([GENERATION_KEY, key])
        if _degraded():
            # A change made meanwhile by any process may have missed Redis:
            # start a new generation once it answers again.
            _pending.set()
            return None
        generation = _current_generation(values)
        entry = values.get(key)
        if generation is None or _degraded():
            return None
        refreshing = False
        if not (isinstance(entry, tuple) and len(entry) == 5):
            entry = None  # absent, or of a shape this code does not know
        if entry is not None and entry[0] == generation:
            if time.time() < entry[1] and (hit := _response(request, entry, "hit")) is not None:
                return hit
            # Out of date (counters): one request makes it again, the others
            # meanwhile get this one (of the same generation: content right).
            refreshing = cache.add(key + REFRESH_SUFFIX, 1, REFRESH_SECONDS)
            if not refreshing and (stale := _response(request, entry, "stale")) is not None:
                return stale
        request._page_cache_miss = (key, generation, seconds, refreshing)
        return None
