"""Revocable private links: each story's own secret, replaced by the
storyteller or a moderator; the old link answers 404 at once."""

import pytest
from django.urls import reverse

from stories.models import ModerationLogEntry, Story
from tests.stories.factories import StoryFactory
from tests.stories.sharing import manage_url
from together.models import OutboundEmail
from together.tokens import make_token

pytestmark = pytest.mark.django_db


def replace_url(story):
    return manage_url(story, "new-link")


def legacy_url(story):
    """A private link of the kind sent before each story had its secret."""
    return f"/en/stories/manage/{make_token(story.pk, purpose='stories.manage', dated=False)}/"


def test_a_replaced_link_answers_404(client):
    story = StoryFactory()
    old = manage_url(story)

    response = client.post(replace_url(story))

    story.refresh_from_db()
    assert response.status_code == 302
    assert response.url == manage_url(story)
    assert client.get(old).status_code == 404
    assert client.get(old + "edit/").status_code == 404
    assert client.get(manage_url(story)).status_code == 200


def test_replacing_the_link_emails_the_new_one(client, mailoutbox):
    story = StoryFactory()
    old_token = story.manage_token()

    client.post(replace_url(story))

    story.refresh_from_db()
    [email] = mailoutbox
    assert email.to == [story.email]
    assert email.subject == "A new private link to your story"
    assert story.manage_token() in email.body
    assert old_token not in email.body


def test_replacing_the_link_erases_the_stored_emails_that_held_the_old_one(client):
    story = StoryFactory()
    story.email_storyteller("stories/email/received")
    old_token = story.manage_token()

    client.post(replace_url(story))

    assert not OutboundEmail.objects.filter(text_body__contains=old_token).exists()
    assert not OutboundEmail.objects.filter(html_body__contains=old_token).exists()
    assert OutboundEmail.objects.filter(subject="We received your story", text_body="").exists()


def test_replacing_the_link_is_logged_as_the_storytellers(client):
    story = StoryFactory(published=True)

    client.post(replace_url(story))

    entry = story.log_entries.get()
    assert (entry.action, entry.by_storyteller, entry.actor, entry.from_status, entry.to_status) == (
        ModerationLogEntry.Action.REPLACE_LINK,
        True,
        None,
        "published",
        "published",
    )


def test_opening_the_replace_address_changes_nothing(client):
    story = StoryFactory()
    token = story.manage_token()

    response = client.get(replace_url(story))

    assert response.status_code == 405
    assert Story.objects.get(pk=story.pk).manage_token() == token


def test_a_moderator_replaces_the_link_from_the_admin(moderator_client, moderator, mailoutbox):
    story = StoryFactory(published=True)
    old = manage_url(story)

    response = moderator_client.post(reverse("admin:stories_story_moderate", args=[story.pk, "replace_link"]))

    assert response.status_code == 302
    assert moderator_client.get(old).status_code == 404
    story.refresh_from_db()
    assert story.manage_token() in mailoutbox[-1].body
    entry = story.log_entries.get()
    assert (entry.action, entry.actor) == (ModerationLogEntry.Action.REPLACE_LINK, moderator)


def test_a_withdrawn_story_has_no_link_to_replace(client):
    story = StoryFactory()
    story.withdraw()

    assert client.post(replace_url(story)).status_code == 404


def test_a_link_of_the_old_kind_works_until_the_link_is_replaced(client):
    story = StoryFactory()
    Story.objects.filter(pk=story.pk).update(accepts_legacy_link=True)

    assert client.get(legacy_url(story)).status_code == 200
    client.post(replace_url(story))
    assert client.get(legacy_url(story)).status_code == 404


def test_a_link_of_the_old_kind_does_not_open_a_new_story(client):
    story = StoryFactory()

    assert client.get(legacy_url(story)).status_code == 404


def test_a_link_with_another_storys_secret_answers_404(client):
    story, other = StoryFactory(), StoryFactory()
    forged = make_token([story.pk, other.manage_secret], purpose="stories.manage-secret", dated=False)

    assert client.get(f"/en/stories/manage/{forged}/").status_code == 404
