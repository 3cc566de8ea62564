"""`make serve`'s production mode, for real: gunicorn, DEBUG off, whitenoise."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
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
def serve_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def production_server(serve_folder):
    folder = serve_folder
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


def log_after(folder, action):
    """What gunicorn logs (access and error, one file) while ``action`` runs."""
    log = folder / "gunicorn.log"
    start = log.stat().st_size
    action()
    time.sleep(0.3)
    return log.read_bytes()[start:].decode()


def test_gunicorn_access_log_redacts_the_token_of_a_private_link(production_server, serve_folder):
    token = "MTIz:1sQ2aB:Zk3vJ9xq-P_ab"

    def open_link():
        with pytest.raises(urllib.error.HTTPError):  # a link we did not sign: 404
            get(f"{production_server}/en/stories/manage/{token}/edit/")

    written = log_after(serve_folder, open_link)

    assert '"GET /en/stories/manage/[private]/edit/ HTTP/1.1" 404' in written
    assert token not in written


def test_gunicorn_logs_a_malformed_request_with_the_client_address_hashed(production_server, serve_folder):
    host, port = production_server.removeprefix("http://").split(":")

    def send_garbage():
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(b"NOT A REQUEST\r\n\r\n")
            connection.recv(1024)

    written = log_after(serve_folder, send_garbage)

    assert "Invalid request from ip=ip:" in written
    assert "127.0.0.1" not in written
