"""The address typed into "ask for my data" is not kept with the task once
the worker has run it (together.tasks), whether or not the site knew it.

In a file of its own: the worker closes connections between tasks, so the
test is transactional and empties the tables when it ends."""

import json

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.stories.factories import StoryFactory
from together.forms import PersonalDataRequestForm


@pytest.mark.django_db(transaction=True)
def test_typed_addresses_are_gone_from_the_task_queue_once_the_worker_ran(client, settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    StoryFactory(email="amina@example.org")
    for email in ("amina@example.org", "nobody@example.org"):
        data = {"email": email, "website": "", "started": PersonalDataRequestForm.issue_stamp()}
        assert client.post("/en/privacy/my-data/", data).status_code == 302

    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)

    stored = json.dumps(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 3
    assert "example.org" not in stored
    assert [message.to for message in mailoutbox] == [["amina@example.org"]]
