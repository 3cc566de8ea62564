"""`make cluster`: the production shape on one machine, and `make cluster-stop`.

nginx (deploy/nginx/together.conf, over plain HTTP on PORT) in front of two
gunicorn instances (web-1, web-2, named in X-Served-By), two task workers
(of the database queue, or of the Redis queue with QUEUE=redis), the local
PostgreSQL (database together_cluster, made when missing, migrated, demo
loaded) and the local Redis. Everything it starts is a process of its
own session whose PID is written to var/cluster/<name>.pid; stopping signals
exactly those PIDs (after checking each is still the process started), never
anything found by name.

The instances are set for load checks (together/cluster_check.py): forms
may be sent at once (FORM_MIN_SECONDS=0) and the rate limits are raised far
above what one machine can send. Everything else is production's: DEBUG off,
the hashed static files collected and served by nginx, sessions, CSRF, form
stamps and rate limits shared through PostgreSQL and Redis only.

Runs with the project's Python but without Django (the commands it starts
load it): ``python -m together.cluster start|stop|status|check``.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "cluster"
NGINX_SOURCE = ROOT / "deploy" / "nginx" / "together.conf"
DEPLOY_ROOT = "/srv/together"
INSTANCES = ("web-1", "web-2")
WORKERS = ("worker-1", "worker-2")
# The task backend of each queue (README, "Production: task backends") and
# the command of its worker.
QUEUES = {
    "database": ("django_tasks_db.DatabaseBackend", ["db_worker", "--queue-name", "*", "--no-reload"]),
    "redis": ("together.rq_tasks.RQBackend", ["rq_worker"]),
}
# Far above what the load check sends from its one address in 60 s.
RATE_LIMIT_SCOPES = ("STORY", "REPORT", "PLEDGE", "SIGNUP", "REPLY", "MANAGE_LINK", "PERSONAL_DATA")


class ClusterError(Exception):
    pass


# --- The nginx configuration ----------------------------------------------------


def _between(text, start, end):
    """``text`` with the lines from the ``# start`` marker to the ``# end``
    marker (both included) cut out; the cut's indentation and the cut."""
    pattern = re.compile(rf"^([ \t]*)# {start}\n(.*?)^[ \t]*# {end}\n", re.M | re.S)
    match = pattern.search(text)
    if match is None:
        raise ClusterError(f"{NGINX_SOURCE} has lost its '# {start}' / '# {end}' markers")
    return match, match.group(1)


def local_site(source, *, port, app_ports, root, var=None):
    """deploy/nginx/together.conf made local: plain HTTP on 127.0.0.1:``port``,
    the instances on ``app_ports``, the checkout at ``root``, its static and
    media files under ``var`` (root/var). Every location stays as it is in
    the file a real server uses."""
    match, _ = _between(source, "tls-only", "end-tls-only")
    text = source[: match.start()] + source[match.end() :]
    match, indent = _between(text, "listen", "end-listen")
    text = text[: match.start()] + f"{indent}listen 127.0.0.1:{port};\n" + text[match.end() :]
    # The comment closing the upstream's explanation ends with the marker.
    match = re.search(r"upstream-servers\n(.*?)^([ \t]*)# end-upstream-servers\n", text, re.M | re.S)
    if match is None:
        raise ClusterError(f"{NGINX_SOURCE} has lost its upstream-servers markers")
    indent = match.group(2)
    servers = "".join(f"{indent}server 127.0.0.1:{app} max_fails=1 fail_timeout=5s;\n" for app in app_ports)
    text = text[: match.start(1)] + servers + text[match.end() :]
    text = text.replace(f"{DEPLOY_ROOT}/var", str(var or Path(root) / "var"))
    return text.replace(DEPLOY_ROOT, str(root))


def nginx_main(site, *, prefix, user=None):
    """A whole nginx.conf around ``site``, everything nginx writes kept under ``prefix``."""
    user_line = f"user {user};\n" if user else ""
    return (
        f"# Written by together/cluster.py from {NGINX_SOURCE.relative_to(ROOT)}; do not edit.\n"
        f"{user_line}"
        "daemon off;\n"
        "worker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/nginx-error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        f"    access_log {prefix}/nginx-access.log;\n"
        f"    client_body_temp_path {prefix}/client_body;\n"
        f"    proxy_temp_path {prefix}/proxy;\n"
        f"    fastcgi_temp_path {prefix}/fastcgi;\n"
        f"    uwsgi_temp_path {prefix}/uwsgi;\n"
        f"    scgi_temp_path {prefix}/scgi;\n"
        f"{site}\n"
        "}\n"
    )


