"""The Redis task queue (together.rq_tasks) against a redis-server of the test's own."""

import io
import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from campaigns.models import Pledge
from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import submit_pledge
from tests.together.failing_tasks import adds, always_fails
from tests.together.task_queues import (
    everything_in,
    redis_queue,
    run_rq_worker,
    run_rq_worker_process,
    start_redis_queue,
    use_database_queue,
)
from together.models import OutboundEmail
from together.tasks import send_personal_data_link

RUNNING = "path=tests.together.failing_tasks.always_fails state=RUNNING"

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server(settings, tmp_path):
    server = start_redis_queue(settings, tmp_path, retry={"max": 1, "intervals": [0]})
    yield server
    server.stop()


def registry(kind):
    return kind(queue=redis_queue().queue("default"))


def test_a_task_result_is_read_back_from_redis_once_the_worker_ran_it(redis_server):
    queued = adds.enqueue(2, 3)

    run_rq_worker()

    result = adds.get_result(queued.id)
    assert (result.status, result.return_value, result.args) == (TaskResultStatus.SUCCESSFUL, 5, [2, 3])


def test_a_failing_task_is_retried_as_configured_then_listed_as_failed(redis_server, caplog):
    queued = always_fails.enqueue()

    with caplog.at_level(logging.INFO, logger="django.tasks"):
        run_rq_worker()

    attempts = [r for r in caplog.records if r.getMessage() == f"Task id={queued.id} {RUNNING}"]
    assert len(attempts) == 2  # the first attempt and its one retry
    assert always_fails.get_result(queued.id).status == TaskResultStatus.FAILED
    assert registry(FailedJobRegistry).get_job_ids() == [queued.id]


def test_a_failed_email_is_retried_by_the_outbox_not_again_by_the_queue(
    redis_server, settings, closed_port, client
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port},
        }
    }
    campaign = CampaignFactory(is_active=True)
    submit_pledge(client, campaign, email="amina@example.org")

    run_rq_worker()

    message = OutboundEmail.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert len(registry(FailedJobRegistry)) == 1  # the attempt, failed once, not retried by RQ
    assert len(registry(ScheduledJobRegistry)) == 1  # the outbox's own next attempt


def test_the_address_given_to_a_lookup_task_is_not_kept_in_redis(redis_server):
    send_personal_data_link.enqueue("amina@example.org", "en")

    run_rq_worker()

    stored = everything_in(redis_server)
    assert b"together.tasks.send_personal_data_link" in stored  # the job is there
    assert b"amina" not in stored


def test_a_pledge_made_while_redis_is_down_is_confirmed_by_email_once_it_is_back(redis_server, client):
    campaign = CampaignFactory(is_active=True)
    redis_server.stop()

    response = submit_pledge(client, campaign, email="amina@example.org")

    assert response.status_code == 302
    assert OutboundEmail.objects.get().sent_at is None
    redis_server.start()
    run_rq_worker()  # re-queues what could not be queued
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    assert Pledge.objects.get().confirmed_at is None


def test_a_worker_process_forking_for_each_task_delivers_the_email(redis_server, client, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("A second process cannot open the in-memory SQLite test database.")
    submit_pledge(client, CampaignFactory(is_active=True), email="amina@example.org")

    worker = run_rq_worker_process(redis_server, tmp_path / "mail")

    assert worker.returncode == 0, worker.stderr
    (sent,) = (tmp_path / "mail").iterdir()
    assert "To: amina@example.org" in sent.read_text()
    assert OutboundEmail.objects.get().sent_at is not None


def test_send_queued_emails_does_not_queue_again_an_email_waiting_in_redis(redis_server, client):
    submit_pledge(client, CampaignFactory(is_active=True), email="amina@example.org")

    call_command("send_queued_emails", stdout=io.StringIO())

    assert len(redis_queue().queue("default")) == 1


def test_the_redis_worker_refuses_to_work_the_database_queue(settings):
    use_database_queue(settings)

    with pytest.raises(CommandError, match="not the Redis queue"):
        call_command("rq_worker", "--burst")
