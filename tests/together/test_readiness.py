"""/readyz: 200 while the database, Redis and the queue are healthy, 503
naming what is not (together/readiness.py). The outages of the database and
Redis are real: a server of the test's own is stopped and started again."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.together.failing_tasks import adds
from tests.together.gunicorn_server import GunicornServer, get
from tests.together.redis_server import RedisServer, forget_axes_cache, use_redis_cache
from tests.together.task_queues import redis_queue, start_redis_queue
from tests.together.tcp_forwarder import TcpForwarder
from together.models import OutboundEmail
from together.tasks import send_personal_data_link

pytestmark = pytest.mark.django_db


def queued_email(*, due_minutes_ago):
    due = timezone.now() - timedelta(minutes=due_minutes_ago)
    return OutboundEmail.objects.create(
        to="amina@example.org", subject="Hello", text_body="Hello", created_at=due, next_attempt_at=due
    )


def test_readyz_answers_ok_when_everything_is_healthy(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_never_cached(client):
    response = client.get("/readyz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_an_email_due_for_more_than_ten_minutes_makes_the_queue_unhealthy(client):
    queued_email(due_minutes_ago=11)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["queue"]}


def test_an_email_due_for_less_than_ten_minutes_is_healthy(client):
    queued_email(due_minutes_ago=9)

    assert client.get("/readyz").status_code == 200


def test_an_old_email_waiting_for_its_retry_is_healthy(client):
    message = queued_email(due_minutes_ago=60)
    OutboundEmail.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert client.get("/readyz").status_code == 200


def test_a_sent_email_is_not_waiting(client):
    message = queued_email(due_minutes_ago=60)
    OutboundEmail.objects.filter(pk=message.pk).update(sent_at=timezone.now())

    assert client.get("/readyz").status_code == 200


def test_the_queue_age_limit_is_a_setting(client, settings):
    settings.READYZ_QUEUE_MAX_AGE = timedelta(minutes=2)
    queued_email(due_minutes_ago=3)

    assert client.get("/readyz").json() == {"status": "unavailable", "failed": ["queue"]}


def test_a_task_ready_for_more_than_ten_minutes_makes_the_queue_unhealthy(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_result = send_personal_data_link.enqueue("amina@example.org", "en")
    DBTaskResult.objects.filter(pk=task_result.id).update(enqueued_at=timezone.now() - timedelta(minutes=11))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["queue"]}


def test_a_task_deferred_until_now_has_waited_only_since_then(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_result = send_personal_data_link.enqueue("amina@example.org", "en")
    DBTaskResult.objects.filter(pk=task_result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=6), run_after=timezone.now() - timedelta(minutes=1)
    )

    assert client.get("/readyz").status_code == 200


@pytest.mark.slow
def test_readyz_answers_503_while_redis_is_stopped_and_200_once_it_is_back(client, settings, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        use_redis_cache(settings, server.url, retry_seconds=0.2)
        settings.REDIS_URL = server.url
        assert client.get("/readyz").status_code == 200

        server.stop()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failed": ["redis"]}

        server.start()
        assert client.get("/readyz").json() == {"status": "ok"}
    finally:
        server.stop()
        forget_axes_cache()


@pytest.mark.slow
def test_readyz_of_a_running_server_answers_503_while_its_database_is_gone_and_200_once_back(tmp_path):
    """The server's SQLite database moved away (as unreachable as a stopped
    PostgreSQL: every new connection fails), then put back."""
    server = GunicornServer(tmp_path)
    server.start()
    try:
        assert get(f"{server.url}/readyz")[0] == 200

        server.database.parent.rename(tmp_path / "away")
        status, _, body = get(f"{server.url}/readyz")
        assert (status, json.loads(body)) == (503, {"status": "unavailable", "failed": ["database"]})

        (tmp_path / "away").rename(server.database.parent)
        status, _, body = get(f"{server.url}/readyz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
    finally:
        server.stop()


@pytest.mark.slow
def test_readyz_of_a_running_server_answers_503_while_postgresql_is_unreachable_and_200_once_back(tmp_path):
    """The server reaches the test's PostgreSQL database (migrated) through a
    relay; the relay stops (every connection cut, new ones refused), then
    starts again on the same port."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL runs only: the SQLite run moves its database away instead (above)")
    database = connection.settings_dict
    relay = TcpForwarder((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    relay.start()
    url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
    server = GunicornServer(tmp_path, migrate=False, DATABASE_URL=url)
    server.start()
    try:
        assert get(f"{server.url}/readyz")[0] == 200

        relay.stop()
        status, _, body = get(f"{server.url}/readyz")
        assert (status, json.loads(body)) == (503, {"status": "unavailable", "failed": ["database"]})

        relay.start()
        status, _, body = get(f"{server.url}/readyz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
    finally:
        server.stop()
        relay.stop()


def queued_in_redis(django_capture_on_commit_callbacks, *, minutes_ago):
    with django_capture_on_commit_callbacks(execute=True):
        result = adds.enqueue(2, 3)
    job = redis_queue().queue("default").fetch_job(result.id)
    job.enqueued_at = (timezone.now() - timedelta(minutes=minutes_ago)).replace(tzinfo=None)
    job.save()
    return job


@pytest.mark.slow
def test_a_task_queued_in_redis_for_more_than_ten_minutes_makes_the_queue_unhealthy(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    server = start_redis_queue(settings, tmp_path)
    try:
        queued_in_redis(django_capture_on_commit_callbacks, minutes_ago=11)

        response = client.get("/readyz")
    finally:
        server.stop()

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["queue"]}


@pytest.mark.slow
def test_a_task_queued_in_redis_for_less_than_ten_minutes_is_healthy(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    server = start_redis_queue(settings, tmp_path)
    try:
        queued_in_redis(django_capture_on_commit_callbacks, minutes_ago=9)

        response = client.get("/readyz")
    finally:
        server.stop()

    assert response.status_code == 200


@pytest.mark.slow
def test_an_unreachable_redis_queue_makes_the_queue_unhealthy(client, settings, tmp_path):
    server = start_redis_queue(settings, tmp_path)
    server.stop()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["queue"]}
