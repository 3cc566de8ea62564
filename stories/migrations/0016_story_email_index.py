"""A storyteller's stories found by address (StoryQuerySet.of_storyteller:
"send me my links", the "my data" page): without this index every request
read every story (60 ms at 100,000 stories). Built concurrently."""

import django.db.models.functions.text
from django.contrib.postgres import operations as postgres
from django.db import migrations, models
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL (writes go on while it
    builds); a plain CREATE INDEX on SQLite, where Django's own operation
    fails and no other process writes during a migration. Defined here, not
    imported: a migration must not change with the live code."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("stories", "0015_story_list_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="story",
            index=models.Index(django.db.models.functions.text.Upper("email"), name="story_email_upper_idx"),
        ),
    ]
