"""`make cluster`'s nginx configuration, made from the deployed one
(together.cluster), and the page nginx answers when no instance can."""

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.tools import ci_is_set
from tests.together.processes import free_port
from together import cluster
from together.cluster_check import Answer

SOURCE = cluster.NGINX_SOURCE.read_text()
TRY_AGAIN_PAGE = cluster.ROOT / "deploy" / "nginx" / "errors" / "try-again.html"


def local(**options):
    return cluster.local_site(SOURCE, **{"port": 18080, "app_ports": [18081, 18082], "root": "/r", **options})


def locations(text):
    return re.findall(r"^\s*(location [^{]+)\{", text, re.M)


def test_local_config_keeps_every_location_of_the_deployed_site():
    site = SOURCE[SOURCE.index("listen 443") :]  # the HTTPS server, not the redirect to it

    assert locations(local()) == locations(site)


def test_local_config_listens_on_plain_http_on_its_port_only():
    listens = re.findall(r"^\s*listen ([^;]+);", local(), re.M)

    assert listens == ["127.0.0.1:18080"]
    assert "ssl_" not in local()


def test_local_config_proxies_to_the_given_instances_only():
    servers = re.findall(r"^\s*server ([0-9]\S+)", local(), re.M)

    assert servers == ["127.0.0.1:18081", "127.0.0.1:18082"]


def test_local_config_serves_files_from_the_checkout():
    text = local(var="/data/var")

    assert "/srv/together" not in text
    assert "root /data/var;" in text
    assert "root /r/deploy/nginx/errors;" in text


def require_nginx():
    if cluster.nginx_binary() is None:
        if ci_is_set():
            pytest.fail("nginx is missing (apt-get install -y nginx-light); CI is set, so this fails")
        pytest.skip("nginx is missing (apt-get install -y nginx-light)")


def test_local_config_is_accepted_by_nginx(tmp_path):
    require_nginx()
    config = cluster.write_nginx_config(port=18080, app_ports=[18081, 18082], folder=tmp_path)

    checked = subprocess.run(
        [cluster.nginx_binary(), "-t", "-c", str(config)], capture_output=True, text=True, check=False
    )

    assert checked.returncode == 0, checked.stderr


def test_a_pid_file_naming_another_process_is_not_taken_for_ours(tmp_path):
    (tmp_path / "web-1.pid").write_text(f"{os.getpid()}\n")

    assert cluster.running_pid("web-1", tmp_path) is None


def test_try_again_page_speaks_every_language_of_the_site():
    languages = re.findall(r'<section lang="([^"]+)"', TRY_AGAIN_PAGE.read_text())

    assert sorted(code.lower() for code in languages) == sorted(code for code, _ in settings.LANGUAGES)


def test_cluster_check_recognises_the_try_again_page_of_a_failed_post():
    assert Answer(502, {}, TRY_AGAIN_PAGE.read_bytes()).try_again


@pytest.mark.slow
def test_a_post_no_instance_could_answer_gets_the_try_again_page_in_every_language(tmp_path):
    require_nginx()
    port = free_port()
    config = cluster.write_nginx_config(port=port, app_ports=[free_port(), free_port()], folder=tmp_path)
    nginx = subprocess.Popen([cluster.nginx_binary(), "-c", str(config)], stderr=subprocess.DEVNULL)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/en/stories/share/", data=b"title=Bread")
        answer = retry_until_listening(lambda: urllib.request.urlopen(request, timeout=5))
    finally:
        nginx.terminate()
        nginx.wait(10)

    assert answer.code == 502
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.read() == TRY_AGAIN_PAGE.read_bytes()


def retry_until_listening(send, timeout=10):
    """``send()``'s HTTP error, once nginx has started listening."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            send()
        except urllib.error.HTTPError as error:
            return error
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        else:
            pytest.fail("nginx answered without an instance behind it")


def test_deployed_config_with_its_tls_server_is_accepted_by_nginx(tmp_path):
    require_nginx()
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is missing (to make a throwaway certificate)")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    throwaway = ("-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=together.example")
    subprocess.run(
        [openssl, "req", *throwaway, "-keyout", str(key), "-out", str(certificate)],
        capture_output=True,
        check=True,
    )
    site = (
        SOURCE.replace("/etc/letsencrypt/live/together.example/fullchain.pem", str(certificate))
        .replace("/etc/letsencrypt/live/together.example/privkey.pem", str(key))
        .replace(cluster.DEPLOY_ROOT, str(cluster.ROOT))
    )
    config = tmp_path / "nginx.conf"
    config.write_text(cluster.nginx_main(site, prefix=tmp_path))

    checked = subprocess.run(
        [cluster.nginx_binary(), "-t", "-c", str(config)], capture_output=True, text=True, check=False
    )

    assert checked.returncode == 0, checked.stderr


def test_the_cluster_works_the_database_queue_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("QUEUE", raising=False)
    config = cluster.settings_from_environment()

    assert cluster.cluster_env(config)["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    command = ["manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    assert cluster.worker_command(config["queue"])[1:] == command


def test_queue_redis_puts_the_cluster_on_the_redis_queue_with_its_workers(monkeypatch):
    monkeypatch.setenv("QUEUE", "redis")
    monkeypatch.setenv("TASKS_REDIS_URL", "redis://elsewhere:6379/0")
    config = cluster.settings_from_environment()
    env = cluster.cluster_env(config)

    assert env["TASKS_BACKEND"] == "together.rq_tasks.RQBackend"
    assert "TASKS_REDIS_URL" not in env  # the queue is on the cluster's own Redis
    assert cluster.worker_command(config["queue"])[1:] == ["manage.py", "rq_worker"]


def test_an_unknown_queue_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("QUEUE", "kafka")

    with pytest.raises(cluster.ClusterError, match="QUEUE=kafka is not a queue: choose database or redis"):
        cluster.settings_from_environment()


def test_a_redis_queue_worker_of_this_checkout_is_recognised_as_ours(tmp_path):
    worker = subprocess.Popen(
        [*cluster.worker_command("redis")[:1], "-c", "import time; time.sleep(30)", "manage.py", "rq_worker"],
        cwd=cluster.ROOT,
    )
    try:
        (tmp_path / "worker-1.pid").write_text(f"{worker.pid}\n")
        # Right after exec, /proc may show no command line yet; a pid file
        # is read long after its worker started.
        cmdline = Path(f"/proc/{worker.pid}/cmdline")
        for _ in range(100):
            if b"rq_worker" in cmdline.read_bytes():
                break
            time.sleep(0.05)

        assert cluster.running_pid("worker-1", tmp_path) == worker.pid
    finally:
        worker.kill()
        worker.wait()
