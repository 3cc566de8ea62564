import logging
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command, get_commands
from django.db import connection as database
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import submit_pledge
from together.mail import DELIVERY_LEASE, deliver_email, queue_email
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db


def queue_hello(to="amina@example.org"):
    return queue_email(to=to, template="tests/email/hello", context={"name": "Amina"})


def smtp_mailer(**options):
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": {"host": "127.0.0.1", **options}}}


@pytest.fixture
def refusing_smtp(settings, closed_port):
    settings.MAILERS = smtp_mailer(port=closed_port)


@pytest.fixture
def hanging_smtp(settings):
    """An SMTP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.MAILERS = smtp_mailer(port=server.getsockname()[1], timeout=1)
    yield
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def database_task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_queue_email_sends_text_and_html_alternatives(test_templates):
    queue_hello()

    (sent,) = mail.outbox
    assert sent.to == ["amina@example.org"]
    assert sent.subject == "Hello Amina"
    assert sent.body.startswith("Dear Amina, this is a test message.")
    assert sent.alternatives[0].mimetype == "text/html"
    assert "<p>Dear Amina, this is a test message.</p>" in sent.alternatives[0].content


def test_queue_email_marks_message_sent(test_templates):
    message = queue_hello()

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1


def test_refused_smtp_connection_keeps_message_queued_for_retry(test_templates, refusing_smtp):
    started = time.monotonic()
    message = queue_hello()

    assert time.monotonic() - started < 2
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert message.last_error.startswith("ConnectionRefusedError")


def test_refused_smtp_connection_is_logged_without_the_address(test_templates, refusing_smtp, caplog):
    with caplog.at_level(logging.WARNING, logger="together.mail"):
        queue_hello()

    (record,) = [r for r in caplog.records if r.name == "together.mail"]
    assert "ConnectionRefusedError" in record.getMessage()
    assert "amina@example.org" not in record.getMessage()


def test_failed_message_is_delivered_by_retry_once_smtp_works(test_templates, refusing_smtp, settings):
    message = queue_hello()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    OutboundEmail.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())

    call_command("send_queued_emails", stdout=None)

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 2
    assert [m.subject for m in mail.outbox] == ["Hello Amina"]


def test_retry_command_skips_messages_not_yet_due(test_templates, refusing_smtp, settings):
    message = queue_hello()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    call_command("send_queued_emails", stdout=None)

    message.refresh_from_db()
    assert message.sent_at is None
    assert mail.outbox == []


def test_hanging_smtp_server_does_not_delay_the_request_with_the_database_queue(
    test_templates, hanging_smtp, database_task_queue
):
    started = time.monotonic()
    message = queue_hello()

    assert time.monotonic() - started < 0.5
    assert DBTaskResult.objects.ready().count() == 1
    message.refresh_from_db()
    assert message.attempts == 0


# transaction: the worker closes connections between tasks. available_apps:
# the flush after this test then empties only these apps' tables, not what
# data migrations created elsewhere (the Moderators group) for the tests that
# follow on the same xdist worker.
@pytest.mark.django_db(transaction=True, available_apps=["together", "django_tasks_db"])
def test_worker_reschedules_delivery_after_smtp_timeout(test_templates, hanging_smtp, database_task_queue):
    message = queue_hello()

    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)

    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error.endswith("timed out")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == message.next_attempt_at
    assert message.next_attempt_at - timezone.now() > timedelta(seconds=50)


def test_pledge_submission_answers_normally_while_smtp_refuses(client, refusing_smtp):
    """Issue 2, acceptance 7, through a real public form: the person sees the
    usual next page and the confirmation email waits in the outbox."""
    campaign = CampaignFactory(is_active=True)
    started = time.monotonic()

    response = submit_pledge(client, campaign, email="amina@example.org")

    assert time.monotonic() - started < 2
    assert response.status_code == 302
    assert response.url == f"/en/campaigns/{campaign.slug}/pledge/sent/"
    message = OutboundEmail.objects.get(to="amina@example.org")
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.next_attempt_at > timezone.now()
    assert message.last_error.startswith("ConnectionRefusedError")


def test_message_delivered_by_a_second_task_is_not_sent_again(test_templates):
    message = queue_hello()

    deliver_email.call(message.pk)

    assert len(mail.outbox) == 1


def test_message_whose_attempt_is_held_by_another_worker_is_left_to_it(test_templates, database_task_queue):
    message = queue_hello()
    OutboundEmail.claim_attempt(message.pk, lease=DELIVERY_LEASE)  # another worker, mid-send

    deliver_email.call(message.pk)

    message.refresh_from_db()
    assert (message.sent_at, message.attempts, mail.outbox) == (None, 1, [])


def test_claiming_an_attempt_is_one_conditional_update_then_a_read_of_the_claimed_row():
    message = OutboundEmail.objects.create(to="amina@example.org", subject="Confirm", text_body="Hi")

    with CaptureQueriesContext(database) as queries:
        claimed = OutboundEmail.claim_attempt(message.pk, lease=DELIVERY_LEASE)

    update, read = (query["sql"] for query in queries.captured_queries)
    assert update.startswith('UPDATE "together_outboundemail" SET "attempts" = ')
    assert '"sent_at" IS NULL' in update
    assert '"next_attempt_at" <= ' in update
    assert read.startswith('SELECT "together_outboundemail"."id"')
    assert "FOR UPDATE" not in read
    assert (claimed.pk, claimed.attempts, claimed.subject) == (message.pk, 1, "Confirm")
    assert claimed.next_attempt_at > timezone.now() + DELIVERY_LEASE - timedelta(minutes=1)


def test_a_message_whose_retry_is_later_is_not_claimed_and_keeps_its_count():
    retry_at = timezone.now() + timedelta(minutes=4)
    message = OutboundEmail.objects.create(
        to="amina@example.org", subject="Confirm", text_body="Hi", attempts=1, next_attempt_at=retry_at
    )

    assert OutboundEmail.claim_attempt(message.pk, lease=DELIVERY_LEASE) is None

    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (1, retry_at)


def test_retry_command_skips_messages_already_queued(test_templates, database_task_queue):
    queue_hello()

    call_command("send_queued_emails", stdout=None)

    assert DBTaskResult.objects.ready().count() == 1


def test_retry_command_queues_a_due_message_whose_task_was_lost(test_templates, database_task_queue):
    message = queue_hello()
    DBTaskResult.objects.update(status="RUNNING")  # its worker died mid-task

    call_command("send_queued_emails", stdout=None)

    (task,) = DBTaskResult.objects.ready()
    assert task.args_kwargs["args"] == [message.pk]


def test_db_worker_command_is_the_one_that_outlives_the_database():
    assert get_commands()["db_worker"] == "together"
