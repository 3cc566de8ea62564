"""Protection of the public forms against automated abuse.

A campaign against xenophobia is a target: scripted pledges, floods of
stories or reports. Every public form combines three defences, each cheap
for a person and costly for a script:

* a honeypot field people never see or fill in;
* a signed start time, refusing forms sent faster than a person could;
* per-address and per-email limits in the cache (Redis in production, so
  every app server counts together), answered with a friendly 429 page.

The address limit counts every attempt, valid or not, and is checked before
the form is validated: an address over its limit costs no more than a cache
increment, whatever it sends (a photo of an over-limit address is never
opened). The email limit counts valid submissions, the only ones with a
trustworthy address.

Refusals are logged with their reason; addresses appear only as keyed hashes.
"""

import logging
import time

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from together.logs import pseudonymise

logger = logging.getLogger(__name__)

_STARTED_SALT = "together.abuse.form-started"
# A form left open longer than this must be reloaded (its start time is stale).
FORM_MAX_AGE = 60 * 60 * 24


class ProtectedForm(forms.Form):
    """Base for every public form: honeypot plus minimum filling time.

    Combine with a model form as ``class PledgeForm(ProtectedForm,
    forms.ModelForm)``. Templates render the two extra fields with
    ``{% include "together/includes/form_protection.html" %}``.
    """

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    protection_fields = ("website", "started")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=_STARTED_SALT)

    def clean(self):
        cleaned_data = super().clean()
        if self.cleaned_data.get("website"):
            self._refuse("honeypot")
            raise ValidationError(
                _("Please leave the field “Leave this field empty” empty."), code="honeypot"
            )
        try:
            started = signing.loads(
                self.data.get(self.add_prefix("started"), ""), salt=_STARTED_SALT, max_age=FORM_MAX_AGE
            )
        except signing.BadSignature:
            self._refuse("expired")
            raise ValidationError(
                _("This form was open too long or was changed. Please check it and send it again."),
                code="form_expired",
            ) from None
        if time.time() - started < settings.FORM_MIN_SECONDS:
            self._refuse("too_fast")
            raise ValidationError(
                _("That was quicker than a person can fill in this form. Please check it and send it again."),
                code="too_fast",
            )
        return cleaned_data

    def visible_fields_without_protection(self):
        return [field for field in self.visible_fields() if field.name not in self.protection_fields]

    def _refuse(self, reason):
        logger.warning("Form %s refused: %s", type(self).__name__, reason)


def validate_not_disposable(email):
    """Refuse addresses at throwaway-mailbox providers (and their subdomains).

    The list is the maintained `disposable-email-domains` package."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    labels = domain.split(".")
    if any(".".join(labels[i:]) in DISPOSABLE_DOMAINS for i in range(len(labels) - 1)):
        logger.warning("Disposable address refused: %s", pseudonymise(email))
        raise ValidationError(
            _("Please use a permanent email address: we need to be able to reach you about this."),
            code="disposable_email",
        )


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the entry NUM_PROXIES from the
    end of X-Forwarded-For when the site runs behind that many proxies."""
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


class RateLimited(Exception):
    """Too many submissions.

    A view that can should catch it and show the form again with
    :func:`rate_limited_error` and status 429, so nothing typed is lost;
    otherwise the middleware answers with the 429 page."""

    def __init__(self, scope):
        super().__init__(scope)
        self.scope = scope


def check_rate_limit(request, scope):
    """Count one attempt to send a ``scope`` form (a key of
    settings.RATE_LIMITS) from the client's address.

    Call it first thing on every POST, before the form is validated: valid
    or not, every attempt counts. Raises :class:`RateLimited` once the
    address is over its limit."""
    _count(request, scope, "ip", client_ip(request))


def check_email_rate_limit(request, scope, email):
    """Count one valid submission of ``scope`` for ``email``, from any
    address. Call it once the form is valid, before saving anything. Raises
    :class:`RateLimited` once the email address is over its limit."""
    _count(request, scope, "email", pseudonymise(email))


def _count(request, scope, kind, value):
    if is_ratelimited(
        request,
        group=f"{scope}:{kind}",
        key=lambda _group, _request: value,
        rate=settings.RATE_LIMITS[scope],
        increment=True,
    ):
        logger.warning("Rate limit of %s reached by %s %s", scope, kind, pseudonymise(value))
        raise RateLimited(scope)


def rate_limited_error():
    return ValidationError(
        _(
            "We received several messages from you, or from your network, in a short time. "
            "Nothing you wrote is lost: please keep this page open and send it again in an hour."
        ),
        code="rate_limited",
    )


class RateLimitMiddleware:
    """Answer :class:`RateLimited` with the friendly 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(60 * 60)
        return response
