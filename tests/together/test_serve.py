"""`make serve`'s production mode, for real: gunicorn, DEBUG off, whitenoise."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.together.processes import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.slow


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "STATIC_ROOT": str(folder / "static"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    log = (folder / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [GUNICORN, "-c", "together/gunicorn.conf.py", "together.wsgi"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            get(f"{base_url}/healthz")
            break
        except OSError:
            time.sleep(0.2)
    yield base_url
    server.terminate()
    server.wait(timeout=10)
    log.close()


def test_home_page_is_served_by_gunicorn_with_debug_off(production_server):
    status, _, body = get(f"{production_server}/en/")

    assert status == 200
    assert b"TOGETHER" in body


def test_static_files_have_hashed_names_and_far_future_cache(production_server):
    _, _, body = get(f"{production_server}/en/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()

    status, headers, _ = get(f"{production_server}{stylesheet}", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"
