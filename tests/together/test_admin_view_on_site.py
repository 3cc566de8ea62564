"""The admin's "view on site" shortcut reveals nothing to staff who may not
view the object: a story's address carries its title, so a redirect would
tell a translator the titles of unpublished stories."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.campaigns.factories import CampaignFactory
from tests.stories.factories import (
    ModeratorFactory,
    StoryFactory,
    StoryTranslationFactory,
    TranslatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def view_on_site(client, obj):
    content_type = ContentType.objects.get_for_model(obj)
    return client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))


def page_without_variables(response, path):
    """The page without its address and its CSRF token (random each time)."""
    return re.sub(r'value="\w{64}"', "", response.content.decode().replace(path, ""))


@pytest.fixture
def staff_without_permissions(client):
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def translator_client(client):
    client.force_login(TranslatorFactory())
    return client


@pytest.mark.parametrize("trait", ["pending", "declined", "unpublished", "changes_requested"])
def test_translator_learns_nothing_of_an_unpublished_story(translator_client, trait):
    story = StoryFactory(title="Secret harbour crossing", **({} if trait == "pending" else {trait: True}))

    response = view_on_site(translator_client, story)

    assert response.status_code == 404
    assert "harbour" not in response.get("Location", "") + response.content.decode()


def test_translator_is_not_sent_to_a_published_story_either(translator_client):
    response = view_on_site(translator_client, StoryFactory(published=True))

    assert response.status_code == 404


def test_staff_without_permissions_learns_nothing_of_a_story(staff_without_permissions):
    story = StoryFactory(title="Secret harbour crossing")

    response = view_on_site(staff_without_permissions, story)

    assert response.status_code == 404
    assert "harbour" not in response.get("Location", "") + response.content.decode()


def test_staff_without_view_permission_is_not_sent_to_a_campaign(staff_without_permissions):
    response = view_on_site(staff_without_permissions, CampaignFactory())

    assert response.status_code == 404


def test_missing_and_forbidden_objects_answer_alike(translator_client):
    story = StoryFactory()
    content_type = ContentType.objects.get_for_model(story)
    missing_path = reverse("admin:view_on_site", args=[content_type.pk, story.pk + 1000])
    forbidden_path = reverse("admin:view_on_site", args=[content_type.pk, story.pk])

    missing, forbidden = translator_client.get(missing_path), translator_client.get(forbidden_path)

    assert missing.status_code == forbidden.status_code == 404
    assert page_without_variables(missing, missing_path) == page_without_variables(forbidden, forbidden_path)


def test_moderator_is_sent_to_a_published_story(client):
    client.force_login(ModeratorFactory())
    story = StoryFactory(published=True)

    response = view_on_site(client, story)

    assert (response.status_code, response["Location"]) == (302, story.get_absolute_url())


def test_moderator_is_not_sent_to_the_missing_page_of_a_pending_story(client):
    client.force_login(ModeratorFactory())

    response = view_on_site(client, StoryFactory())

    assert response.status_code == 404


def test_staff_who_may_view_campaigns_is_sent_to_the_campaign(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    client.force_login(user)
    campaign = CampaignFactory()

    response = view_on_site(client, campaign)

    assert (response.status_code, response["Location"]) == (302, campaign.get_absolute_url())


def test_translator_gets_nothing_for_their_own_translation(translator_client):
    translation = StoryTranslationFactory()

    response = view_on_site(translator_client, translation)

    assert response.status_code == 404


def test_visitor_who_is_not_staff_is_sent_to_the_login(client):
    story = StoryFactory(title="Secret harbour crossing")

    response = view_on_site(client, story)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "harbour" not in response["Location"]


@pytest.mark.parametrize(
    "path",
    ["r/abc/1/", "r/99999/1/", "r/{story}/abc/", "r/{story}/99999999999999999999999/", "r/{user}/1/"],
)
def test_malformed_or_unknown_shortcuts_answer_404(client, path):
    client.force_login(ModeratorFactory())
    story_type = ContentType.objects.get(app_label="stories", model="story").pk
    user_type = ContentType.objects.get(app_label="auth", model="user").pk

    response = client.get(reverse("admin:index") + path.format(story=story_type, user=user_type))

    assert response.status_code == 404
