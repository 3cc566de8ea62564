"""The moderation dashboard of the admin (stories/dashboard.py), the surge
mode switch on it, and what storytellers are told while surge mode is on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stories.dashboard import decisions_per_week
from stories.floods import DeskLogEntry, ModerationDesk, note_surge
from stories.models import ModerationLogEntry, Report, Story
from tests.stories.clock import fake_clock
from tests.stories.factories import (
    ModeratorFactory,
    StoryFactory,
    StoryTranslationFactory,
    TranslatorFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:moderation_dashboard"
SURGE_MODE = "admin:moderation_surge_mode"
SURGE_NOTICE = 'class="surge-notice"'


def add_moderation_work(count):
    """``count`` pending stories in each of three languages, as many
    decisions, reports and translations waiting."""
    moderator = ModeratorFactory()
    for language in ("en", "ar", "fr"):
        StoryFactory.create_batch(count, language=language)
    for story in StoryFactory.create_batch(count):
        story.publish(by=moderator)
        Report.objects.create(story=story, reason="hate")
        StoryTranslationFactory(story=story)


def test_the_dashboard_shows_the_queue_by_language_and_its_waits(moderator_client):
    StoryFactory.create_batch(2, language="ar", submitted_at=timezone.now() - timedelta(days=3))
    StoryFactory(language="fr")
    StoryFactory(published=True, language="es")

    response = moderator_client.get(reverse(DASHBOARD))

    assert response.status_code == 200
    assert [(code, count) for code, _, count, _ in response.context["queue"]] == [("ar", 2), ("fr", 1)]
    assert response.context["oldest_wait"].days == 3
    html = response.content.decode()
    assert "3 stories waiting." in html
    assert "The oldest has waited 3 days." in html


def test_the_dashboard_counts_open_reports_and_translations_waiting(moderator_client):
    story = StoryFactory(published=True)
    Report.objects.create(story=story, reason="hate")
    Report.objects.create(story=story, reason="spam")
    Report.objects.create(story=StoryFactory(published=True), reason="spam", handled_at=timezone.now())
    StoryTranslationFactory.create_batch(2)

    html = moderator_client.get(reverse(DASHBOARD)).content.decode()

    assert "1 story has open reports (2 in all)." in html
    assert "2 translations waiting for review." in html


def test_decisions_are_counted_per_week_for_twelve_weeks(monkeypatch, moderator):
    clock = fake_clock(monkeypatch)  # a Monday
    story = StoryFactory()
    story.request_changes(by=moderator, note="Please remove the street name.")
    clock.advance(weeks=2, days=3)
    StoryFactory().publish(by=moderator)
    StoryFactory().decline(by=moderator, reason_code=Story.DeclineReason.SPAM)
    StoryTranslationFactory().publish(by=moderator)

    weeks = decisions_per_week(timezone.now())

    assert len(weeks) == 12
    assert [week.count for week in weeks][-3:] == [1, 0, 2]
    assert weeks[-1].start == timezone.localdate() - timedelta(days=3)
    assert sum(week.count for week in weeks) == 3
    tallest = max(weeks, key=lambda week: week.count)
    assert (tallest.y, tallest.height) == (20, 130)


def test_the_chart_is_an_accessible_svg_with_a_table_of_the_same_figures(moderator_client, moderator):
    StoryFactory().publish(by=moderator)

    html = moderator_client.get(reverse(DASHBOARD)).content.decode()

    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">Decisions per week</title>' in html
    assert html.count("<rect ") == 12
    assert '<table class="moderation-chart-table">' in html


def test_the_dashboard_runs_the_same_queries_whatever_the_data(moderator):
    from django.test import Client

    client = Client()
    client.force_login(moderator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(DASHBOARD)).status_code == 200
        return len(captured)

    add_moderation_work(1)
    few = queries()
    add_moderation_work(10)

    assert queries() == few


def test_the_admin_index_links_moderators_to_the_dashboard(moderator_client):
    html = moderator_client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse(DASHBOARD)}"' in html


def test_translators_neither_see_nor_open_the_dashboard(client):
    client.force_login(TranslatorFactory())

    assert f'href="{reverse(DASHBOARD)}"' not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse(DASHBOARD)).status_code == 403
    assert client.post(reverse(SURGE_MODE), {"on": "1"}).status_code == 403
    assert not ModerationDesk.surge_mode_is_on()


def test_the_dashboard_needs_a_login(client):
    response = client.get(reverse(DASHBOARD))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_moderator_turns_surge_mode_on_and_it_is_logged(moderator_client, moderator):
    response = moderator_client.post(reverse(SURGE_MODE), {"on": "1"})

    assert response.status_code == 302
    desk = ModerationDesk.current()
    assert (desk.surge_mode, desk.surge_mode_changed_by) == (True, moderator)
    entry = DeskLogEntry.objects.get()
    assert (entry.action, entry.actor) == (DeskLogEntry.Action.SURGE_MODE_ON, moderator)
    html = moderator_client.get(reverse(DASHBOARD)).content.decode()
    assert "Turn surge mode off" in html
    assert f"by {moderator.username}." in html


def test_turning_surge_mode_off_is_logged_too(moderator_client, moderator):
    ModerationDesk.set_surge_mode(True, by=moderator)

    moderator_client.post(reverse(SURGE_MODE), {"on": "0"})

    assert not ModerationDesk.surge_mode_is_on()
    assert list(DeskLogEntry.objects.values_list("action", flat=True)) == ["surge_mode_off", "surge_mode_on"]


def test_opening_the_switch_changes_nothing(moderator_client):
    assert moderator_client.get(reverse(SURGE_MODE)).status_code == 405
    assert not ModerationDesk.surge_mode_is_on()


def test_surge_mode_tells_storytellers_on_the_form_and_the_thank_you_page(client, moderator):
    before = client.get(reverse("stories:story_create")).content.decode()
    ModerationDesk.set_surge_mode(True, by=moderator)

    form = client.get(reverse("stories:story_create")).content.decode()
    thanks = client.get(reverse("stories:story_thanks")).content.decode()

    assert SURGE_NOTICE not in before
    assert SURGE_NOTICE in form
    assert SURGE_NOTICE in thanks
    assert "review will take longer than usual" in thanks


def test_in_surge_mode_a_story_is_still_received_and_held_for_review(client, moderator):
    from tests.stories.sharing import submit

    ModerationDesk.set_surge_mode(True, by=moderator)

    response = submit(client)

    assert response.status_code == 302
    assert Story.objects.get().status == Story.Status.PENDING


def test_the_dashboard_shows_the_surge_in_progress(moderator_client):
    story = StoryFactory(published=True)
    note_surge("story_reports", story=story)

    html = moderator_client.get(reverse(DASHBOARD)).content.decode()

    assert "A surge is in progress since" in html
    assert "many reports on one story" in html
    assert ModerationLogEntry.objects.count() == 0
