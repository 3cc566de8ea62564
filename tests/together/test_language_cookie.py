"""The language cookie is sent like the session's: same-site only, hidden
from scripts, and over HTTPS only when the site is served over HTTPS."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

SET_LANGUAGE = (
    "import json;"
    "from django.test import Client;"
    "response = Client().post('/i18n/setlang/', {'language': 'fr', 'next': '/'},"
    " secure=True, headers={'host': 'together.example'});"
    "cookie = response.cookies['django_language'];"
    "print(json.dumps({key: cookie[key] for key in ('secure', 'samesite', 'httponly')}))"
)


@pytest.mark.django_db
def test_language_cookie_is_same_site_and_hidden_from_scripts(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    cookie = response.cookies["django_language"]
    assert (cookie.value, cookie["samesite"], cookie["httponly"], cookie["secure"]) == ("fr", "Lax", True, "")


@pytest.mark.slow
def test_language_cookie_is_secure_under_https():
    production = {
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "together.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SET_LANGUAGE],
        cwd=PROJECT_ROOT,
        env={**os.environ, **production},
        capture_output=True,
        text=True,
        check=False,
    )

    assert json.loads(result.stdout) == {"secure": True, "samesite": "Lax", "httponly": True}
