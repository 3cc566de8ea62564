"""manage.py seed_scale at tiny sizes: exact counts, exact counters, refusal."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from campaigns.models import Campaign, CampaignCountryCount, Event, Pledge, SignUp
from stories.models import Story, TaggedStory

SIZES = [
    "--stories",
    "50",
    "--pledges",
    "500",
    "--events",
    "5",
    "--signups",
    "40",
    "--photos",
    "1",
    "-v",
    "0",
]


@pytest.fixture
def seeded(db):
    call_command("seed_scale", *SIZES, stdout=None)
    return Campaign.objects.get(slug="together")


def test_seed_scale_publishes_the_stories_asked_for_in_seven_languages(seeded):
    assert Story.objects.published().count() == 50
    assert set(Story.objects.values_list("language", flat=True)) == {
        "ar", "zh-hans", "en", "fr", "ru", "es", "nl"
    }  # fmt: skip


def test_seed_scale_gives_every_story_one_to_three_topics(seeded):
    assert TaggedStory.objects.count() == sum(1 + n % 3 for n in range(50))


def test_seed_scale_gives_every_topic_row_its_storys_publication_time_and_language(seeded):
    # Written by COPY on PostgreSQL: the triggers of TaggedStory fill them.
    rows = TaggedStory.objects.values_list(
        "published_at", "language", "content_object__published_at", "content_object__language"
    )

    assert rows.count() == sum(1 + n % 3 for n in range(50))
    assert [row for row in rows if row[:2] != row[2:]] == []


def test_seed_scale_gives_every_fifth_story_a_photo(seeded):
    assert Story.objects.exclude(photo_renditions=[]).count() == 10


def test_seed_scale_counts_confirmed_pledges_exactly(seeded):
    assert Pledge.objects.count() == 500
    assert Pledge.objects.confirmed().count() == 490
    assert seeded.confirmed_pledges == 490
    assert CampaignCountryCount.objects.filter(campaign=seeded).aggregate(total=Sum("count"))["total"] == 490


def test_seed_scale_leaves_nothing_for_the_repair_command_to_fix(seeded):
    assert seeded.repair_pledge_counts() == []


def test_seed_scale_counts_the_places_sign_ups_take(seeded):
    assert Event.objects.count() == 5
    assert SignUp.objects.count() == 40
    assert sorted(Event.objects.values_list("places_taken", flat=True)) == [8, 8, 8, 8, 8]


def test_seed_scale_refuses_a_database_with_content(seeded):
    with pytest.raises(CommandError, match="already has content"):
        call_command("seed_scale", *SIZES, stdout=None)


def test_seed_scale_adds_to_a_database_with_content_when_forced(seeded):
    call_command("seed_scale", *SIZES, "--force", stdout=None)
    seeded.refresh_from_db()
    assert Story.objects.published().count() == 100
    assert seeded.confirmed_pledges == 980


def test_seeded_stories_are_found_by_search(seeded):
    assert Story.objects.published().search("bakery").filter(language="en").exists()
