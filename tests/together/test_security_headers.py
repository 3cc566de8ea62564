"""The browser-side defences every response carries, and the production cookies.

Note for the pledge widget (campaigns): it is the ONE page meant to be framed
by partner sites. It gets its own `csp_override` (frame-ancestors listing the
partners) and `xframe_options_exempt`; every other page stays unframeable, as
tested here.
"""

import json

import pytest
from django.urls import reverse

from tests.together.processes import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["public page", "admin login"])
def response(request, client):
    path = "/en/about/" if request.param == "public page" else reverse("admin:login")
    response = client.get(path)
    assert response.status_code == 200
    return response


def csp_directives(response):
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


def test_csp_allows_only_own_origin_and_nothing_inline(response):
    directives = csp_directives(response)

    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_responses_forbid_sniffing_framing_and_leaking_referrer(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_permissions_policy_turns_off_camera_location_and_microphone(response):
    features = dict(part.strip().split("=") for part in response["Permissions-Policy"].split(","))

    assert features["camera"] == "()"
    assert features["geolocation"] == "()"
    assert features["microphone"] == "()"


def production(script):
    """Run ``script`` in a process with the production settings; its last line is JSON."""
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_at_least_a_year():
    script = (
        "import json; from django.test import Client;"
        "r = Client().get('/healthz', secure=True, headers={'host': 'together.example'});"
        "print(json.dumps(r.headers['Strict-Transport-Security']))"
    )

    hsts = production(script)

    directives = dict(part.strip().partition("=")[::2] for part in hsts.split(";"))
    assert int(directives["max-age"]) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in directives


def test_production_cookies_are_secure_host_only_and_lax():
    script = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE]))"
    )

    assert production(script) == ["__Host-sessionid", True, True, "Lax", "__Host-csrftoken", True, "Lax"]


def test_production_login_page_sets_csrf_cookie_with_host_prefix_and_secure_flag():
    # Plain static storage: the manifest only exists after collectstatic.
    script = (
        "import json; from django.conf import settings; from django.test import Client, override_settings;"
        "from django.urls import reverse;"
        "plain = {**settings.STORAGES,"
        " 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}};"
        "override_settings(STORAGES=plain).enable();"
        "r = Client().get(reverse('admin:login'), secure=True, headers={'host': 'together.example'});"
        "c = r.cookies['__Host-csrftoken'];"
        "print(json.dumps([r.status_code, bool(c['secure']), c['path'], c['samesite']]))"
    )

    assert production(script) == [200, True, "/", "Lax"]
