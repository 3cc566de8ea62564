"""Protection of the public forms against automated abuse.

A campaign against xenophobia is a target: scripted pledges, floods of
stories or reports. Every public form combines three defences, each cheap
for a person and costly for a script:

* a honeypot field people never see or fill in;
* a signed, single-use stamp bound to its form, refusing forms sent faster
  than a person could, sent again, or sent to another form;
* per-address and per-email limits in the cache (Redis in production, so
  every app server counts together), answered with a friendly 429 page.

A form that many people fill in on one device sharing one connection (the
kiosk of an event's stand) is limited per device link instead of per
address (:func:`check_shared_device_rate_limit`); the per-email limit still
holds there, and the per-address limits for everyone else.

The address limit counts every attempt, valid or not, and is checked before
the form is validated: an address over its limit costs no more than a cache
increment, whatever it sends (a photo of an over-limit address is never
opened). The email limit counts valid submissions, the only ones with a
trustworthy address.

Refusals are logged with their reason; addresses appear only as keyed hashes.
"""

import logging
import math
import secrets
import time

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from together.logs import pseudonymise
from together.mail import normalise_email

logger = logging.getLogger(__name__)

# Each form class signs its stamps with a salt of its own (this plus its
# dotted path), so a stamp works only in the form it was issued for.
_STAMP_SALT = "together.abuse.form-stamp"
# Where the nonces of stamps already used are remembered, until they expire.
_STAMP_SEEN_KEY = "together.abuse.stamp-seen:"
# A form left open longer than this must be reloaded (its start time is stale).
FORM_MAX_AGE = 60 * 60 * 24


class StampField(forms.CharField):
    """The hidden stamp. Always rendered with its initial value, the fresh
    stamp, never with the one sent: a form shown again (with its errors)
    can be sent again, and the stamp sent stays single-use."""

    widget = forms.HiddenInput

    def bound_data(self, data, initial):
        return initial


