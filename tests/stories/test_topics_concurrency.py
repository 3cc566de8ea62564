"""Stories that create the same new topic at the same moment all succeed.

Real threads with their own clients and connections against PostgreSQL,
where two transactions can insert the same topic at once; SQLite serialises
writers, so the race cannot happen there."""

import unicodedata

import pytest
from django.test import Client
from taggit.models import Tag

from stories.forms import StoryForm
from stories.models import Story
from tests.stories.sharing import story_data
from tests.together.racing import at_once, needs_postgresql

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


@pytest.fixture
def submit_at_once(settings):
    """Send each set of topics with its own story, each from its own client
    and connection, all at the same instant. Returns the status codes."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story": "1000/h"}

    def submit_all(topics):
        # Each person's own form: a stamp serves one submission.
        sendings = [
            (
                Client(),
                story_data(
                    title=f"Story {number}",
                    email=f"teller{number}@example.org",
                    tags=tags,
                    started=StoryForm.issue_stamp(),
                ),
            )
            for number, tags in enumerate(topics)
        ]
        return at_once(
            *(
                lambda client=client, data=data: client.post("/en/stories/share/", data).status_code
                for client, data in sendings
            )
        )

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
