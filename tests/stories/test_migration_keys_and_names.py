"""The migration that gives each story its secret and erases the names its
identity level does not show (stories 0009): existing data stays valid and
existing links keep working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from stories.models import Story
from together.tokens import make_token

NAME = "Саша Петренко"

BEFORE, AFTER = ("stories", "0011_moderation_queue"), ("stories", "0012_keys_and_unused_personal_data")


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_latest():
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_erases_unused_names_and_keeps_existing_links_working():
    old_story = migrate_to(BEFORE).get_model("stories", "Story")
    common = {
        "title": "Old",
        "body": "Text.",
        "teller_role": "refugee",
        "language": "en",
        "consent_version": "1",
        "consented_at": timezone.now(),
    }
    anonymous = old_story.objects.create(**common, naming="anonymous", name=NAME, slug="a")
    first = old_story.objects.create(**common, naming="first_name", name=NAME, slug="b")
    full = old_story.objects.create(**common, naming="full_name", name=NAME, slug="c")
    try:
        migrate_to(AFTER)
        # The live model reads every column of today's schema (stories 0017
        # added one); the later migrations change no name, secret or link.
        migrate_to_latest()

        names = dict(Story.objects.values_list("pk", "name"))
        assert names == {anonymous.pk: "", first.pk: "Саша", full.pk: NAME}
        story = Story.objects.get(pk=full.pk)
        assert story.accepts_legacy_link
        legacy = make_token(story.pk, purpose="stories.manage", dated=False)
        assert Story.from_manage_token(legacy) == story
        assert len(set(Story.objects.values_list("manage_secret", flat=True))) == 3
    finally:
        # Every app back to its latest migration: the next tests of this
        # process expect the whole schema (and deleting needs it).
        migrate_to_latest()
        Story.objects.all().delete()
