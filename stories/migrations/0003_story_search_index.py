"""The GIN index behind full-text search, on PostgreSQL only.

SQLite has no full-text vectors (search there is a substring match), so the
index cannot live in ``Story.Meta.indexes``; this operation creates it only
on PostgreSQL and leaves the migration state untouched.

The indexed expression is frozen here as it was when this migration was
written (a migration must not change with the live code). Migration 0007
replaces this index with a stored, per-language ``search_vector``.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "story_search_idx"


def story_search_vector():
    """Stories' text as searched until migration 0007: title and text, no
    stemming (the "simple" configuration)."""
    return SearchVector("title", weight="A", config="simple") + SearchVector(
        "body", weight="B", config="simple"
    )


class AddPostgresSearchIndex(migrations.operations.base.Operation):
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def _index(self):
        return GinIndex(story_search_vector(), name=INDEX_NAME)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, "Story"), self._index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(to_state.apps.get_model(app_label, "Story"), self._index())

    def describe(self):
        return "Create the full-text search index of stories (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [("stories", "0002_report")]

    operations = [AddPostgresSearchIndex()]
