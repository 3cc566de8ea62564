"""Moderators read a storyteller's proposed change as a difference from the
published story and approve or reject it in the admin (issue 14)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.models import STORYTELLER, Story, StoryRevision
from tests.stories.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def propose(story, tags=None, **changes):
    return StoryRevision.propose(story, by=STORYTELLER, changes=changes, tags=tags)


def change_url(revision):
    return reverse("admin:stories_storyrevision_change", args=[revision.pk])


def decide_url(revision, action):
    return reverse("admin:stories_storyrevision_decide", args=[revision.pk, action])


def differences_of(html):
    return re.search(r'<table class="revision-differences">.*?</table>', html, re.DOTALL).group()


def test_the_change_page_shows_the_text_as_a_difference_from_the_published_story(moderator_client):
    story = StoryFactory(published=True, body="We arrived in winter.")
    revision = propose(story, body="We arrived in a cold winter.")

    html = moderator_client.get(change_url(revision)).content.decode()

    table = differences_of(html)
    assert '<div class="revision-difference" lang="en" dir="auto">' in table
    assert 'We arrived in <ins><span class="visually-hidden">Added: </span>a cold </ins>winter.' in table


def test_a_removed_word_is_shown_as_deleted(moderator_client):
    story = StoryFactory(published=True, title="Bread and salt")
    revision = propose(story, title="Bread")

    table = differences_of(moderator_client.get(change_url(revision)).content.decode())

    assert 'Bread<del><span class="visually-hidden">Removed: </span> and salt</del>' in table


def test_a_changed_choice_shows_its_labels_before_and_after(moderator_client):
    story = StoryFactory(published=True, naming="anonymous")
    revision = propose(story, naming="pseudonym", name="Nour", tags=["sea", "work"])

    table = differences_of(moderator_client.get(change_url(revision)).content.decode())

    assert "<bdi>Anonymously</bdi></del> → <ins>" in table
    assert "<bdi>Under a pseudonym</bdi>" in table
    assert "<bdi>sea, work</bdi>" in table


def test_what_the_storyteller_wrote_is_shown_as_text(moderator_client):
    story = StoryFactory(published=True)
    revision = propose(story, title=SCRIPT)

    html = moderator_client.get(change_url(revision)).content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;" in differences_of(html)


def test_the_change_page_of_a_pending_proposal_offers_approve_and_reject(moderator_client):
    revision = propose(StoryFactory(published=True), title="New")

    html = moderator_client.get(change_url(revision)).content.decode()

    assert f'action="{decide_url(revision, "approve")}"' in html
    assert f'href="{decide_url(revision, "reject")}"' in html
    assert 'name="_save"' not in html


def test_the_change_page_of_a_decided_proposal_offers_no_button(moderator_client, moderator):
    revision = propose(StoryFactory(published=True), title="New")
    revision.approve(by=moderator)

    html = moderator_client.get(change_url(revision)).content.decode()

    assert decide_url(revision, "approve") not in html


def test_the_change_page_runs_a_fixed_number_of_queries(moderator_client):
    def queries(story):
        revision = propose(story, title="New", tags=["a", "b"])
        with CaptureQueriesContext(connection) as captured:
            moderator_client.get(change_url(revision))
        return len(captured)

    few = queries(StoryFactory(published=True, tags=["x"]))
    many = queries(StoryFactory(published=True, tags=["x", "y", "z", "w"]))

    assert few == many


def test_approving_from_the_admin_publishes_the_change_and_emails_the_storyteller(
    moderator_client, moderator, client
):
    story = StoryFactory(published=True, title="Bread")
    revision = propose(story, title="Bread and salt")
    mail.outbox.clear()

    response = moderator_client.post(decide_url(revision, "approve"))

    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).title == "Bread and salt"
    assert StoryRevision.objects.get().decided_by == moderator
    assert [message.subject for message in mail.outbox] == ["Your change is published"]


def test_opening_the_approve_button_page_changes_nothing(moderator_client):
    story = StoryFactory(published=True, title="Bread")
    revision = propose(story, title="Bread and salt")

    moderator_client.get(decide_url(revision, "approve"))

    assert StoryRevision.objects.get().status == "pending"
    assert Story.objects.get(pk=story.pk).title == "Bread"


def test_rejecting_asks_for_a_note(moderator_client):
    revision = propose(StoryFactory(published=True), title="New")

    response = moderator_client.post(decide_url(revision, "reject"), {"note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert StoryRevision.objects.get().status == "pending"


def test_rejecting_with_a_note_keeps_the_story_and_tells_the_storyteller(moderator_client):
    story = StoryFactory(published=True, title="Bread")
    revision = propose(story, title="Bread at 12 Baker Street")
    mail.outbox.clear()

    moderator_client.post(decide_url(revision, "reject"), {"note": "The address could identify you."})

    assert Story.objects.get(pk=story.pk).title == "Bread"
    assert [message.subject for message in mail.outbox] == ["Your proposed change was not made"]


def test_a_decision_on_a_superseded_proposal_is_an_error_message_not_a_500(moderator_client):
    story = StoryFactory(published=True)
    old = propose(story, title="Old idea")
    propose(story, title="New idea")

    response = moderator_client.post(decide_url(old, "approve"), follow=True)

    assert response.status_code == 200
    assert "This proposed change is already replaced by a newer proposal." in response.content.decode()


def test_the_story_change_page_links_to_its_pending_proposal(moderator_client):
    story = StoryFactory(published=True)
    revision = propose(story, title="New")

    html = moderator_client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()

    assert f'href="{change_url(revision)}">Review the proposed change</a>' in html


def test_the_list_filters_proposals_by_status(moderator_client):
    waiting = propose(StoryFactory(published=True, title="Waiting"), title="New")
    decided = propose(StoryFactory(published=True, title="Decided"), title="New")
    decided.reject(by=UserFactory(), note="No.")

    response = moderator_client.get(reverse("admin:stories_storyrevision_changelist"), {"status": "pending"})

    assert list(response.context["cl"].result_list) == [waiting]


def test_nobody_adds_or_deletes_a_proposal_in_the_admin(moderator_client):
    revision = propose(StoryFactory(published=True), title="New")

    assert moderator_client.get(reverse("admin:stories_storyrevision_add")).status_code == 403
    assert (
        moderator_client.get(reverse("admin:stories_storyrevision_delete", args=[revision.pk])).status_code
        == 403
    )


def test_staff_outside_the_moderators_group_cannot_decide(client):
    client.force_login(UserFactory(is_staff=True))
    revision = propose(StoryFactory(published=True), title="New")

    response = client.post(decide_url(revision, "approve"))

    assert response.status_code == 403
    assert StoryRevision.objects.get().status == "pending"
