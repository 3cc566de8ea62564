"""Errors to Sentry (sentry-sdk), only when SENTRY_DSN is set.

Nothing personal leaves the site: ``send_default_pii`` is off (no user, no
IP address), local variables of stack frames are not sent, and
:func:`before_send` drops what the SDK could still attach from the request
(its body, cookies, query string, the Cookie and Authorization headers)
and passes every remaining string through the log redaction
(together.logs.redact): private tokens in paths become ``[private]``,
email and IP addresses are hashed. Each event carries the request id, to
find the request's log lines.
"""

from django.conf import settings

from together.logs import redact_values, request_id

# Request headers worth nothing to debugging and everything to an attacker.
DROPPED_HEADERS = frozenset(
    {"cookie", "authorization", "proxy-authorization", "x-forwarded-for", "x-real-ip"}
)


def init():
    """Start the SDK when SENTRY_DSN is set; returns whether it was started."""
    if not settings.SENTRY_DSN:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=before_send,
        before_send_transaction=before_send,
    )
    return True


def before_send(event, hint=None):
    """``event`` without request bodies, cookies, query strings or secret
    headers, every string redacted like a log line."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].partition("?")[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() not in DROPPED_HEADERS
            }
    event.pop("user", None)
    current = request_id.get()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return redact_values(event)
