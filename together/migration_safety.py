"""Zero-downtime releases: the migrations of a release must not break, nor
lock for long, the older version still running while it is rolled out.

The rule (README, "Zero-downtime releases"): expand, deploy, contract.

1. Expand: a release only ADDS: new tables, nullable columns or columns with
   a ``db_default`` (the database fills them for the older code's inserts),
   indexes built concurrently. Both versions work on the expanded schema.
2. Deploy the code that uses the new schema (and stops using the old parts),
   on every instance.
3. Contract, in a LATER release: drop or rename what no running version uses
   any more, or make a column NOT NULL once every row and writer fills it.
   Such a migration says so with ``contract = "<the release that stopped
   using it>"``; nothing else may contract.

What :func:`problems` reports, for every migration of the project's apps not
listed in together/released_migrations.txt, on tables that existed before the
release (a table created by the release itself is new to everyone):

* breaking, unless the migration has ``contract``: RemoveField, DeleteModel,
  RenameField, RenameModel, AlterModelTable, an AlterField that makes a
  column NOT NULL without ``db_default``, RunSQL that drops or renames;
* breaking always: AddField of a NOT NULL column without ``db_default``
  (Django's ``default`` is not kept in the database, so the older version's
  inserts fail): add it nullable or with ``db_default``;
* long locks on PostgreSQL, unless the migration has ``lock_reviewed = "<why
  it is short>"``: AddIndex and RemoveIndex (use AddIndexConcurrently /
  RemoveIndexConcurrently of django.contrib.postgres, in a migration with
  ``atomic = False``),
  AddConstraint (validates every row under an exclusive lock), AlterField
  changing the column's type (rewrites the table), AddField whose
  ``db_default`` is an expression (volatile: rewrites the table; a constant
  one is only recorded).

RunPython and other RunSQL are not judged: review them by hand.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED, Expression, ManyToManyField

RELEASED_FILE = Path(__file__).with_name("released_migrations.txt")

_CONTRACTING = (ops.RemoveField, ops.DeleteModel, ops.RenameField, ops.RenameModel, ops.AlterModelTable)
_DROPS_OR_RENAMES = re.compile(r"\b(DROP|RENAME)\b", re.IGNORECASE)


def released():
    """The released migrations, as ``(app_label, name)`` pairs."""
    lines = RELEASED_FILE.read_text().splitlines()
    return {tuple(line.split(".", 1)) for line in lines if line.strip() and not line.startswith("#")}


def project_apps():
    """The labels of the project's own apps (not Django's or a library's)."""
    return {app.label for app in apps.get_app_configs() if Path(app.path).parent == Path(settings.BASE_DIR)}


def unreleased(loader=None):
    """The project's migrations not released yet, in the order they apply."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    done = released()
    own = project_apps()
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return loader, [key for key in plan if key[0] in own and key not in done]


def problems(loader=None):
    """Every problem of every unreleased migration (an empty list: safe)."""
    loader, keys = unreleased(loader)
    new_models = {
        (app_label, operation.name_lower)
        for app_label, name in keys
        for operation in loader.graph.nodes[app_label, name].operations
        if isinstance(operation, ops.CreateModel)
    }
    found = []
    for key in keys:
        state = loader.project_state(key, at_end=False)
        found += check(loader.graph.nodes[key], state, new_models)
    return found


def check(migration, state, new_models=()):
    """The problems of ``migration`` applied to ``state`` (the project state
    before it, not changed), given the models created in this release."""
    app_label = migration.app_label
    state = state.clone()
    new_models = set(new_models)
    contract = getattr(migration, "contract", "")
    lock_reviewed = getattr(migration, "lock_reviewed", "")
    found = []
    for operation in migration.operations:
        if isinstance(operation, ops.CreateModel):
            new_models.add((app_label, operation.name_lower))
        model = getattr(operation, "model_name_lower", None) or getattr(operation, "name_lower", None)
        if model is None or (app_label, model) not in new_models:
            breaking, locking, always = _judge(operation, app_label, state)
            messages = list(always)
            if not contract:
                messages += [f"{m} (a contracting migration says so: contract = ...)" for m in breaking]
            if not lock_reviewed:
                messages += [f"{m} (or say why it is short: lock_reviewed = ...)" for m in locking]
            found += [f"{app_label}.{migration.name}: {operation.describe()}: {m}" for m in messages]
        operation.state_forwards(app_label, state)
    return found


def _judge(operation, app_label, state):
    """(breaking, locking, always-breaking) messages for one operation."""
    breaking, locking, always = [], [], []
    if isinstance(operation, _CONTRACTING):
        breaking.append("the running older version still uses what this removes or renames")
    elif isinstance(operation, ops.RunSQL) and _DROPS_OR_RENAMES.search(str(operation.sql)):
        breaking.append("SQL that drops or renames breaks the running older version")
    elif isinstance(operation, ops.AddField):
        field = operation.field
        has_db_default = field.db_default is not NOT_PROVIDED
        if not (field.null or has_db_default or isinstance(field, ManyToManyField) or field.generated):
            always.append(
                "a NOT NULL column without db_default fails the older version's inserts: "
                "add it nullable or with db_default"
            )
        if has_db_default and isinstance(field.db_default, Expression):
            locking.append("an expression as db_default rewrites the whole table under a lock")
    elif isinstance(operation, ops.AlterField):
        old = state.models[app_label, operation.model_name_lower].fields[operation.name]
        new = operation.field
        if old.null and not new.null and new.db_default is NOT_PROVIDED:
            breaking.append("making a column NOT NULL fails the older version's inserts that leave it empty")
        if _type_changes(old, new):
            locking.append("changing a column's type rewrites the table under a lock")
    elif type(operation) in {ops.AddIndex, ops.RemoveIndex}:
        locking.append("builds or drops an index under a lock: use AddIndexConcurrently (atomic = False)")
    elif isinstance(operation, ops.AddConstraint):
        locking.append("checks every row under an exclusive lock")
    return breaking, locking, always


def _type_changes(old, new):
    """Whether the column's type changes; a longer (or unlimited) varchar
    only updates the catalogue on PostgreSQL."""
    if type(old) is not type(new):
        return True
    if old.max_length != new.max_length:
        widened = new.max_length is None or (old.max_length is not None and new.max_length > old.max_length)
        if not widened:
            return True
    digits = ("max_digits", "decimal_places")
    return any(getattr(old, name, None) != getattr(new, name, None) for name in digits)
