"""Stories that create the same new topic at the same moment all succeed.

Real threads with their own connections against PostgreSQL, where two
transactions can insert the same tag at once; SQLite serialises writers, so
the race cannot happen there."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from stories.forms import StoryForm
from stories.models import Story
from tests.stories.sharing import story_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so two new topics cannot race there "
        "(make test runs this on PostgreSQL when TEST_DATABASE_URL is set)",
    ),
]


def submit_at_once(submissions):
    """Each submission of the sharing form in its own thread, client and
    connection, all released together. Returns the status codes answered."""
    start = threading.Barrier(len(submissions))
    outcomes = []

    def submit(data):
        try:
            client = Client()
            start.wait()
            outcomes.append(client.post("/en/stories/share/", data).status_code)
        except Exception as error:  # reported by the test, not lost in the thread
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(data,)) for data in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_stories_sharing_a_new_topic_sent_at_once_are_all_stored_with_it(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story": "1000/h"}
    started = StoryForm()["started"].value()
    submissions = [
        story_data(title=f"Neighbours {n}", email=f"teller{n}@example.org", tags="جيران", started=started)
        for n in range(80)
    ]

    outcomes = submit_at_once(submissions)

    assert outcomes == [302] * 80
    stories = Story.objects.filter(title__startswith="Neighbours").prefetch_related("tags")
    assert sorted(list(story.tags.names()) for story in stories) == [["جيران"]] * 80
