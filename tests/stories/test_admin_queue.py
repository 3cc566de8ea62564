"""The story list as a queue: its filters and columns, claims in the admin,
bulk publishing that cannot skip safety, and care for moderators."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stories.models import ModeratorPreferences, Report, Story
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:stories_story_changelist"
# A photo as the list sees it (the list never shows it, only that there is one).
FAKE_PHOTO = [{"width": 480, "height": 320, "fmt": "jpeg", "name": "stories/x-480.jpg"}]


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def listed(client, query=""):
    response = client.get(reverse(CHANGELIST) + query)
    assert response.status_code == 200
    return sorted(str(story) for story in response.context["cl"].result_list)


def queue_order(client):
    return [str(story) for story in client.get(reverse(CHANGELIST)).context["cl"].result_list]


def publish_selected(client, stories):
    return client.post(
        reverse(CHANGELIST),
        {"action": "publish_selected", "_selected_action": [story.pk for story in stories]},
        follow=True,
    )


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_url(story):
    return reverse("admin:stories_story_change", args=[story.pk])


# --- Filters -------------------------------------------------------------------------------


def test_the_answered_declines_filter_finds_only_replies_nobody_handled(moderator_client):
    StoryFactory(title="Answered", declined=True, storyteller_reply="Please.", replied_at=ago(hours=1))
    StoryFactory(
        title="Answered and handled",
        declined=True,
        storyteller_reply="Please.",
        replied_at=ago(hours=3),
        reply_handled_at=ago(hours=1),
    )
    StoryFactory(title="Declined, no answer", declined=True)

    assert listed(moderator_client, "?reply=yes") == ["Answered"]


def test_the_minors_filter_finds_stories_by_people_under_18(moderator_client):
    StoryFactory(title="By a minor", minor=True)
    StoryFactory(title="By an adult")

    assert listed(moderator_client, "?minor=yes") == ["By a minor"]


def test_the_photo_filter_finds_stories_with_a_photo(moderator_client):
    StoryFactory(title="With a photo", photo_renditions=FAKE_PHOTO)
    StoryFactory(title="Without")

    assert listed(moderator_client, "?photo=yes") == ["With a photo"]
    assert listed(moderator_client, "?photo=no") == ["Without"]


def test_the_overdue_filter_finds_stories_waiting_longer_than_the_setting(moderator_client, settings):
    settings.MODERATION_OVERDUE_AFTER = timedelta(hours=48)
    StoryFactory(title="Three days", submitted_at=ago(days=3))
    StoryFactory(title="One day", submitted_at=ago(days=1))
    StoryFactory(
        title="Answer after three days", declined=True, replied_at=ago(days=3), waiting_since=ago(days=3)
    )
    StoryFactory(title="Published long ago", published=True, submitted_at=ago(days=30))

    assert listed(moderator_client, "?overdue=yes") == ["Answer after three days", "Three days"]


def test_the_content_note_and_privacy_hint_filters(moderator_client):
    StoryFactory(title="Noted", content_note="Mentions war.")
    StoryFactory(title="Hinted", body="Call me on +32 470 12 34 56.")
    StoryFactory(title="Plain")

    assert listed(moderator_client, "?content_note=yes") == ["Noted"]
    assert listed(moderator_client, "?hints=yes") == ["Hinted"]


def test_the_claim_filter_tells_mine_from_others(moderator_client, moderator):
    StoryFactory(title="Mine", claimed_by=moderator, claimed_at=ago(minutes=1))
    StoryFactory(title="Theirs", claimed_by=ModeratorFactory(), claimed_at=ago(minutes=1))
    StoryFactory(title="Lapsed", claimed_by=ModeratorFactory(), claimed_at=ago(hours=2))

    assert listed(moderator_client, "?claim=mine") == ["Mine"]
    assert listed(moderator_client, "?claim=others") == ["Theirs"]
    assert listed(moderator_client, "?claim=nobody") == ["Lapsed"]


# --- Order and columns ---------------------------------------------------------------------


def test_an_answered_decline_comes_back_to_the_top_of_the_queue(moderator_client):
    StoryFactory(title="Pending for long", submitted_at=ago(days=9))
    reported = StoryFactory(title="Reported", published=True)
    Report.objects.create(story=reported, reason="hate")
    StoryFactory(title="Answered", declined=True, storyteller_reply="Please.", replied_at=ago(minutes=5))

    assert queue_order(moderator_client) == ["Answered", "Reported", "Pending for long"]


def test_overdue_is_said_in_words_and_with_a_sign(moderator_client, settings):
    settings.MODERATION_OVERDUE_AFTER = timedelta(hours=48)
    StoryFactory(submitted_at=ago(days=3))

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert '<span class="queue-overdue"><span aria-hidden="true">⚠ </span>3\xa0days, overdue</span>' in html


def test_the_list_shows_who_holds_a_story(moderator_client):
    StoryFactory(claimed_by=ModeratorFactory(username="amal"), claimed_at=ago(minutes=3))

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert '<td class="field-claim"><bdi>amal</bdi></td>' in html


def test_the_list_flags_what_needs_care(moderator_client):
    StoryFactory(minor=True, content_note="Mentions war.")

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert '<span class="queue-flag">Under 18</span> <span class="queue-flag">Content note</span>' in html


def add_queue_stories(count, moderator):
    """``count`` stories of every kind the queue shows."""
    for number in range(count):
        kind = number % 5
        story = StoryFactory(
            minor=kind == 0,
            photo_renditions=FAKE_PHOTO if kind == 1 else [],
            content_note="Mentions war." if kind == 2 else "",
            body="Call me on +32 470 12 34 56." if kind == 3 else "We arrived in winter.",
            claimed_by=moderator if kind == 4 else None,
            claimed_at=ago(minutes=2) if kind == 4 else None,
            submitted_at=ago(days=number % 4),
        )
        if kind == 2:
            Report.objects.create(story=story, reason="spam")


def test_the_queue_runs_as_many_queries_with_50_stories_as_with_5(moderator_client, moderator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    add_queue_stories(5, ModeratorFactory())
    with_5 = queries()
    add_queue_stories(45, ModeratorFactory())

    assert queries() == with_5


# --- Claims in the admin -----------------------------------------------------------------------


def test_claim_next_opens_the_claimed_story(moderator_client, moderator):
    story = StoryFactory()

    response = moderator_client.post(reverse("admin:stories_story_claim_next"))

    assert response.status_code == 302
    assert response["Location"] == change_url(story)
    assert Story.objects.get(pk=story.pk).claimed_by == moderator


def test_claim_next_says_when_nothing_is_left(moderator_client):
    response = moderator_client.post(reverse("admin:stories_story_claim_next"), follow=True)

    assert shown_messages(response) == ["No story is waiting that someone else is not already working on."]


def test_opening_claim_next_claims_nothing(moderator_client):
    story = StoryFactory()

    moderator_client.get(reverse("admin:stories_story_claim_next"))

    assert Story.objects.get(pk=story.pk).claimed_by is None


def test_the_change_page_says_who_holds_the_story(moderator_client):
    story = StoryFactory(claimed_by=ModeratorFactory(username="amal"), claimed_at=ago(minutes=3))

    html = moderator_client.get(change_url(story)).content.decode()

    assert "<bdi>amal</bdi> is working on this story" in html


def test_acting_on_a_story_someone_else_holds_asks_for_confirmation(moderator_client):
    story = StoryFactory(claimed_by=ModeratorFactory(username="amal"), claimed_at=ago(minutes=3))
    url = reverse("admin:stories_story_moderate", args=[story.pk, "publish"])

    response = moderator_client.post(url)

    assert response.status_code == 200
    assert "I know that amal is working on this story" in response.content.decode()
    assert Story.objects.get(pk=story.pk).status == Story.Status.PENDING


def test_a_confirmed_action_on_a_story_someone_else_holds_goes_through(moderator_client):
    story = StoryFactory(claimed_by=ModeratorFactory(), claimed_at=ago(minutes=3))
    url = reverse("admin:stories_story_moderate", args=[story.pk, "publish"])

    moderator_client.post(url, {"override_claim": "on"})

    assert Story.objects.get(pk=story.pk).status == Story.Status.PUBLISHED


def test_correcting_a_story_someone_else_holds_needs_the_confirmation(moderator_client):
    story = StoryFactory(claimed_by=ModeratorFactory(), claimed_at=ago(minutes=3))
    data = {
        "title": "Corrected",
        "body": story.body,
        "naming": story.naming,
        "tags": "",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "log_entries-TOTAL_FORMS": "0",
        "log_entries-INITIAL_FORMS": "0",
    }

    refused = moderator_client.post(change_url(story), data)
    confirmed = moderator_client.post(change_url(story), {**data, "override_claim": "on"})

    assert refused.status_code == 200
    assert confirmed.status_code == 302
    assert Story.objects.get(pk=story.pk).title == "Corrected"


# --- Bulk publishing cannot skip safety --------------------------------------------------------


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        (
            {"body": "Write to amina@example.org."},
            (
                "1 story was not published because it may contain contact details (privacy hints); "
                "check it on its own page: “Skipped”."
            ),
        ),
        (
            {"minor": True},
            (
                "1 story was not published because its storyteller is under 18; it needs two moderators, "
                "on its own page: “Skipped”."
            ),
        ),
        (
            {"photo_renditions": FAKE_PHOTO},
            "1 story was not published because it has a photo; look at it on its own page: “Skipped”.",
        ),
        (
            {"reports": True},
            "1 story was not published because it has open reports; read them on its own page: “Skipped”.",
        ),
    ],
    ids=["privacy hints", "minor", "photo", "open reports"],
)
def test_bulk_publish_leaves_a_story_that_needs_a_closer_look(moderator_client, traits, message):
    reported = traits.pop("reports", False)
    skipped = StoryFactory(title="Skipped", **traits)
    if reported:
        Report.objects.create(story=skipped, reason="hate")
    plain = StoryFactory(title="Plain")

    response = publish_selected(moderator_client, [skipped, plain])

    assert shown_messages(response) == [message, "1 story(ies) published."]
    assert Story.objects.get(pk=skipped.pk).status == Story.Status.PENDING
    assert Story.objects.get(pk=plain.pk).status == Story.Status.PUBLISHED


def test_bulk_publish_names_all_stories_left_for_one_reason(moderator_client):
    stories = [StoryFactory(title=title, minor=True) for title in ["First", "Second"]]

    response = publish_selected(moderator_client, stories)

    assert shown_messages(response) == [
        (
            "2 stories were not published because their storytellers are under 18; each needs two "
            "moderators, on its own page: “First”, “Second”."
        )
    ]


def test_bulk_publish_leaves_a_story_someone_else_holds(moderator_client):
    story = StoryFactory(title="Held", claimed_by=ModeratorFactory(), claimed_at=ago(minutes=1))

    response = publish_selected(moderator_client, [story])

    assert shown_messages(response) == [
        "1 story was left alone because someone else is working on it: “Held”."
    ]
    assert Story.objects.get(pk=story.pk).status == Story.Status.PENDING


# --- A minor's story on its own page -----------------------------------------------------------


def test_the_first_publish_button_on_a_minors_story_says_a_second_moderator_is_needed(moderator_client):
    story = StoryFactory(title="Young", minor=True)

    response = moderator_client.post(
        reverse("admin:stories_story_moderate", args=[story.pk, "publish"]), follow=True
    )

    assert shown_messages(response) == [
        (
            "Approved: Young. A story by someone under 18 needs a second moderator: it is published when "
            "another moderator publishes it too."
        )
    ]
    assert "approved this story. Its storyteller is under 18" in response.content.decode()


def test_the_same_moderator_publishing_twice_is_told_why_not(moderator_client, moderator):
    story = StoryFactory(minor=True)
    story.publish(by=moderator)

    response = moderator_client.post(
        reverse("admin:stories_story_moderate", args=[story.pk, "publish"]), follow=True
    )

    assert shown_messages(response) == [
        (
            "You already approved this story. A story by someone under 18 needs a second, different "
            "moderator to publish it."
        )
    ]


# --- Care for moderators -----------------------------------------------------------------------


def test_a_story_with_a_content_note_is_folded_until_opened(moderator_client):
    story = StoryFactory(content_note="Mentions war.")

    html = moderator_client.get(change_url(story)).content.decode()

    assert '<details class="story-preview-admin">' in html
    assert "content note: <bdi>Mentions war.</bdi>; open it when you are ready" in html


def test_a_story_without_a_content_note_is_open(moderator_client):
    html = moderator_client.get(change_url(StoryFactory())).content.decode()

    assert '<details class="story-preview-admin" open>' in html


def test_a_photo_is_blurred_until_the_moderator_chooses_to_see_it(moderator_client):
    story = StoryFactory(with_photo=True)

    html = moderator_client.get(change_url(story)).content.decode()

    assert '<input type="checkbox" id="reveal-photo" class="care-reveal">' in html
    assert '<div class="story-preview-admin__page care-blurred">' in html


def test_a_moderator_sets_their_daily_limit(moderator_client, moderator):
    response = moderator_client.post(reverse("admin:stories_story_preferences"), {"daily_limit": "3"})

    assert response.status_code == 302
    assert ModeratorPreferences.objects.get(user=moderator).daily_limit == 3


def test_a_daily_limit_of_zero_is_refused(moderator_client, moderator):
    response = moderator_client.post(reverse("admin:stories_story_preferences"), {"daily_limit": "0"})

    assert response.status_code == 200
    assert not ModeratorPreferences.objects.filter(user=moderator).exists()


def test_the_queue_tells_a_moderator_who_reached_their_limit_to_stop(moderator_client, moderator):
    ModeratorPreferences.objects.create(user=moderator, daily_limit=2)
    for story in StoryFactory.create_batch(2):
        story.publish(by=moderator)

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert "You made 2 decisions today: the limit you set for yourself." in html


def test_the_queue_says_nothing_before_the_limit(moderator_client, moderator):
    ModeratorPreferences.objects.create(user=moderator, daily_limit=2)
    StoryFactory().publish(by=moderator)

    html = moderator_client.get(reverse(CHANGELIST)).content.decode()

    assert "care-banner" not in html
