"""Keep only what is needed: a story keeps no name its identity level does
not show, from the moment it is submitted and whoever changes the level."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from stories.models import Story
from tests.stories.admin_forms import change_form_data
from tests.stories.factories import StoryFactory
from tests.stories.sharing import BODY, edit_data, manage_url, submit
from together.models import OutboundEmail

pytestmark = pytest.mark.django_db

NAME = "Саша Петренко"


def test_a_minors_story_holds_no_name_in_the_database_at_any_point_after_submission(client):
    with CaptureQueriesContext(connection) as queries:
        response = submit(
            client,
            language="ru",
            naming="anonymous",
            name=NAME,
            is_minor="on",
            guardian_consent="on",
        )

    assert response.status_code == 302
    # Not in any statement sent to the database: not even briefly stored.
    assert not [query["sql"] for query in queries.captured_queries if "Петренко" in query["sql"]]
    story = Story.objects.get()
    assert (story.is_minor, story.naming, story.name) == (True, "anonymous", "")
    assert not OutboundEmail.objects.filter(text_body__contains="Петренко").exists()


def test_an_anonymous_story_keeps_no_name_from_the_sharing_form(client):
    submit(client, naming="anonymous", name=NAME)

    assert Story.objects.get().name == ""


def test_first_name_only_keeps_only_the_first_name(client):
    submit(client, naming="first_name", name=NAME)

    assert Story.objects.get().name == "Саша"


def test_switching_to_anonymous_through_the_private_link_erases_the_name(client):
    story = StoryFactory(naming="full_name", name=NAME, body=BODY)

    response = client.post(manage_url(story, "edit"), edit_data(story, naming="anonymous"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.naming, story.name) == ("anonymous", "")


def test_switching_to_first_name_through_the_private_link_erases_the_surname(client):
    story = StoryFactory(naming="full_name", name=NAME, body=BODY)

    client.post(manage_url(story, "edit"), edit_data(story, naming="first_name"))

    story.refresh_from_db()
    assert (story.naming, story.name) == ("first_name", "Саша")


def test_switching_to_anonymous_in_the_admin_erases_the_name(moderator_client):
    story = StoryFactory(published=True, naming="full_name", name=NAME)

    response = moderator_client.post(
        f"/admin/stories/story/{story.pk}/change/", change_form_data(story, naming="anonymous")
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.naming, story.name) == ("anonymous", "")
    assert story.log_entries.get().note == "Changed: how to be named."


def test_a_moderators_redaction_to_anonymous_erases_the_name(moderator):
    story = StoryFactory(naming="full_name", name=NAME)

    story.redact(by=moderator, naming="anonymous")

    assert Story.objects.values_list("name", flat=True).get(pk=story.pk) == ""


def test_the_database_refuses_a_name_on_an_anonymous_story():
    story = StoryFactory(naming="full_name", name=NAME)

    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(naming="anonymous")


def test_the_database_refuses_a_surname_with_first_name_only():
    story = StoryFactory(naming="full_name", name=NAME)

    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(naming="first_name")


def test_the_constraint_explains_itself_in_words():
    story = Story(naming="anonymous", name=NAME)

    with pytest.raises(ValidationError) as refused:
        story.validate_constraints()

    assert refused.value.messages == ["A story told anonymously keeps no name."]
