"""Two workers sending the report digest at the same moment send one; two
reports crossing a surge threshold at once open one surge; two moderators
flipping surge mode at once log one change.

Real threads with their own connections (tests/together/racing.py), on
PostgreSQL only; transactional, hence in a file of its own."""

import pytest
from django.utils import timezone

from stories.floods import DeskLogEntry, ModerationDesk, Surge, note_surge, send_report_digest
from stories.models import Report
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_two_workers_sending_the_digest_at_once_send_one(mailoutbox):
    ModeratorFactory()
    story = StoryFactory(published=True)
    Report.objects.bulk_create([Report(story=story, reason="hate") for _ in range(3)])
    ModerationDesk.objects.create(digest_due_at=timezone.now())

    outcomes = at_once(send_report_digest.call, send_report_digest.call)

    assert sorted(outcomes) == [0, 3]
    assert [message.subject for message in mailoutbox] == ["3 new reports on the stories"]


def test_two_signals_at_once_open_one_surge(mailoutbox):
    ModeratorFactory()
    story = StoryFactory(published=True)

    at_once(
        lambda: note_surge(Surge.Signal.STORY_REPORTS, story=story),
        lambda: note_surge(Surge.Signal.REPORTING_ADDRESSES),
    )

    (surge,) = Surge.objects.all()
    assert sorted(surge.signals) == ["reporting_addresses", "story_reports"]
    assert len(mailoutbox) == 1


def test_two_moderators_turning_surge_mode_on_at_once_log_one_change():
    first, second = ModeratorFactory.create_batch(2)

    outcomes = at_once(
        lambda: ModerationDesk.set_surge_mode(True, by=first),
        lambda: ModerationDesk.set_surge_mode(True, by=second),
    )

    assert sorted(outcomes) == [False, True]
    assert DeskLogEntry.objects.filter(action=DeskLogEntry.Action.SURGE_MODE_ON).count() == 1
