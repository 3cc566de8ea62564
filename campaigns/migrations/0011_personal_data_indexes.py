"""A person's pledges and sign-ups found by address alone (the "my data"
page, together.personal_data): the unique indexes lead with the campaign or
the event, so without these every request read every pledge (100 ms at a
million pledges). Built concurrently: pledges keep being written meanwhile."""

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
        ("campaigns", "0010_press_room"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="pledge",
            index=models.Index(
                condition=models.Q(anonymised_at__isnull=True), fields=["email_normalised"], name="pledge_email_idx"
            ),
        ),
        AddIndexConcurrently(
            model_name="signup",
            index=models.Index(
                condition=models.Q(erased_at__isnull=True), fields=["email_normalised"], name="signup_email_idx"
            ),
        ),
    ]
