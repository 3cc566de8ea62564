"""Migration operations the project's migrations share.

:class:`AddIndexConcurrently` builds an index without blocking writes on
PostgreSQL (``CREATE INDEX CONCURRENTLY``: a million pledges keep being
written while it builds), as together.migration_safety asks for an index on
a released table; on SQLite, where development and the fast tests run and no
other process writes during a migration, it is a plain ``CREATE INDEX``
(Django's own operation refuses every database but PostgreSQL). Its
migration needs ``atomic = False``, as Django's does.
"""

from django.contrib.postgres import operations as postgres
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(postgres.AddIndexConcurrently):
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