class ProtectedForm(forms.Form):
    """Base for every public form: honeypot plus a signed, single-use stamp.

    The stamp holds when the form was first shown and a random nonce, signed
    for this form class only. It is refused when sent faster than a person
    could fill in the form, after FORM_MAX_AGE, in another form, or a
    second time (the nonce is remembered in the cache for the rest of the
    stamp's lifetime). Every rendering carries a fresh stamp that keeps the
    first showing's time, so correcting an error is never "too fast".

    Combine with a model form as ``class PledgeForm(ProtectedForm,
    forms.ModelForm)``. Templates render the two extra fields with
    ``{% include "together/includes/form_protection.html" %}``.
    """

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = StampField(required=False)

    protection_fields = ("website", "started")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sent = self.data.get(self.add_prefix("started"), "") if self.is_bound else ""
        self._sent_stamp = self.read_stamp(str(sent)) if sent else None
        shown_at = self._sent_stamp["shown"] if self._sent_stamp else None
        self.fields["started"].initial = self.issue_stamp(shown_at=shown_at)

    @classmethod
    def _stamp_salt(cls):
        return f"{_STAMP_SALT}:{cls.__module__}.{cls.__qualname__}"

    @classmethod
    def issue_stamp(cls, *, shown_at=None):
        """A new stamp for this form class: shown now (or at ``shown_at``, a
        timestamp), with a nonce of its own."""
        stamp = {"shown": time.time() if shown_at is None else shown_at, "nonce": secrets.token_urlsafe(16)}
        return signing.dumps(stamp, salt=cls._stamp_salt())

    @classmethod
    def read_stamp(cls, value):
        """The stamp ``value`` holds if this form class issued it and it has
        not expired, else None."""
        try:
            stamp = signing.loads(value, salt=cls._stamp_salt())
        except signing.BadSignature:
            return None
        if not (
            isinstance(stamp, dict)
            and isinstance(stamp.get("shown"), float | int)
            and isinstance(stamp.get("nonce"), str)
        ):
            return None
        if not 0 <= time.time() - stamp["shown"] <= FORM_MAX_AGE:
            return None
        return stamp

    def clean(self):
        cleaned_data = super().clean()
        if self.cleaned_data.get("website"):
            self._refuse("honeypot")
            raise ValidationError(
                _("Please leave the field “Leave this field empty” empty."), code="honeypot"
            )
        stamp = self._sent_stamp
        if stamp is None:
            self._refuse("expired")
            raise ValidationError(
                _("This form was open too long or was changed. Please check it and send it again."),
                code="form_expired",
            )
        age = time.time() - stamp["shown"]
        if age < settings.FORM_MIN_SECONDS:
            self._refuse("too_fast")
            raise ValidationError(
                _("That was quicker than a person can fill in this form. Please check it and send it again."),
                code="too_fast",
            )
        if not self._first_use(stamp["nonce"], lifetime=FORM_MAX_AGE - age):
            self._refuse("reused")
            raise ValidationError(
                _(
                    "This form has already been sent. If you did not see a confirmation, "
                    "check it and send it again."
                ),
                code="form_reused",
            )
        return cleaned_data

    def visible_fields_without_protection(self):
        return [field for field in self.visible_fields() if field.name not in self.protection_fields]

    def _refuse(self, reason):
        logger.warning("Form %s refused: %s", type(self).__name__, reason)

    @staticmethod
    def _first_use(nonce, *, lifetime):
        """Remember ``nonce`` for ``lifetime`` seconds; False if it was already.

        cache.add is atomic (SET NX in Redis): of two requests sending one
        stamp at once, one adds it. While Redis is down the cache
        (together.cache) remembers nonces in each process only, and forgets
        them when Redis answers again: during an outage a stamp can serve
        once per process, a weaker limit that never refuses a person. With a
        cache that fails outright, the read below answers None too, and the
        stamp is let through rather than every form refused."""
        key = _STAMP_SEEN_KEY + nonce
        if cache.add(key, True, timeout=max(1, math.ceil(lifetime))):
            return True
        return cache.get(key) is None


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


def check_shared_device_rate_limit(request, scope, device):
    """Like :func:`check_rate_limit`, for a form many people fill in on one
    shared device: counts every attempt of ``scope`` made through ``device``
    (e.g. a stand link's id), whatever the address it comes from."""
    _count(request, scope, "device", str(device))


def check_email_rate_limit(request, scope, email):
    """Count one valid submission of ``scope`` for ``email``, from any
    address. Call it once the form is valid, before saving anything. Raises
    :class:`RateLimited` once the email address is over its limit. Every
    spelling of one mailbox (``normalise_email``) shares its limit."""
    _count(request, scope, "email", pseudonymise(normalise_email(email)))


def check_lockout(request, scope, value):
    """Refuse (:class:`RateLimited`) a secret tried for ``value`` (an
    access code, say) once :func:`record_failure` counted more than
    ``settings.RATE_LIMITS[scope]`` wrong ones: a lockout of that value, from
    every address, for the rest of the period, even with the right secret.
    Counts nothing itself."""
    if _over_limit(request, scope, "failures", pseudonymise(value), increment=False):
        logger.warning("Locked out of %s: %s", scope, pseudonymise(value))
        raise RateLimited(scope)


def record_failure(request, scope, value):
    """Count one wrong secret tried for ``value`` (see :func:`check_lockout`)."""
    _over_limit(request, scope, "failures", pseudonymise(value), increment=True)


def _over_limit(request, scope, kind, value, *, increment):
    return is_ratelimited(
        request,
        group=f"{scope}:{kind}",
        key=lambda _group, _request: value,
        rate=settings.RATE_LIMITS[scope],
        increment=increment,
    )


def _count(request, scope, kind, value):
    if _over_limit(request, scope, kind, value, increment=True):
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
