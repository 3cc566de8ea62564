"""Django set up in this process as production runs it, for the in-process
measuring tools (:mod:`together.bench.profile`, :mod:`together.bench.stack`):
DEBUG off, plain HTTP, a throwaway secret and static folder, unless the
environment says otherwise. Call :func:`setup` before importing models."""

import os
import secrets


def setup(**defaults):
    """Fill the environment's gaps (``defaults`` first, then the common
    ones) and set Django up."""
    import django

    common = {
        "DJANGO_SETTINGS_MODULE": "together.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "0",
        "STATIC_ROOT": "/tmp/together-bench-profile-static",  # noqa: S108 (throwaway copy)
    }
    for name, value in {**common, **defaults}.items():
        os.environ.setdefault(name, value)
    django.setup()
