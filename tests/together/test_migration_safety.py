"""Zero-downtime releases (together/migration_safety.py): the checker on
synthetic migrations, then on the project's own unreleased ones."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState
from django.db.models.functions import Now

from together.migration_safety import check, problems, project_apps, released


def released_state():
    """A released table shop_item (id, name, note)."""
    state = ProjectState()
    state.add_model(
        ModelState(
            "shop",
            "Item",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=100)),
                ("note", models.TextField(null=True)),
            ],
        )
    )
    return state


def migration(*operations, **attributes):
    made = type("Migration", (migrations.Migration,), {"operations": list(operations), **attributes})
    return made("0002_change", "shop")


def problems_of(*operations, **attributes):
    return check(migration(*operations, **attributes), released_state())


def test_dropping_a_column_is_flagged():
    assert problems_of(migrations.RemoveField("item", "note")) == [
        (
            "shop.0002_change: Remove field note from item: the running older version still uses what this "
            "removes or renames (a contracting migration says so: contract = ...)"
        )
    ]


def test_dropping_a_column_in_a_contracting_migration_passes():
    contract = "2026.12 stopped reading Item.note"
    assert problems_of(migrations.RemoveField("item", "note"), contract=contract) == []


def test_renaming_a_column_is_flagged():
    assert len(problems_of(migrations.RenameField("item", "note", "comment"))) == 1


def test_renaming_or_deleting_a_table_is_flagged():
    assert len(problems_of(migrations.RenameModel("Item", "Product"))) == 1
    assert len(problems_of(migrations.DeleteModel("Item"))) == 1


def test_sql_that_drops_a_column_is_flagged():
    assert len(problems_of(migrations.RunSQL("ALTER TABLE shop_item DROP COLUMN note"))) == 1


def test_adding_a_nullable_column_passes():
    field = models.CharField(max_length=20, null=True)
    assert problems_of(migrations.AddField("item", "colour", field)) == []


def test_adding_a_column_with_a_constant_db_default_passes():
    field = models.CharField(max_length=20, db_default="blue")
    assert problems_of(migrations.AddField("item", "colour", field)) == []


def test_adding_a_not_null_column_without_db_default_is_flagged_even_when_contracting():
    field = models.CharField(max_length=20, default="blue")
    assert problems_of(migrations.AddField("item", "colour", field), contract="2026.12") == [
        (
            "shop.0002_change: Add field colour to item: a NOT NULL column without db_default fails the "
            "older version's inserts: add it nullable or with db_default"
        )
    ]


def test_adding_a_column_whose_db_default_is_an_expression_is_flagged_as_a_lock():
    field = models.DateTimeField(db_default=Now())
    assert len(problems_of(migrations.AddField("item", "added_at", field))) == 1


def test_making_a_column_not_null_is_flagged_unless_contracting():
    operation = migrations.AlterField("item", "note", models.TextField())
    assert len(problems_of(operation)) == 1
    assert problems_of(operation, contract="2026.12 fills Item.note everywhere") == []


def test_lengthening_a_varchar_passes_and_shortening_it_is_flagged():
    assert problems_of(migrations.AlterField("item", "name", models.CharField(max_length=200))) == []
    assert len(problems_of(migrations.AlterField("item", "name", models.CharField(max_length=50)))) == 1


def test_index_on_a_released_table_must_be_built_concurrently():
    index = models.Index(fields=["name"], name="item_name_idx")
    assert len(problems_of(migrations.AddIndex("item", index))) == 1
    assert problems_of(AddIndexConcurrently("item", index), atomic=False) == []


def test_a_reviewed_lock_passes():
    index = models.Index(fields=["name"], name="item_name_idx")
    assert problems_of(migrations.AddIndex("item", index), lock_reviewed="shop_item has 12 rows") == []


def test_a_constraint_on_a_released_table_is_flagged_as_a_lock():
    constraint = models.UniqueConstraint(fields=["name"], name="item_name_unique")
    assert len(problems_of(migrations.AddConstraint("item", constraint))) == 1


def test_anything_goes_on_a_table_created_by_the_same_release():
    operations = [
        migrations.CreateModel("Basket", [("id", models.AutoField(primary_key=True))]),
        migrations.AddField("basket", "size", models.IntegerField(default=1)),
        migrations.AddIndex("basket", models.Index(fields=["size"], name="basket_size_idx")),
        migrations.RemoveField("basket", "size"),
    ]
    assert problems_of(*operations) == []


def test_every_unreleased_migration_of_the_project_is_safe():
    assert problems() == []


def test_released_list_names_only_migrations_of_the_project_that_exist():
    nodes = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    assert released() <= nodes
    assert {app_label for app_label, _ in released()} == project_apps()

