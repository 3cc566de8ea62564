"""Whole journeys of the people the site serves, in a real browser, driven by
the labels and buttons they read (issue 5)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from stories.forms import CONSENT_TEXT
from stories.models import Story
from tests.browser.accounts import moderators_group_as_migrated
from tests.browser.conftest import click_button, fill_by_label, select_by_label
from tests.browser.storytelling import STORY_BODY, share_story, small_jpeg
from tests.campaigns.factories import CampaignFactory, EventFactory, SignUpFactory
from tests.stories.factories import ModeratorFactory, StoryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def link_in_last_email(live_server, path_part):
    """The link of the last email sent whose path contains ``path_part``,
    pointing at the live server instead of settings.SITE_URL."""
    return link_in_email(live_server, mail.outbox[-1], path_part)


def link_in_email(live_server, message, path_part):
    body = message.body
    match = re.search(re.escape(settings.SITE_URL) + rf"(/\S*{path_part}\S*/)", body)
    assert match, f"no {path_part} link in: {body}"
    return live_server.url + match.group(1)


def pledge_count_text(page):
    return page.locator(".pledge-counter__total").inner_text()


def test_supporter_pledges_confirms_by_email_and_withdraws(page, site_server):
    campaign = CampaignFactory(is_active=True, pledge_goal=100)
    page.goto(campaign.get_absolute_url())
    assert pledge_count_text(page) == "0 people have pledged"

    fill_by_label(page, "Your name:", "Amina Haddad")
    fill_by_label(page, "Your email address:", "amina@example.org")
    select_by_label(page, "Your country:", "Belgium")
    click_button(page, "Pledge my support")

    assert mail.outbox[-1].to == ["amina@example.org"]
    confirm_url = link_in_last_email(site_server, "/pledge/confirm/")
    withdraw_url = link_in_last_email(site_server, "/pledge/withdraw/")
    page.goto(confirm_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your pledge"
    click_button(page, "Confirm my pledge")

    page.goto(campaign.get_absolute_url())
    assert pledge_count_text(page) == "1 person has pledged"

    page.goto(withdraw_url)
    click_button(page, "Withdraw my pledge and delete my data")
    assert page.get_by_role("heading", level=1).inner_text() == "Your pledge is withdrawn"
    page.get_by_role("link", name="Back to the campaign").click()
    page.wait_for_load_state()
    assert pledge_count_text(page) == "0 people have pledged"


def test_storyteller_shares_story_with_photo_and_edits_title_by_private_link(page, site_server, tmp_path):
    share_story(page, title="Bread every morning", photo=small_jpeg(tmp_path))

    assert mail.outbox[-1].to == ["amina@example.org"]
    page.goto(link_in_last_email(site_server, "/manage/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your story"
    assert page.get_by_role("heading", level=3).inner_text() == "Bread every morning"
    assert page.get_by_role("img", name="Loaves of bread on a shelf.").count() == 1

    page.get_by_role("link", name="Edit your story").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Edit your story"
    fill_by_label(page, "Title", "Bread every morning, and work")
    click_button(page, "Save my changes")

    assert page.get_by_role("heading", level=1).inner_text() == "Your story"
    assert page.get_by_role("heading", level=3).inner_text() == "Bread every morning, and work"


def story_titles(page):
    return page.locator(".story-grid").get_by_role("heading", level=2).all_inner_texts()


def test_moderator_publishes_story_seen_with_privacy_hints_then_visitor_finds_it(page, site_server):
    moderators_group_as_migrated()
    StoryFactory(published=True, title="Soup and blankets", tags=["winter"])
    StoryFactory(
        title="Bread every morning",
        body=STORY_BODY + "\n\nWrite to me at amina@example.org or call +32 470 12 34 56.",
        tags=["bakery"],
    )
    moderator = ModeratorFactory(username="moderator")
    moderator.set_password("a-moderator-password-42")
    moderator.save(update_fields=["password"])

    page.goto(reverse("admin:login"))
    fill_by_label(page, "Username:", "moderator")
    fill_by_label(page, "Password:", "a-moderator-password-42")
    click_button(page, "Log in")
    assert page.get_by_role("heading", level=1).inner_text() == "Moderation and campaigns"
    page.goto(reverse("admin:stories_story_changelist"))
    page.get_by_role("link", name="Bread every morning").click()
    page.wait_for_load_state()

    hints = page.locator(".privacy-hints li").all_inner_texts()
    assert hints == ["Story: email address amina@example.org", "Story: phone number +32 470 12 34 56"]
    click_button(page, "Publish")
    assert page.get_by_role("heading", name="Moderation: Published").count() == 1

    page.goto(reverse("stories:story_list"))
    assert sorted(story_titles(page)) == ["Bread every morning", "Soup and blankets"]
    select_by_label(page, "Topic", "bakery")
    click_button(page, "Show stories")
    assert story_titles(page) == ["Bread every morning"]

    page.goto(reverse("stories:story_tag", kwargs={"tag_slug": "bakery"}))
    assert page.get_by_role("heading", level=1).inner_text() == "Stories about “bakery”"
    assert story_titles(page) == ["Bread every morning"]

    page.goto(reverse("stories:story_list"))
    fill_by_label(page, "Search the stories", "bread")
    click_button(page, "Show stories")
    assert page.get_by_role("status").inner_text() == "1 story"
    assert story_titles(page) == ["Bread every morning"]


def last_email_to(address):
    return [message for message in mail.outbox if message.to == [address]][-1]


def status_message(page):
    return page.locator(".messages").inner_text().strip()


def sign_up(page, event, *, name, email, button):
    page.goto(event.get_absolute_url())
    fill_by_label(page, "Your name:", name)
    fill_by_label(page, "Your email address:", email)
    select_by_label(page, "Role:", "runner")
    click_button(page, button)


def confirm_sign_up(page, live_server, email):
    page.goto(link_in_email(live_server, last_email_to(email), "/confirm/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your sign-up"
    click_button(page, "Confirm my sign-up")


def test_runner_takes_last_place_cancels_and_first_waiting_person_is_promoted(page, site_server):
    event = EventFactory(title="Brussels 20 km", places=2)
    SignUpFactory(event=event, confirmed=True)

    sign_up(page, event, name="Amina Haddad", email="amina@example.org", button="Sign up")
    confirm_sign_up(page, site_server, "amina@example.org")
    assert status_message(page) == "Confirmed: your place is booked. See you there!"
    assert last_email_to("amina@example.org").subject == "Your place is booked: Brussels 20 km"

    sign_up(page, event, name="Karim Nasser", email="karim@example.org", button="Join the waiting list")
    confirm_sign_up(page, site_server, "karim@example.org")
    assert status_message(page) == (
        "Confirmed: all places are taken, so you are on the waiting list. "
        "We will email you as soon as a place is yours."
    )
    assert last_email_to("karim@example.org").subject == "You are on the waiting list: Brussels 20 km"

    page.goto(link_in_email(site_server, last_email_to("amina@example.org"), "/cancel/"))
    click_button(page, "Cancel my sign-up")
    assert status_message(page) == "Your sign-up is cancelled. Thank you for letting us know."

    promoted = last_email_to("karim@example.org")
    assert promoted.subject == "A place is yours: Brussels 20 km"
    assert "a place has become free and it is yours" in promoted.body
    page.goto(link_in_email(site_server, promoted, "/cancel/"))
    assert page.get_by_text("Your sign-up for Brussels 20 km: has a place.", exact=True).count() == 1


def test_storyteller_withdraws_published_story_and_its_page_is_gone(page, site_server):
    story = StoryFactory(published=True, title="Bread every morning", email="amina@example.org")
    story_url = story.get_absolute_url()
    assert page.goto(story_url).status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Bread every morning"

    page.goto(reverse("stories:story_manage_request"))
    fill_by_label(page, "The email address you gave with your story", "amina@example.org")
    click_button(page, "Send me the link")
    page.goto(link_in_email(site_server, last_email_to("amina@example.org"), "/manage/"))
    page.get_by_role("link", name="Withdraw my story…").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Withdraw your story?"
    click_button(page, "Yes, withdraw and erase my story")

    assert status_message(page) == "Your story is withdrawn and everything you wrote is erased."
    response = page.goto(story_url)
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find that page"


FOCUSED_NAME = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels[0];
  return (label ? label.textContent : element.innerText || "").trim();
}"""


def tab_to(page, name):
    """Press Tab until the control named ``name`` has focus, as a keyboard user would."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME) == name:
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_storyteller_shares_story_with_keyboard_alone(page, site_server):
    page.goto(reverse("stories:story_create"))

    tab_to(page, "Title")
    page.keyboard.type("Bread every morning")
    tab_to(page, "Your story")
    page.keyboard.type(STORY_BODY)
    tab_to(page, "Topics")
    page.keyboard.type("bakery, welcome")
    tab_to(page, "I am a refugee")
    page.keyboard.press("Space")
    tab_to(page, "Anonymously")
    page.keyboard.press("Space")
    tab_to(page, "Your email address")
    page.keyboard.type("amina@example.org")
    tab_to(page, str(CONSENT_TEXT))
    page.keyboard.press("Space")
    tab_to(page, "Send my story")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for sharing your story"
    assert mail.outbox[-1].to == ["amina@example.org"]
    page.goto(link_in_last_email(site_server, "/manage/"))
    assert page.get_by_role("heading", level=3).inner_text() == "Bread every morning"
    story = Story.objects.get()
    assert (story.teller_role, story.naming, story.language) == ("refugee", "anonymous", "en")
    assert sorted(story.tags.names()) == ["bakery", "welcome"]
