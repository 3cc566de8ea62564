"""People of the admin in the browser tests: the Moderators group as its data
migration makes it, and logging in through the admin's form."""

import importlib

from django.contrib.auth.models import Group, Permission
from django.urls import reverse


def moderators_group_as_migrated():
    """The Moderators group with the permissions its data migrations give.

    A browser test flushes the database after it and pytest-django does not
    put the migrated data back before the next test of the module, so the
    group is made again here from the migrations' own lists (the story
    moderation of 0004, the proposed changes of 0009)."""
    migration = importlib.import_module("stories.migrations.0004_moderators_group")
    revisions = importlib.import_module("stories.migrations.0013_story_revisions")
    group, _created = Group.objects.get_or_create(name=migration.GROUP_NAME)
    permissions = {**migration.PERMISSIONS}
    permissions["stories"] = [*permissions["stories"], *revisions.MODERATOR_PERMISSIONS]
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codenames in permissions.items()
        for codename in codenames
    )


def log_in(page, username, password):
    page.goto(reverse("admin:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator('input[type="submit"], button[type="submit"]').first.click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not log in"
