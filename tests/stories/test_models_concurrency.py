"""Two moderators deciding the same story at the same moment: one wins.

Real threads with their own connections against PostgreSQL, where the state
change's row lock works as in production; SQLite serialises writers, so the
race cannot happen there."""

import threading

import pytest
from django.db import connection, connections

from stories.models import IllegalTransition, ModerationLogEntry, Story
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so two decisions cannot race there "
        "(make test runs this on PostgreSQL when TEST_DATABASE_URL is set)",
    ),
]


def decide_at_once(decisions):
    """Each decision on its own copy of the story, in its own thread and
    connection, all released together. Returns what each one did."""
    start = threading.Barrier(len(decisions))
    outcomes = []

    def decide(story, decision):
        try:
            start.wait()
            decision(story)
            outcomes.append("done")
        except IllegalTransition:
            outcomes.append("refused")
        except Exception as error:  # reported by the test, not lost in the thread
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(Story.objects.get(pk=story_pk), decision))
        for story_pk, decision in decisions
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes, key=str)


def test_simultaneous_publish_and_decline_let_exactly_one_through():
    story = StoryFactory()
    first, second = ModeratorFactory(), ModeratorFactory()

    outcomes = decide_at_once(
        [
            (story.pk, lambda copy: copy.publish(by=first)),
            (story.pk, lambda copy: copy.decline(by=second, reason_code="spam")),
        ]
    )

    assert outcomes == ["done", "refused"]
    entry = ModerationLogEntry.objects.get(story=story)
    assert Story.objects.get(pk=story.pk).status == entry.to_status
    assert entry.from_status == "pending"


def test_ten_simultaneous_publications_log_one():
    story = StoryFactory()
    moderator = ModeratorFactory()

    outcomes = decide_at_once([(story.pk, lambda copy: copy.publish(by=moderator))] * 10)

    assert outcomes == ["done"] + ["refused"] * 9
    assert ModerationLogEntry.objects.filter(story=story, action="publish").count() == 1
