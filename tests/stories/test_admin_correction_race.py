"""A moderator's correction that meets the storyteller's withdrawal (between
reading the change page's story and saving) says plainly that nothing was
saved: no 500, no "changed successfully", nothing logged."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from stories.admin import StoryAdminForm
from stories.models import ModerationLogEntry, Story
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db


def admin_post(user):
    request = RequestFactory().post("/")
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_correction_of_a_story_withdrawn_meanwhile_is_refused_with_a_message(moderator):
    story = StoryFactory(title="Amina Haddad's story")
    read_by_the_admin = Story.objects.get(pk=story.pk)
    story_admin = admin.site._registry[Story]
    form = StoryAdminForm(
        {**{field: getattr(story, field) for field in ["body", "naming", "name"]}, "title": "A story"},
        instance=read_by_the_admin,
    )
    assert form.is_valid(), form.errors
    request = admin_post(moderator)
    Story.objects.get(pk=story.pk).withdraw()

    story_admin.save_model(request, read_by_the_admin, form, change=True)
    story_admin.log_change(request, read_by_the_admin, "Changed title.")
    response = story_admin.response_change(request, read_by_the_admin)

    assert response.status_code == 302
    assert [str(message) for message in get_messages(request)] == [
        "A story that is withdrawn cannot be changed by “correction by a moderator”."
    ]
    assert Story.objects.get(pk=story.pk).title == ""
    assert not ModerationLogEntry.objects.filter(story=story, action="redact").exists()
    assert not LogEntry.objects.exists()
