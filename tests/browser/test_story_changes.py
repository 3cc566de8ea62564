"""A storyteller changes their published story, in a real browser (issue 14):
the proposed change waits for a moderator while the public page stays as it
was; removing the photo takes effect at once."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from stories.models import Story
from tests.browser.accounts import moderators_group_as_migrated
from tests.browser.conftest import axe_check, click_button, fill_by_label
from tests.browser.storytelling import share_story, small_jpeg
from tests.stories.factories import ModeratorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-moderator-password-42"


def private_link(live_server):
    body = next(message for message in mail.outbox if message.to == ["amina@example.org"]).body
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S*/manage/\S*/)", body)
    assert match, f"no private link in: {body}"
    return live_server.url + match.group(1)


def log_in_as_moderator(page):
    moderator = ModeratorFactory(username="moderator")
    moderator.set_password(PASSWORD)
    moderator.save(update_fields=["password"])
    page.goto(reverse("admin:login"))
    fill_by_label(page, "Username:", "moderator")
    fill_by_label(page, "Password:", PASSWORD)
    click_button(page, "Log in")


def public_title(page, story):
    page.goto(story.get_absolute_url())
    return page.get_by_role("heading", level=1).inner_text()


def test_a_proposed_change_waits_for_approval_and_removing_the_photo_does_not(page, site_server, tmp_path):
    moderators_group_as_migrated()
    share_story(page, title="Bread every morning", photo=small_jpeg(tmp_path))
    story = Story.objects.get()
    log_in_as_moderator(page)
    page.goto(reverse("admin:stories_story_change", args=[story.pk]))
    click_button(page, "Publish")

    # The storyteller proposes a new title through their private link.
    page.goto(private_link(site_server))
    page.get_by_role("link", name="Propose a change").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Propose a change to your story"
    axe_check(page)
    fill_by_label(page, "Title", "Bread every morning, and work")
    click_button(page, "Send my change for review")
    assert "A moderator will read your change" in page.locator(".messages").inner_text()

    # Until a moderator approves it, the public page is unchanged.
    assert public_title(page, story) == "Bread every morning"

    # The moderator reads the change as a difference and approves it.
    page.goto(reverse("admin:stories_story_change", args=[story.pk]))
    page.get_by_role("link", name="Review the proposed change").click()
    page.wait_for_load_state()
    assert page.locator(".revision-differences ins").text_content() == "Added: , and work"
    axe_check(page)
    click_button(page, "Approve and publish the change")

    assert public_title(page, story) == "Bread every morning, and work"
    assert mail.outbox[-1].subject == "Your change is published"

    # Removing the photo takes effect at once, without a moderator.
    assert page.get_by_role("img", name="Loaves of bread on a shelf.").count() == 1
    page.goto(private_link(site_server))
    axe_check(page)
    click_button(page, "Remove my photo")
    assert "Your photo is removed" in page.locator(".messages").inner_text()
    page.goto(story.get_absolute_url())
    assert page.get_by_role("img", name="Loaves of bread on a shelf.").count() == 0
