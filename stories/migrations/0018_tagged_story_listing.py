"""A topic page costs the same for every topic (issue 12): each tagging row
carries a copy of its story's ``published_at`` (NULL while the story is not
published) and ``language``, indexed by tag, so PostgreSQL reads a topic's
stories newest first from the tag's own index. Before, a topic with no story
in (or none out of) the reader's language walked every published story
along the story index looking for one: 140-270 ms at 100,000 stories.

The copies cannot drift: triggers write them, never Python.

* ``stories_taggedstory``, before every insert or update (PostgreSQL; after
  it on SQLite, which cannot change NEW): the values are read from the
  story, locked FOR SHARE on PostgreSQL so that a story changing at the same
  time waits for, or is waited for by, the new tagging (else the tagging
  could keep the status read before the change).
* ``stories_story``, after an update of its status, ``published_at`` or
  language: its taggings are rewritten.

Expand only (the older version keeps running while this release rolls out):

1. the two columns, nullable or with a constant ``db_default`` (the older
   version's inserts leave them to the triggers);
2. the triggers, before the backfill, so that no row written meanwhile is
   missed;
3. existing taggings filled ``BATCH`` per UPDATE, each committed on its own
   (no lock on every tagging at once): rewriting a row lets the trigger fill
   it;
4. the index, built concurrently.
"""

from django.contrib.postgres import operations as postgres
from django.db import migrations, models
from django.db.migrations.operations import AddIndex

# Taggings rewritten per UPDATE statement (and per transaction).
BATCH = 2000

POSTGRESQL_TRIGGERS = """
CREATE FUNCTION stories_taggedstory_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT CASE WHEN story.status = 'published' THEN story.published_at END, story.language
      INTO NEW.published_at, NEW.language
      FROM stories_story story WHERE story.id = NEW.content_object_id
      FOR SHARE;
    RETURN NEW;
END $$;
CREATE TRIGGER stories_taggedstory_listing BEFORE INSERT OR UPDATE ON stories_taggedstory
    FOR EACH ROW EXECUTE FUNCTION stories_taggedstory_listing();

CREATE FUNCTION stories_story_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stories_taggedstory
       SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END,
           language = NEW.language
     WHERE content_object_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER stories_story_listing AFTER UPDATE OF status, published_at, language ON stories_story
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.published_at IS DISTINCT FROM NEW.published_at
          OR OLD.language IS DISTINCT FROM NEW.language)
    EXECUTE FUNCTION stories_story_listing();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS stories_story_listing ON stories_story;
DROP FUNCTION IF EXISTS stories_story_listing();
DROP TRIGGER IF EXISTS stories_taggedstory_listing ON stories_taggedstory;
DROP FUNCTION IF EXISTS stories_taggedstory_listing();
"""

# SQLite runs a trigger's own UPDATE of its table without firing it again
# (recursive_triggers is off).
_SQLITE_FILL = """
    UPDATE stories_taggedstory SET
        published_at = (SELECT CASE WHEN story.status = 'published' THEN story.published_at END
                          FROM stories_story story WHERE story.id = NEW.content_object_id),
        language = (SELECT story.language FROM stories_story story WHERE story.id = NEW.content_object_id)
     WHERE id = NEW.id;
"""
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER stories_taggedstory_listing_insert AFTER INSERT ON stories_taggedstory BEGIN {_SQLITE_FILL} END",
    f"CREATE TRIGGER stories_taggedstory_listing_update AFTER UPDATE ON stories_taggedstory BEGIN {_SQLITE_FILL} END",
    """CREATE TRIGGER stories_story_listing AFTER UPDATE OF status, published_at, language ON stories_story
    BEGIN
        UPDATE stories_taggedstory
           SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END,
               language = NEW.language
         WHERE content_object_id = NEW.id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS stories_taggedstory_listing_insert",
    "DROP TRIGGER IF EXISTS stories_taggedstory_listing_update",
    "DROP TRIGGER IF EXISTS stories_story_listing",
]


def _run(schema_editor, postgresql, sqlite):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql)
    else:
        for statement in sqlite:
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_TRIGGERS, SQLITE_TRIGGERS)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_DROP, SQLITE_DROP)


def fill_taggings(apps, schema_editor):
    """Every tagging rewritten once, ``BATCH`` per UPDATE (each committed on
    its own), in id order: the trigger fills its copies from its story."""
    TaggedStory = apps.get_model("stories", "TaggedStory")
    taggings = TaggedStory.objects.using(schema_editor.connection.alias).order_by("pk")
    after = 0
    while batch := list(taggings.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH]):
        TaggedStory.objects.using(schema_editor.connection.alias).filter(pk__in=batch).update(
            content_object=models.F("content_object")
        )
        after = batch[-1]


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain CREATE INDEX on
    SQLite (as in 0017; defined here: a migration must not change with the
    live code)."""

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
        ("stories", "0017_story_email_normalised"),
    ]

    operations = [
        migrations.AddField(
            model_name="taggedstory",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="taggedstory",
            name="language",
            field=models.CharField(db_default="", editable=False, max_length=10),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(fill_taggings, migrations.RunPython.noop),
        AddIndexConcurrently(
            model_name="taggedstory",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["tag", "-published_at", "-content_object", "language"],
                name="tagged_story_listed_idx",
            ),
        ),
    ]
