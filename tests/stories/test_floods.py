"""Reports and floods (stories/floods.py): one digest of new reports per
interval, one alert per surge, a banner while it lasts, the reported story
left up (issue 15, acceptance point 3)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stories.floods import DeskLogEntry, ModerationDesk, Surge, note_submission, send_report_digest
from stories.models import Report, Story
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.stories.floods import ALERT_SUBJECT, DIGEST_SUBJECT, file_report_from, outbox, send_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_task_queue(settings):
    """Tasks wait in the database for the worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def moderators():
    return ModeratorFactory.create_batch(2)


def addresses_of(moderators):
    return sorted(moderator.email for moderator in moderators)


def test_500_reports_from_200_addresses_make_one_alert_and_one_digest_and_leave_the_story_up(
    client, database_task_queue, moderators
):
    story = StoryFactory(published=True, title="Welcomed in Ghent")
    addresses = [f"198.51.{n // 250}.{n % 250 + 1}" for n in range(200)]

    with CaptureQueriesContext(connection) as flood:
        filed = [file_report_from(story, addresses[n % 200]) for n in range(500)]

    # Each address sends 2 or 3 reports, under its limit of 10 an hour: none refused.
    assert None not in filed
    assert Report.objects.filter(story=story).count() == 500
    # What keeps a flood cheap (a few seconds on SQLite): a report costs four
    # queries (itself, the digest due, the story's count, the surge going on)
    # plus, once, the alert and the digest's scheduling.
    assert len(flood) <= 4 * 500 + 40
    assert DBTaskResult.objects.filter(task_path=send_report_digest.module_path).count() == 1
    assert send_report_digest.call() == 500
    assert outbox(DIGEST_SUBJECT) == [
        (email, "500 new reports on the stories") for email in addresses_of(moderators)
    ]
    assert [to for to, _ in outbox(ALERT_SUBJECT)] == addresses_of(moderators)
    (surge,) = Surge.objects.all()
    assert (surge.story, sorted(surge.signals)) == (story, ["reporting_addresses", "story_reports"])
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert client.get(story.get_absolute_url()).status_code == 200
    client.force_login(moderators[0])
    queue = client.get(reverse("admin:stories_story_changelist"))
    assert queue.status_code == 200
    assert [str(row) for row in queue.context["cl"].result_list] == ["Welcomed in Ghent"]


def test_the_report_page_files_through_the_flood_counts(client, settings, moderators):
    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "story_reports": 3, "reporting_addresses": 3}
    story = StoryFactory(published=True)

    answers = [send_report(client, story, f"203.0.113.{n}").status_code for n in range(1, 7)]

    assert answers == [302] * 6
    assert [to for to, _ in outbox(ALERT_SUBJECT)] == addresses_of(moderators)
    assert Surge.objects.get().signals == ["story_reports", "reporting_addresses"]


def test_a_report_over_the_address_limit_is_refused_and_not_counted(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "2/h"}
    story = StoryFactory(published=True)

    filed = [file_report_from(story, "203.0.113.9") for _ in range(3)]

    assert [report is None for report in filed] == [False, False, True]
    assert Report.objects.count() == 2


def test_the_first_report_is_sent_at_once_in_a_digest(moderators):
    story = StoryFactory(published=True, title="Bread every morning")

    file_report_from(story, "203.0.113.1")

    assert outbox(DIGEST_SUBJECT) == [
        (email, "1 new report on the stories") for email in addresses_of(moderators)
    ]
    assert ModerationDesk.current().digest_last_report_id == Report.objects.get().pk


def test_reports_within_the_interval_wait_for_the_next_digest(moderators, database_task_queue):
    story = StoryFactory(published=True)
    file_report_from(story, "203.0.113.1")
    send_report_digest.call()

    for n in range(2, 6):
        file_report_from(story, f"203.0.113.{n}")

    desk = ModerationDesk.current()
    assert desk.digest_due_at == desk.digest_sent_at + timedelta(minutes=15)
    deferred = DBTaskResult.objects.filter(task_path=send_report_digest.module_path).order_by("enqueued_at")
    assert [queued.task.run_after for queued in deferred] == [None, desk.digest_due_at]
    assert send_report_digest.call() == 0  # not due yet
    assert len(outbox(DIGEST_SUBJECT)) == 2


def test_the_next_digest_lists_only_the_reports_since_the_last(moderators, database_task_queue):
    story = StoryFactory(published=True)
    file_report_from(story, "203.0.113.1")
    send_report_digest.call()
    for n in range(2, 5):
        file_report_from(story, f"203.0.113.{n}")
    ModerationDesk.objects.update(digest_due_at=timezone.now())

    assert send_report_digest.call() == 3
    assert outbox("3 new reports") == [
        (email, "3 new reports on the stories") for email in addresses_of(moderators)
    ]
    assert ModerationDesk.current().digest_due_at is None


