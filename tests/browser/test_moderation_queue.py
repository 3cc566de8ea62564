"""A moderator's shift in the queue, in a real browser (issue 15, acceptance
point 2): claim the next story, see its privacy hints, publish it, while a
second moderator sees the claim and gets another story; the queue's filters
find answered declines, minors, photos and overdue stories; the list with
its new columns, filters and the daily-limit banner has no WCAG violation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stories.models import ModeratorPreferences, Story
from tests.browser.accounts import log_in, moderators_group_as_migrated
from tests.browser.conftest import axe_check, click_button, close_page, open_page
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A photo as the list knows it (the list never shows it, only that there is one).
FAKE_PHOTO = [{"width": 480, "height": 320, "fmt": "jpeg", "name": "stories/x-480.jpg"}]


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def moderator(username):
    person = ModeratorFactory(username=username)
    person.set_password(f"{username}-password-42")
    person.save(update_fields=["password"])
    return person, (username, f"{username}-password-42")


def listed_titles(page):
    return sorted(page.locator("#result_list tbody th a").all_inner_texts())


def claim_column(page, title):
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=title, exact=True))
    return row.locator("td.field-claim").inner_text()


def filter_by(page, choice):
    page.goto(reverse("admin:stories_story_changelist"))
    page.locator("#changelist-filter").get_by_role("link", name=choice, exact=True).click()
    page.wait_for_load_state()
    return listed_titles(page)


def test_two_moderators_share_the_queue_and_its_filters_find_what_needs_them(page, browser, site_server):
    moderators_group_as_migrated()
    amal, amal_login = moderator("amal")
    _bo, bo_login = moderator("bo")
    ModeratorPreferences.objects.create(user=amal, daily_limit=1)
    StoryFactory(
        title="Bread every morning",
        body="Our neighbour gave us bread.\n\nWrite to me at amina@example.org.",
        submitted_at=ago(days=3),
    )
    StoryFactory(title="Soup and blankets", submitted_at=ago(hours=5))

    # Amal claims the next story: the one waiting longest, with its hints.
    log_in(page, *amal_login)
    page.goto(reverse("admin:stories_story_changelist"))
    click_button(page, "Claim the next story in the queue")
    assert page.get_by_role("heading", name="Moderation: pending review").count() == 1
    assert "You are working on this story" in page.locator(".claim-notice").inner_text()
    assert page.locator(".privacy-hints li").all_inner_texts() == ["Story: email address amina@example.org"]

    # Bo sees Amal's claim, on the list and on the story, and gets another story.
    second = open_page(browser, site_server)
    try:
        log_in(second, *bo_login)
        second.goto(reverse("admin:stories_story_changelist"))
        assert claim_column(second, "Bread every morning") == "amal"
        second.get_by_role("link", name="Bread every morning", exact=True).click()
        second.wait_for_load_state()
        assert "amal is working on this story" in second.locator(".claim-notice").inner_text()
        second.goto(reverse("admin:stories_story_changelist"))
        click_button(second, "Claim the next story in the queue")
        assert second.get_by_role("heading", level=2, name="Moderation: pending review").count() == 1
        assert Story.objects.get(title="Soup and blankets").claimed_by.username == "bo"
    finally:
        close_page(second, "bo's page")

    # Amal publishes: the claim ends, and her one decision is her daily limit.
    click_button(page, "Publish")
    assert page.get_by_role("heading", name="Moderation: published").count() == 1
    story = Story.objects.get(title="Bread every morning")
    assert (story.status, story.claimed_by) == (Story.Status.PUBLISHED, None)
    page.goto(reverse("admin:stories_story_changelist"))
    assert "the limit you set for yourself" in page.get_by_role("status").inner_text()
    axe_check(page)

    # The filters each find their stories.
    StoryFactory(title="An answer waits", declined=True, storyteller_reply="Please.", replied_at=ago(hours=1))
    StoryFactory(title="Told by a minor", minor=True)
    StoryFactory(title="With a picture", photo_renditions=FAKE_PHOTO)
    assert filter_by(page, "Waiting for a moderator") == ["An answer waits"]
    assert filter_by(page, "Under 18") == ["Told by a minor"]
    assert filter_by(page, "With a photo") == ["With a picture"]
    assert filter_by(page, "Overdue") == []  # the overdue story was published
    StoryFactory(title="Forgotten for days", submitted_at=ago(days=4))
    assert filter_by(page, "Overdue") == ["Forgotten for days"]
    assert "overdue" in page.locator("td.field-waiting").inner_text()
    axe_check(page)
