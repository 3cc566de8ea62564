"""A task enqueued during a request logs with that request's id, and so do
the tasks it enqueues in turn (together.tasks); no task's arguments change.

In a file of its own: the worker closes connections between tasks, so the
test is transactional and empties the tables when it ends."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.stories.factories import StoryFactory
from tests.together.log_records import captured
from together.forms import PersonalDataRequestForm


def run_worker():
    """The worker's queue once through, logging its tasks (verbosity 1, as in production)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_tasks_run_by_the_worker_log_the_id_of_the_request_that_enqueued_them(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    StoryFactory(email="amina@example.org")
    data = {"email": "amina@example.org", "website": "", "started": PersonalDataRequestForm.issue_stamp()}
    client.post("/en/privacy/my-data/", data, headers={"X-Request-ID": "req-0042"})

    with captured("django.tasks") as records:
        run_worker()

    finished = [record for record in records if "state=SUCCESSFUL" in record.getMessage()]
    task_ids = set(DBTaskResult.objects.values_list("id", flat=True))
    # The link task, then the delivery of the email it queued.
    assert [record.request_id for record in finished] == ["req-0042", "req-0042"]
    assert {record.task_id for record in finished} == {str(task) for task in task_ids}


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_outside_a_request_logs_without_a_request_id(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from together.tasks import send_personal_data_link

    task_result = send_personal_data_link.enqueue("nobody@example.org", "en")
    with captured("django.tasks") as records:
        run_worker()

    (finished,) = [record for record in records if "state=SUCCESSFUL" in record.getMessage()]
    assert (finished.request_id, finished.task_id) == ("-", str(task_result.id))
