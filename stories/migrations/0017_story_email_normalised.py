"""A storyteller's stories found by the canonical form of their address
(``Story.email_normalised``, ``together.mail.normalise_email`` of ``email``),
as pledges, sign-ups and the outbox compare addresses: a story sent as
"A.B+x@gmail.com" is on the "my data" page of "ab@gmail.com", and erased
with it. Before, stories were compared as typed (``email__iexact``) with the
canonical address of the data link: such a story was neither shown nor
erased.

Expand only (the older version keeps running while this release rolls out):

1. the column, with a constant ``db_default`` (the older version's inserts
   leave it empty);
2. existing rows filled, ``BATCH`` per UPDATE, each committed on its own
   (no lock held on every story at once), only where it is still empty;
3. the index of the new lookup, built concurrently, over the rows that have
   an address (most stories at scale have none);
4. 0016's ``Upper("email")`` index dropped concurrently: nothing reads it
   any more (it was added in this same release: no running version uses it).

The older version knows nothing of the column: a story it receives after
step 2 has no canonical address, one it withdraws keeps its own.
``manage.py repair_story_addresses``, run once after the rollout, puts them
in step (docs/operations.md, "Periodic jobs").
"""

import contextlib
import unicodedata

import idna
from django.contrib.postgres import operations as postgres
from django.db import migrations, models
from django.db.migrations.operations import AddIndex, RemoveIndex

# Stories written per UPDATE statement (and per transaction).
BATCH = 500

# A copy of together.mail.normalise_email as it stood when this migration was
# written, so the migration gives the same result whatever the live code
# becomes (a later change of the rules comes with a migration of its own).
_ALIASES = {"googlemail.com": "gmail.com"}
_PLUS_TAG_DOMAINS = {
    "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
    "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com", "protonmail.ch", "pm.me",
}  # fmt: skip


def normalise_email(address):
    address = unicodedata.normalize("NFC", address.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return address.lower()
    local, domain = local.lower(), domain.lower().rstrip(".")
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    domain = _ALIASES.get(domain, domain)
    if domain in _PLUS_TAG_DOMAINS:
        local = local.partition("+")[0] or local
    if domain == "gmail.com":
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def fill_email_normalised(apps, schema_editor):
    """The canonical address of every story that has an address and no
    canonical one yet, ``BATCH`` stories per UPDATE (each committed on its
    own), in id order. A story whose address changed since it was read (the
    older version withdrew it meanwhile) is left empty: the condition is
    checked on the row being written."""
    Story = apps.get_model("stories", "Story")
    stories = Story.objects.using(schema_editor.connection.alias)
    missing = stories.exclude(email="").filter(email_normalised="").order_by("pk")
    after = 0
    while batch := list(missing.filter(pk__gt=after).values_list("pk", "email")[:BATCH]):
        stories.filter(pk__in=[pk for pk, _email in batch], email_normalised="").update(
            email_normalised=models.Case(
                *(
                    models.When(pk=pk, email=email, then=models.Value(normalise_email(email)))
                    for pk, email in batch
                ),
                default=models.F("email_normalised"),
            )
        )
        after = batch[-1][0]


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


class RemoveIndexConcurrently(postgres.RemoveIndexConcurrently):
    """DROP INDEX CONCURRENTLY on PostgreSQL, a plain DROP INDEX on SQLite
    (as :class:`AddIndexConcurrently`)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("stories", "0016_story_email_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="email_normalised",
            field=models.CharField(
                blank=True, db_default="", editable=False, max_length=254, verbose_name="normalised email"
            ),
        ),
        migrations.RunPython(fill_email_normalised, migrations.RunPython.noop),
        AddIndexConcurrently(
            model_name="story",
            index=models.Index(
                condition=models.Q(("email_normalised", ""), _negated=True),
                fields=["email_normalised"],
                name="story_email_normalised_idx",
            ),
        ),
        RemoveIndexConcurrently(model_name="story", name="story_email_upper_idx"),
    ]
