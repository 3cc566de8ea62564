"""Response headers the site adds itself.

Private pages: a page reached by a private token (a storyteller's manage
link, a pledge's confirm or withdraw link, an event sign-up's confirm or
cancel link) is recognised by its URL pattern taking a ``token`` argument,
and only by that: a new route with a token is private without anyone
listing it. Such a page shows a person's name and words, so no cache keeps
it (``Cache-Control: no-store``), no search engine indexes it
(``X-Robots-Tag``), and no link on it tells another site the address it was
opened at (``Referrer-Policy: same-origin``). Not ``no-referrer``: with it
browsers send ``Origin: null`` with the page's own forms, which Django's
CSRF check refuses (the confirm, withdraw and cancel buttons would fail).

A page without a token that still takes or shows personal data (the sharing
form shown again with its errors, the thank-you page with a passphrase, the
code entry and "lost link" pages) is marked with :func:`private_page`: no
cache keeps it either (it stays indexable: people look for the sharing form).

Conditional GET (:class:`ConditionalGetMiddleware`): an ETag and 304 for
every GET whose body can be the same twice. A body that carries a CSRF token
never is (Django masks the token anew for every answer, so its ETag could
never match an If-None-Match): it is not hashed. The feeds, sitemap,
stats.json and .ics carry none and are revalidated.

Request ids: every request has one (:class:`RequestIdMiddleware`), the
proxy's ``X-Request-ID`` when it is a short run of safe characters, else a
new one; every log record of the request carries it (together.logs), and so
do the logs of the tasks it enqueues (together.tasks).
"""

import contextvars
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.middleware import http
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import add_never_cache_headers

# The URL argument that carries a private token, in every app.
PRIVATE_URL_ARGUMENT = "token"


def url_arguments(pattern):
    """The names of the arguments a URL pattern (route or regex) captures."""
    return set(getattr(pattern, "converters", {})) | set(pattern.regex.groupindex)


def private_url_patterns(resolver=None, parents=()):
    """Every URL pattern that takes a private token, as (the URLResolvers
    from the root down to it, the URLPattern), found by walking the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from private_url_patterns(entry, (*parents, entry))
        elif isinstance(entry, URLPattern) and PRIVATE_URL_ARGUMENT in url_arguments(entry.pattern):
            yield parents, entry


def private_page(view):
    """Mark ``view`` as showing or taking personal data (see the module docstring)."""
    view.private_page = True
    return view


def is_private(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and PRIVATE_URL_ARGUMENT in match.kwargs


def holds_personal_data(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and getattr(match.func, "private_page", False)


class PrivatePageMiddleware:
    """no-store, noindex and a same-origin referrer on every page reached by
    a token; no-store on every :func:`private_page`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request):
            add_never_cache_headers(response)
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
            response.headers["Referrer-Policy"] = "same-origin"
        elif holds_personal_data(request):
            add_never_cache_headers(response)
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features the site never uses (camera, location, …),
    so that injected content could not use them either. Django has no
    setting for this header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's, without an ETag for an answer that sets the CSRF cookie:
    Django sets it whenever the token was asked for (get_token), which is
    what puts a masked token, new for each answer, in the body. Hashing such
    a body cost about 2 µs a kilobyte for an ETag no request could match."""

    def needs_etag(self, response):
        return settings.CSRF_COOKIE_NAME not in response.cookies and super().needs_etag(response)


class ServedByMiddleware:
    """Name the instance that answered in ``X-Served-By`` when INSTANCE_NAME
    is set (several app servers behind one proxy: which one served a
    request, for the operator and the cluster checks). The header carries
    that configured name and nothing else: no host name, address, port or
    version. First in MIDDLEWARE, so every answer has it, static files and
    error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.INSTANCE_NAME:
            response.headers["X-Served-By"] = settings.INSTANCE_NAME
        return response


# The id of the request being served, or of the request that enqueued the
# task being run (together.tasks); the id of that task. Empty outside both.
# Read by together.logs.RequestIdFilter onto every log record.
request_id = contextvars.ContextVar("request_id", default="")
task_id = contextvars.ContextVar("task_id", default="")

# What a request id from the proxy may be (nginx's $request_id is 32 hex
# digits): short, and nothing that could forge or break a log line or header.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
REQUEST_ID_HEADER = "X-Request-ID"
# Read from META: request.headers would build a dict of every header.
REQUEST_ID_META = "HTTP_X_REQUEST_ID"


class RequestIdMiddleware:
    """Give the request its id (see the module docstring) and send it back
    in ``X-Request-ID``. The id stays set until the response is closed
    (request_finished), so that Django's own request log lines, written
    after the middleware, carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proposed = request.META.get(REQUEST_ID_META, "")
        request.id = proposed if REQUEST_ID.fullmatch(proposed) else uuid.uuid4().hex
        request_id.set(request.id)
        response = self.get_response(request)
        response.headers[REQUEST_ID_HEADER] = request.id
        return response


def _forget_request_id(**kwargs):
    request_id.set("")


request_finished.connect(_forget_request_id, dispatch_uid="together.forget_request_id")
