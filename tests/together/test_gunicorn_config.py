"""The production gunicorn configuration (together/gunicorn.conf.py), as a
running server of a test's own shows it."""

import pytest

from tests.together.gunicorn_server import GunicornServer, get


@pytest.mark.slow
def test_a_server_leaves_no_control_socket_for_the_next_instance_to_take_over(tmp_path):
    home, runtime = tmp_path / "home", tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir()
    server = GunicornServer(tmp_path / "server", HOME=str(home), XDG_RUNTIME_DIR=str(runtime))
    server.start()
    try:
        assert get(f"{server.url}/healthz")[0] == 200
        assert sorted(path.name for path in [*home.rglob("*"), *runtime.rglob("*")]) == []
    finally:
        server.stop()