def test_the_digest_names_the_reported_stories_with_their_counts(moderators, mailoutbox):
    story = StoryFactory(published=True, title="A kitchen in Liège")

    file_report_from(story, "203.0.113.1")

    (first, *_) = [message for message in mailoutbox if DIGEST_SUBJECT in message.subject]
    assert "A kitchen in Liège (1 report): http://" in first.body
    assert f"/stories/story/{story.pk}/change/" in first.body


def test_a_quiet_day_raises_no_surge(moderators):
    for n in range(5):
        file_report_from(StoryFactory(published=True), f"203.0.113.{n}")

    assert not Surge.objects.exists()
    assert outbox(ALERT_SUBJECT) == []


def test_new_stories_from_many_addresses_raise_one_alert(settings, moderators):
    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "submitting_addresses": 5}

    for n in range(12):
        note_submission(f"192.0.2.{n}")

    assert Surge.objects.get().signals == ["submitting_addresses"]
    assert len(outbox(ALERT_SUBJECT)) == 2


def test_one_address_sending_many_stories_is_no_surge(settings):
    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "submitting_addresses": 5}

    for _ in range(12):
        note_submission("192.0.2.1")

    assert not Surge.objects.exists()


def test_a_surge_ends_after_a_quiet_window_and_the_next_one_alerts_again(settings, moderators):
    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "story_reports": 2}
    story = StoryFactory(published=True)
    for n in range(3):
        file_report_from(story, f"203.0.113.{n}")
    Surge.objects.update(
        started_at=timezone.now() - timedelta(hours=3), last_seen_at=timezone.now() - timedelta(hours=2)
    )
    Report.objects.update(created_at=timezone.now() - timedelta(hours=2))

    for n in range(3, 6):
        file_report_from(story, f"203.0.113.{n}")

    assert Surge.objects.count() == 2
    assert Surge.objects.active().count() == 1
    assert len(outbox(ALERT_SUBJECT)) == 4
    assert DeskLogEntry.objects.filter(action=DeskLogEntry.Action.SURGE_ALERT).count() == 2


def test_the_admin_shows_a_banner_while_the_surge_lasts(client, settings, moderators):
    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "story_reports": 2}
    story = StoryFactory(published=True, title="Soup and blankets")
    for n in range(2):
        file_report_from(story, f"203.0.113.{n}")
    client.force_login(moderators[0])

    during = client.get(reverse("admin:index")).content.decode()
    Surge.objects.update(
        last_seen_at=timezone.now() - timedelta(hours=2), started_at=timezone.now() - timedelta(hours=3)
    )
    after = client.get(reverse("admin:index")).content.decode()

    assert 'class="surge-banner"' in during
    assert "<bdi>Soup and blankets</bdi></a> (it stays published)" in during
    assert 'class="surge-banner"' not in after


def test_the_sharing_form_counts_its_stories_towards_a_surge(client, settings, moderators):
    from tests.stories.sharing import CREATE_URL, story_data

    settings.SURGE_THRESHOLDS = {**settings.SURGE_THRESHOLDS, "submitting_addresses": 3}

    for n in range(3):
        client.post(CREATE_URL, story_data(email=f"teller{n}@example.org"), REMOTE_ADDR=f"192.0.2.{n}")

    assert Story.objects.count() == 3
    assert Surge.objects.get().signals == ["submitting_addresses"]


def test_cron_sends_a_digest_the_immediate_backend_could_not_defer(moderators):
    from django.core.management import call_command

    story = StoryFactory(published=True)
    file_report_from(story, "203.0.113.1")
    file_report_from(story, "203.0.113.2")
    call_command("send_report_digest", stdout=None)
    assert len(outbox(DIGEST_SUBJECT)) == 2  # not due yet: nothing more
    ModerationDesk.objects.update(digest_due_at=timezone.now())

    call_command("send_report_digest", stdout=None)

    assert sorted(subject for _, subject in outbox(DIGEST_SUBJECT)) == [
        "1 new report on the stories",
        "1 new report on the stories",
        "1 new report on the stories",
        "1 new report on the stories",
    ]


def test_the_database_keeps_one_moderation_desk():
    from django.db import IntegrityError

    ModerationDesk.objects.create()

    with pytest.raises(IntegrityError):
        ModerationDesk.objects.create(id=2)