def nginx_binary():
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def install_nginx():
    """Debian's nginx-light, when no nginx is installed (as root or through sudo)."""
    if nginx_binary():
        return
    if not shutil.which("apt-get"):
        raise ClusterError("nginx is not installed and there is no apt-get: install nginx, then try again")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing Debian's nginx-light")
    subprocess.run([*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "nginx-light"], check=True
    )


def write_nginx_config(*, port, app_ports, folder, var=None):
    (folder / "nginx").mkdir(parents=True, exist_ok=True)
    site = local_site(NGINX_SOURCE.read_text(), port=port, app_ports=app_ports, root=ROOT, var=var)
    # nginx started as root hands its workers to "nobody", who may not read
    # the checkout: they stay with the user who started it.
    user = "root" if os.geteuid() == 0 else None
    path = folder / "nginx.conf"
    path.write_text(nginx_main(site, prefix=folder / "nginx", user=user))
    return path


# --- Processes --------------------------------------------------------------------


def instance_env(*, port, database_url, redis_url, secret_key, queue="database", folder=STATE):
    """The environment of every process of the cluster (production settings,
    load-check limits, the task backend of ``queue``)."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RATE_LIMIT_", "DJANGO_"))
        and key not in {"DEBUG", "HTTPS", "INSTANCE_NAME", "BIND", "TASKS_BACKEND", "TASKS_REDIS_URL"}
    }
    return {
        **clean,
        "TASKS_BACKEND": QUEUES[queue][0],
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "NUM_PROXIES": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "email"),
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "FORM_MIN_SECONDS": "0",
        **{f"RATE_LIMIT_{scope}": "100000/h" for scope in RATE_LIMIT_SCOPES},
    }


def start_process(name, command, *, env, folder=STATE):
    """Start ``command`` in a session of its own, its output in logs/<name>.log,
    its PID in <name>.pid; returns its Popen."""
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    with (folder / "logs" / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    (folder / f"{name}.pid").write_text(f"{process.pid}\n")
    return process


def gunicorn_command():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return [gunicorn, "-c", "together/gunicorn.conf.py", "together.wsgi"]


def worker_command(queue):
    """The command of one task worker of ``queue``."""
    return [sys.executable, "manage.py", *QUEUES[queue][1]]


def start_instance(name, app_port, env, folder=STATE):
    env = {**env, "INSTANCE_NAME": name, "BIND": f"127.0.0.1:{app_port}"}
    return start_process(name, gunicorn_command(), env=env, folder=folder)


def running_pid(name, folder=STATE):
    """The PID in <name>.pid if that process is still the one we started
    (alive, and running from this checkout's commands), else None."""
    try:
        pid = int((folder / f"{name}.pid").read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, ValueError):
        return None
    # A PID may be reused once its process is gone: check it is still ours.
    if name == "nginx":
        ours = str(folder / "nginx.conf") in cmdline
    else:
        workers = [command[0] for _backend, command in QUEUES.values()]
        markers = workers if name.startswith("worker") else ["together.wsgi"]
        try:
            ours = any(marker in cmdline for marker in markers) and Path(f"/proc/{pid}/cwd").resolve() == ROOT
        except OSError:
            ours = False
    return pid if ours else None


def stop(folder=STATE, names=None, *, timeout=35):
    """TERM each started process still running (its PID from its pid file),
    wait for it, KILL its session if it outlives ``timeout``."""
    names = names or ["nginx", *INSTANCES, *WORKERS]
    pids = {name: running_pid(name, folder) for name in names}
    for name, pid in pids.items():
        if pid:
            print(f"Stopping {name} (PID {pid})")
            os.kill(pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, pid in pids.items():
        while pid and Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid and Path(f"/proc/{pid}").exists():
            print(f"{name} (PID {pid}) did not stop in {timeout} s: killing its session")
            os.killpg(pid, signal.SIGKILL)
        (folder / f"{name}.pid").unlink(missing_ok=True)


def wait_for(url, *, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.headers
        except (OSError, urllib.error.HTTPError):
            if time.monotonic() > deadline:
                logs = STATE / "logs"
                raise ClusterError(f"{url} did not answer within {timeout} s (logs in {logs})") from None
            time.sleep(0.25)


def port_is_free(port):
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# --- The database -------------------------------------------------------------------


def ensure_database(database_url):
    """Create the PostgreSQL database ``database_url`` names when it is missing."""
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating the database {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- Commands -------------------------------------------------------------------------


def settings_from_environment():
    port = int(os.environ.get("PORT") or 8080)
    app_ports = [int(part) for part in os.environ.get("APP_PORTS", f"{port + 1},{port + 2}").split(",")]
    queue = os.environ.get("QUEUE") or "database"
    if queue not in QUEUES:
        raise ClusterError(f"QUEUE={queue} is not a queue: choose {' or '.join(QUEUES)}")
    return {
        "queue": queue,
        "port": port,
        "app_ports": app_ports,
        "database_url": os.environ.get(
            "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/together_cluster"
        ),
        "redis_url": os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/5"),
    }


def secret_key(folder=STATE):
    path = folder / "secret-key"
    if not path.exists() or not path.read_text().strip():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def cluster_env(config):
    return instance_env(
        port=config["port"],
        database_url=config["database_url"],
        redis_url=config["redis_url"],
        secret_key=secret_key(),
        queue=config["queue"],
    )


def start(config):
    running = [name for name in ("nginx", *INSTANCES, *WORKERS) if running_pid(name)]
    if running:
        raise ClusterError(f"The cluster is running already ({', '.join(running)}): make cluster-stop first")
    busy = [port for port in (config["port"], *config["app_ports"]) if not port_is_free(port)]
    if busy:
        raise ClusterError(f"Port(s) {', '.join(map(str, busy))} are in use: choose others with PORT=…")
    install_nginx()
    STATE.mkdir(parents=True, exist_ok=True)
    env = cluster_env(config)
    ensure_database(config["database_url"])
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    # load_demo is for development only (it refuses DEBUG off) and idempotent.
    manage("load_demo", env={**env, "DEBUG": "1"})

    nginx_conf = write_nginx_config(port=config["port"], app_ports=config["app_ports"], folder=STATE)
    subprocess.run([nginx_binary(), "-t", "-q", "-c", str(nginx_conf)], check=True)
    for name, app_port in zip(INSTANCES, config["app_ports"], strict=True):
        start_instance(name, app_port, env)
    for name in WORKERS:
        start_process(name, worker_command(config["queue"]), env=env)
    start_process("nginx", [nginx_binary(), "-c", str(nginx_conf)], env=env)

    for name, app_port in zip(INSTANCES, config["app_ports"], strict=True):
        served_by = wait_for(f"http://127.0.0.1:{app_port}/healthz").get("X-Served-By")
        print(f"{name}: gunicorn on 127.0.0.1:{app_port} (X-Served-By: {served_by})")
    wait_for(f"http://127.0.0.1:{config['port']}/healthz")
    print(
        f"The cluster serves http://127.0.0.1:{config['port']}/ (nginx, two instances, "
        f"two workers of the {config['queue']} queue);\n"
        f"logs and PIDs in {STATE.relative_to(ROOT)}/, emails in {(STATE / 'email').relative_to(ROOT)}/.\n"
        "Stop it with: make cluster-stop"
    )


def check(config, arguments):
    """Run the load check (together/cluster_check.py) against the running cluster."""
    if not all(running_pid(name) for name in ("nginx", *INSTANCES)):
        raise ClusterError("The cluster is not running: make cluster first")
    env = {**cluster_env(config), "CLUSTER_PORT": str(config["port"])}
    url = f"http://127.0.0.1:{config['port']}"
    command = [sys.executable, "manage.py", "cluster_check", f"--url={url}", *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m together.cluster", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status", "check"])
    arguments, rest = parser.parse_known_args(argv)
    try:
        config = settings_from_environment()
        if arguments.action == "start":
            try:
                start(config)
            except (ClusterError, subprocess.CalledProcessError):
                stop()
                raise
        elif arguments.action == "stop":
            stop()
        elif arguments.action == "status":
            for name in ("nginx", *INSTANCES, *WORKERS):
                pid = running_pid(name)
                print(f"{name}: {'PID ' + str(pid) if pid else 'not running'}")
        else:
            return check(config, rest)
    except ClusterError as error:
        print(f"make cluster: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        command = " ".join(map(str, error.cmd))
        print(f"make cluster: {command} failed (status {error.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
