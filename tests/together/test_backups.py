"""manage.py backup and restore (together/backups.py) on PostgreSQL: a backup
of a seeded site restored into a throwaway database and media folder gives
back every row, counter and file.

Transactional (pg_dump must see committed rows), hence a file of its own."""

import hashlib
import json
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory, MediaKitItemFactory, PaperBatchFactory, PledgeFactory
from tests.stories.factories import StoryFactory
from tests.together.backups import restored_database, server_options
from tests.together.processes import manage

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump backs up PostgreSQL only (the suite runs again on PostgreSQL with TEST_DATABASE_URL)",
)


def seed():
    campaign = CampaignFactory(slug="together")
    for n, country in enumerate(["BE", "BE", "SY", "FR"]):
        pledge = PledgeFactory(campaign=campaign, country=country, email=f"supporter{n}@example.org")
        pledge.confirm()
    PledgeFactory(campaign=campaign, email="unconfirmed@example.org")
    PaperBatchFactory(campaign=campaign, count=25)
    StoryFactory.create_batch(2, with_photo=True, published=True)
    StoryFactory()
    MediaKitItemFactory(campaign=campaign)


def row_counts(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def pledge_counters(cursor):
    cursor.execute("SELECT slug, confirmed_pledges, paper_pledges FROM campaigns_campaign ORDER BY slug")
    campaigns = cursor.fetchall()
    cursor.execute("SELECT country, count FROM campaigns_campaigncountrycount ORDER BY country")
    return campaigns, cursor.fetchall()


def files(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


@postgresql_only
def test_restore_gives_back_every_row_counter_and_media_file(settings, tmp_path):
    seed()
    call_command("backup", to=str(tmp_path / "backup"), stdout=None)
    with connection.cursor() as cursor:
        expected = row_counts(cursor), pledge_counters(cursor)

    with restored_database(connection) as (url, name):
        new_media = str(tmp_path / "new")
        restored = manage("restore", str(tmp_path / "backup"), DATABASE_URL=url, MEDIA_ROOT=new_media)
        with psycopg.connect(dbname=name, **server_options(connection)) as other, other.cursor() as cursor:
            found = row_counts(cursor), pledge_counters(cursor)

    assert restored.returncode == 0, restored.stderr
    assert found == expected
    assert expected[1] == ([("together", 4, 25)], [("BE", 2), ("FR", 1), ("SY", 1)])
    assert files(tmp_path / "new") == files(settings.MEDIA_ROOT)
    # Two story photos and a media-kit image, 1000 pixels wide: 480 and 960, JPEG and WebP.
    assert len(files(tmp_path / "new")) == 3 * 4


@postgresql_only
def test_manifest_lists_row_counts_counters_and_media_files(settings, tmp_path):
    seed()

    call_command("backup", to=str(tmp_path / "backup"), stdout=None)

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["campaigns_pledge"] == 5
    assert manifest["counters"]["campaign confirmed"] == {"together": 4}
    assert manifest["media"]["files"] == {
        name: {"size": (settings.MEDIA_ROOT / name).stat().st_size, "sha256": digest}
        for name, digest in files(settings.MEDIA_ROOT).items()
    }
    assert sorted(manifest["media"]["files"]) == manifest["renditions"]


@postgresql_only
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    seed()
    call_command("backup", to=str(tmp_path / "backup"), stdout=None)

    with pytest.raises(CommandError, match=r"is not empty .* restored only into a new, empty database"):
        call_command("restore", str(tmp_path / "backup"), stdout=None)
    assert Campaign.objects.count() == 1


@postgresql_only
def test_restore_refuses_a_dump_that_differs_from_its_manifest(tmp_path):
    call_command("backup", to=str(tmp_path / "backup"), stdout=None)
    with open(tmp_path / "backup" / "database.dump", "ab") as dump:
        dump.write(b"\0")

    with pytest.raises(CommandError, match="is not the dump the manifest describes"):
        call_command("restore", str(tmp_path / "backup"), stdout=None)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal of SQLite")
def test_backup_of_sqlite_is_refused_with_the_command_to_use(tmp_path):
    with pytest.raises(CommandError, match=r"PostgreSQL databases only .* sqlite3 db.sqlite3 \"\.backup"):
        call_command("backup", to=str(tmp_path / "backup"), stdout=None)
    assert not (tmp_path / "backup").exists()

