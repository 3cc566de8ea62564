"""The private pages where a storyteller proposes a change to their published
story, and the buttons that make it less identifying at once (issue 14)."""

import pytest

from stories.models import ModerationLogEntry, Story, StoryRevision
from tests.html_checks import outline
from tests.stories.factories import StoryFactory
from tests.stories.sharing import BODY, edit_data, manage_url

pytestmark = pytest.mark.django_db


# --- Proposing a change ----------------------------------------------------------------


def test_the_private_page_of_a_published_story_offers_to_propose_a_change(client):
    story = StoryFactory(published=True)

    html = client.get(manage_url(story)).content.decode()

    assert f'href="{manage_url(story, "propose")}">Propose a change</a>' in html


def test_the_private_page_of_a_pending_story_offers_editing_not_proposing(client):
    html = client.get(manage_url(StoryFactory())).content.decode()

    assert "Propose a change" not in html
    assert "Edit your story" in html


def test_the_proposal_page_has_the_storytellers_fields_but_no_photo_upload(client):
    story = StoryFactory(published=True, body=BODY)

    response = client.get(manage_url(story, "propose"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert outline(response.content.decode()).h1_count == 1
    fields = response.context["form"].fields
    assert {"title", "body", "tags", "naming"} <= set(fields)
    assert not {"photo", "remove_photo"} & set(fields)


def test_opening_the_proposal_page_changes_nothing(client):
    story = StoryFactory(published=True, body=BODY)

    client.get(manage_url(story, "propose"))

    assert not StoryRevision.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_proposing_keeps_the_public_page_as_it_was(client):
    story = StoryFactory(published=True, title="Bread", body=BODY)

    response = client.post(manage_url(story, "propose"), edit_data(story, title="Bread and salt"))

    assert response.status_code == 302
    assert response.url == manage_url(story)
    revision = StoryRevision.objects.get()
    assert (revision.status, revision.changes, revision.tags) == (
        "pending",
        {"title": "Bread and salt"},
        None,
    )
    public = client.get(story.get_absolute_url()).content.decode()
    assert "Bread and salt" not in public


def test_after_proposing_the_private_page_says_the_change_waits_for_a_moderator(client):
    story = StoryFactory(published=True, body=BODY)

    response = client.post(
        manage_url(story, "propose"), edit_data(story, title="Bread and salt"), follow=True
    )

    html = response.content.decode()
    assert "A moderator will read your change" in html
    assert "You proposed a change on" in html
    assert "Change my proposal" in html


def test_the_proposal_page_continues_a_pending_proposal(client):
    story = StoryFactory(published=True, body=BODY, tags=["bakery"])
    client.post(manage_url(story, "propose"), edit_data(story, title="Bread and salt", tags="salt"))

    form = client.get(manage_url(story, "propose")).context["form"]

    assert form["title"].value() == "Bread and salt"
    assert form["tags"].value() == "salt"


def test_a_second_proposal_replaces_the_first(client):
    story = StoryFactory(published=True, body=BODY)
    client.post(manage_url(story, "propose"), edit_data(story, title="First idea"))

    client.post(manage_url(story, "propose"), edit_data(story, title="Second idea"))

    assert sorted(StoryRevision.objects.values_list("status", "changes__title")) == [
        ("pending", "Second idea"),
        ("superseded", "First idea"),
    ]


def test_a_proposal_gets_the_same_validation_as_an_edit(client):
    story = StoryFactory(published=True, body=BODY)

    response = client.post(manage_url(story, "propose"), edit_data(story, body="Short."))

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["body"][0].code == "min_length"
    assert not StoryRevision.objects.exists()


def test_a_proposal_that_changes_nothing_says_so(client):
    story = StoryFactory(published=True, body=BODY)

    response = client.post(manage_url(story, "propose"), edit_data(story), follow=True)

    assert "You have not changed anything." in response.content.decode()
    assert not StoryRevision.objects.exists()


@pytest.mark.parametrize("traits", [{}, {"declined": True}, {"unpublished": True}])
def test_only_a_published_story_can_be_changed_this_way(client, traits):
    story = StoryFactory(body=BODY, **traits)

    response = client.post(manage_url(story, "propose"), edit_data(story, title="Changed"), follow=True)

    assert "Only a published story can be changed this way." in response.content.decode()
    assert not StoryRevision.objects.exists()


def test_the_proposal_page_of_a_tampered_link_is_404(client):
    story = StoryFactory(published=True)
    token = story.manage_token()

    response = client.get(f"/en/stories/manage/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/propose/")

    assert response.status_code == 404


# --- Less identifying, at once ---------------------------------------------------------------


def test_the_private_page_offers_only_the_buttons_that_would_change_something(client):
    story = StoryFactory(published=True, with_photo=True, city_or_region="", naming="anonymous")

    html = client.get(manage_url(story)).content.decode()

    assert f'action="{manage_url(story, "less-identifying/photo")}"' in html
    assert "Hide my city" not in html
    assert "Publish anonymously" not in html


def test_removing_the_photo_takes_it_off_the_public_page_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    story = StoryFactory(published=True, with_photo=True)
    image = story.photo_fallback.url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(story, "less-identifying/photo"), follow=True)

    assert "Your photo is removed and its files are erased." in response.content.decode()
    assert image not in client.get(story.get_absolute_url()).content.decode()
    assert Story.objects.get(pk=story.pk).status == "published"


def test_hiding_the_city_takes_it_off_the_public_page_at_once(client):
    story = StoryFactory(published=True, city_or_region="Molenbeek")

    client.post(manage_url(story, "less-identifying/city"))

    assert "Molenbeek" not in client.get(story.get_absolute_url()).content.decode()


def test_publishing_anonymously_shows_anonymous_on_the_public_page_at_once(client):
    story = StoryFactory(published=True, naming="full_name", name="Amina Haddad")

    client.post(manage_url(story, "less-identifying/name"))

    html = client.get(story.get_absolute_url()).content.decode()
    assert "Amina" not in html
    assert "<bdi>Anonymous</bdi>" in html


def test_a_pending_story_can_be_made_less_identifying_too(client):
    story = StoryFactory(city_or_region="Molenbeek")

    client.post(manage_url(story, "less-identifying/city"))

    stored = Story.objects.get(pk=story.pk)
    assert (stored.status, stored.city_or_region) == ("pending", "")


def test_an_unknown_less_identifying_change_is_404(client):
    story = StoryFactory(published=True)

    assert client.post(manage_url(story, "less-identifying/everything")).status_code == 404


def test_a_less_identifying_change_answers_only_a_post(client):
    story = StoryFactory(published=True, city_or_region="Molenbeek")

    response = client.get(manage_url(story, "less-identifying/city"))

    assert response.status_code == 405
    assert Story.objects.get(pk=story.pk).city_or_region == "Molenbeek"


def test_a_withdrawn_story_cannot_be_changed_by_its_old_buttons(client):
    story = StoryFactory(published=True, city_or_region="Molenbeek")
    story.withdraw()

    response = client.post(manage_url(story, "less-identifying/city"), follow=True)

    assert response.status_code == 200
    assert "This story is already withdrawn." in response.content.decode()


def test_a_rule_about_the_photo_is_said_at_the_top_of_the_proposal_form(client):
    story = StoryFactory(published=True, with_photo=True, body=BODY)

    response = client.post(
        manage_url(story, "propose"), edit_data(story, is_minor="on", guardian_consent="on")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "minor_no_photo"
    assert not StoryRevision.objects.exists()
