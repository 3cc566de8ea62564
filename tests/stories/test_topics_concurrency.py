"""Stories that create the same new topic at the same moment all succeed.

Real threads with their own clients and connections against PostgreSQL,
where two transactions can insert the same topic at once; SQLite serialises
writers, so the race cannot happen there."""

import threading
import unicodedata

import pytest
from django.db import connection, connections
from django.test import Client
from taggit.models import Tag

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


@pytest.fixture
def submit_at_once(settings):
    """Send each set of topics with its own story, each from its own thread,
    client and connection, all released together. Returns the status codes."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story": "1000/h"}

    def submit_all(topics):
        start = threading.Barrier(len(topics))
        outcomes = []

        def submit(number, tags):
            try:
                client = Client()
                # Each person's own form: a stamp serves one submission.
                data = story_data(
                    title=f"Story {number}",
                    email=f"teller{number}@example.org",
                    tags=tags,
                    started=StoryForm.issue_stamp(),
                )
                start.wait()
                outcomes.append(client.post("/en/stories/share/", data).status_code)
            except Exception as error:  # reported by the test, not lost in the thread
                outcomes.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit, args=pair) for pair in enumerate(topics)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    return submit_all


def stored_topics():
    stories = Story.objects.prefetch_related("tags").order_by("pk")
    return [sorted(tag.name for tag in story.tags.all()) for story in stories]


def test_twenty_stories_sharing_a_new_topic_sent_at_once_are_all_stored_with_it(submit_at_once):
    outcomes = submit_at_once(["جيران، عائلة"] * 20)

    assert outcomes == [302] * 20
    assert stored_topics() == [["جيران", "عائلة"]] * 20
    assert Tag.objects.count() == 2


def test_twenty_stories_writing_a_new_topic_differently_at_once_share_one_topic(submit_at_once):
    spellings = ["Bénévolat", "bénévolat", unicodedata.normalize("NFD", "BÉNÉVOLAT"), " bénévolat "]

    outcomes = submit_at_once(spellings * 5)

    assert outcomes == [302] * 20
    assert stored_topics() == [["bénévolat"]] * 20
    assert list(Tag.objects.values_list("name", "slug")) == [("bénévolat", "bénévolat")]


def test_twenty_new_topics_with_one_slug_sent_at_once_are_all_stored_with_their_own_page(submit_at_once):
    topics = [f"café{'!' * n}" for n in range(1, 21)]

    outcomes = submit_at_once(topics)

    assert outcomes == [302] * 20
    assert sorted(name for names in stored_topics() for name in names) == sorted(topics)
    slugs = set(Tag.objects.values_list("slug", flat=True))
    assert len(slugs) == 20
    assert all(slug.startswith("café") for slug in slugs)
