"""Reports and floods (stories/floods.py): one digest of new reports per
interval, one alert per surge, a banner while it lasts, the reported story
left up, and the surge mode switch (issue 15, acceptance point 3)."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from stories.floods import DeskLogEntry, ModerationDesk, Surge, send_report_digest
from stories.models import Report, Story
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.stories.floods import ALERT_SUBJECT, DIGEST_SUBJECT, outbox_subjects, send_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_task_queue(settings):
    """Tasks wait in the database for the worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_500_reports_from_200_addresses_make_one_alert_and_one_digest_and_leave_the_story_up(
    client, database_task_queue
):
    moderators = ModeratorFactory.create_batch(2)
    story = StoryFactory(published=True, title="Welcomed in Ghent")
    addresses = [f"198.51.{n // 250}.{n % 250 + 1}" for n in range(200)]
    started = time.monotonic()

    answers = [send_report(client, story, addresses[n % 200]).status_code for n in range(500)]

    assert time.monotonic() - started < 10
    # Each address sends 2 or 3 reports, under its limit of 10 an hour: none refused.
    assert answers == [302] * 500
    assert Report.objects.filter(story=story).count() == 500
    digest_tasks = DBTaskResult.objects.filter(task_path=send_report_digest.module_path)
    assert digest_tasks.count() == 1
    assert send_report_digest.call() == 500
    assert outbox_subjects(DIGEST_SUBJECT) == sorted(
        (moderator.email, "500 new reports on the stories") for moderator in moderators
    )
    assert [recipient for recipient, _ in outbox_subjects(ALERT_SUBJECT)] == sorted(m.email for m in moderators)
    (surge,) = Surge.objects.all()
    assert (surge.story, set(surge.signals)) == (story, {"story_reports", "reporting_addresses"})
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert client.get(story.get_absolute_url()).status_code == 200
    client.force_login(moderators[0])
    queue = client.get(reverse("admin:stories_story_changelist"))
    assert queue.status_code == 200
    assert [str(row) for row in queue.context["cl"].result_list] == ["Welcomed in Ghent"]
