"""Helpers for the tests of the stories app's data migrations: move the test
database to a migration and back, and write a story as an older release did
(through the historical model, so only the fields it had)."""

from datetime import UTC, datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

SENT_AT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def migrate(targets):
    """Migrate the test database to ``targets``; the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_story(Story, number, **fields):
    """A story ``Story`` (a historical model) as its release wrote it."""
    return Story.objects.create(
        **{
            "title": f"Written before the migration {number}",
            "body": "A story.",
            "teller_role": "refugee",
            "consent_version": "2026-11-23",
            "consented_at": SENT_AT,
            "sharing_consent_version": "2026-11-23",
            "slug": f"before-{number}",
            **fields,
        }
    )


def migrate_to_latest():
    """Every app back to its latest migration: the next tests of the process
    expect the whole schema."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
