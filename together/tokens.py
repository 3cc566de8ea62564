"""Private links: the one way the site signs and reads their tokens.

A private link (a storyteller's link to manage their story, a pledge's
confirmation and withdrawal links, a sign-up's confirmation and cancellation
links) stands for a person's right to act, so its token is a small JSON value
signed with ``SECRET_KEY`` under a ``purpose`` (the salt): a token made for
one purpose never works for another, and nothing in it can be changed.

The value is a string, signed as it is (a sign-up's random secret), or
anything else JSON can hold, signed as compact JSON (a story's id, a pledge's
id and secret); reading says which it expects (``text``).

A ``dated`` token carries the moment it was made, so that reading it can
refuse it after ``max_age``; an undated one is the same every time it is made
(a story's link never changes). Rotating ``SECRET_KEY`` invalidates every
link unless the old key stays in ``SECRET_KEY_FALLBACKS``.
"""

from django.core import signing


def make_token(value, *, purpose, dated=True):
    """The token of a private link standing for ``value``."""
    signer = _signer(purpose, dated)
    return signer.sign(value) if isinstance(value, str) else signer.sign_object(value, compress=True)


def read_token(token, *, purpose, dated=True, max_age=None, text=False):
    """The value ``token`` stands for (the signed string itself when
    ``text``). Raises ``signing.SignatureExpired`` for a dated token older
    than ``max_age`` and ``signing.BadSignature`` for any token not made by
    :func:`make_token` for this purpose."""
    signer = _signer(purpose, dated)
    unsign = signer.unsign if text else signer.unsign_object
    try:
        return unsign(token, max_age=max_age) if dated else unsign(token)
    except (TypeError, ValueError):  # signed by us, but not a value we signed
        raise signing.BadSignature("Malformed token") from None


def _signer(purpose, dated):
    return signing.TimestampSigner(salt=purpose) if dated else signing.Signer(salt=purpose)
