from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from stories.models import Story
from stories.transparency import monthly_moderation_figures
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db

Reason = Story.DeclineReason


def at(day, hour=12):
    return datetime(2026, 3, 1, hour, tzinfo=UTC) + timedelta(days=day)


def decided_story(*, submitted, decided, outcome):
    if outcome == "published":
        return StoryFactory(published=True, submitted_at=submitted, published_at=decided, decided_at=decided)
    return StoryFactory(
        declined=True, decline_reason_code=outcome, submitted_at=submitted, decided_at=decided
    )


@pytest.fixture
def march_and_april():
    decided_story(submitted=at(0), decided=at(1), outcome="published")
    decided_story(submitted=at(0), decided=at(3), outcome="published")
    decided_story(submitted=at(1), decided=at(5), outcome=Reason.SPAM)
    decided_story(submitted=at(2), decided=at(12), outcome=Reason.HATE)
    decided_story(submitted=at(2), decided=at(4), outcome=Reason.HATE)
    StoryFactory(submitted_at=at(3))  # still pending
    decided_story(submitted=at(29), decided=at(33), outcome="published")  # received March, decided April
    StoryFactory(submitted_at=at(35))


def test_figures_per_month_count_received_published_and_declined_per_reason(march_and_april):
    april, march = monthly_moderation_figures()

    assert (march.month.month, march.received, march.published, march.declined) == (3, 7, 2, 3)
    assert march.declined_by_reason == {"spam": 1, "hate": 2}
    assert (april.month.month, april.received, april.published, april.declined) == (4, 1, 1, 0)


def test_median_time_to_decision_is_over_the_month_decisions(march_and_april):
    april, march = monthly_moderation_figures()

    # March decisions took 1, 3, 4, 10 and 2 days.
    assert march.median_days_to_decision == 3
    assert april.median_days_to_decision == 4


def test_first_decision_counts_even_after_unpublication_or_withdrawal(march_and_april):
    moderator = ModeratorFactory()
    for story in Story.objects.published():
        story.unpublish(by=moderator)
        story.withdraw()

    april, march = monthly_moderation_figures()

    assert (march.received, march.published, april.published) == (7, 2, 1)


def test_reopened_and_then_published_story_counts_as_declined_first(march_and_april):
    story = decided_story(submitted=at(5), decided=at(6), outcome=Reason.DUPLICATE)
    moderator = ModeratorFactory()
    story.reopen(by=moderator)
    story.publish(by=moderator)

    _april, march = monthly_moderation_figures()

    assert march.declined_by_reason[Reason.DUPLICATE] == 1
    assert march.published == 2


def test_transparency_page_shows_figures_without_personal_data(client, march_and_april):
    StoryFactory(name="Zebulon Quarrington", email="zq-private@example.org", submitted_at=at(3))

    html = client.get(reverse("stories:transparency")).content.decode()

    assert '<th scope="row">March 2026</th>\n            <td>8</td>\n            <td>2</td>' in html
    assert "<li>It contains hate, harassment or discrimination: 2</li>" in html
    assert "Zebulon" not in html
    assert "zq-private" not in html


def test_transparency_page_without_stories_says_so(client):
    html = client.get(reverse("stories:transparency")).content.decode()

    assert "No story has been received yet." in html
