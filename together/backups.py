"""Backups that restore: ``manage.py backup`` and ``manage.py restore``
(``make backup``, ``make restore FROM=...``).

A backup is a folder ``var/backups/<UTC time>/`` holding:

* ``database.dump``: ``pg_dump -Fc`` of the whole database;
* ``media/``: a copy of the uploaded renditions (filesystem storage only);
* ``manifest.json``: what a restore must give back: the row count of every
  table, the pledge counters, every media file with its size and SHA-256, and
  the dump's own size and SHA-256.

Invariants:

* The dump and the manifest see one and the same moment: the counts are made
  in a REPEATABLE READ transaction whose snapshot pg_dump is given
  (``--snapshot``), so a submission arriving meanwhile is in both or neither.
  The site keeps running during a backup.
* A folder without ``manifest.json`` is not a backup: the work is done in
  ``<name>.partial`` and renamed when complete.
* A restore writes only into an EMPTY database (no table at all) and an empty
  media folder, so it can never mix two sites' data or overwrite a live one;
  it checks the dump's SHA-256 before, and everything in the manifest after.
* PostgreSQL only. SQLite (development) is refused with the command to use.
* With MEDIA_STORAGE=s3 the media are not copied: the bucket's versioning and
  replication are their backup (README, "Backups and restores"); the manifest
  says so, and still lists the rendition names the database refers to.

Media files are copied after the dump's snapshot: a photo erased in between
(a withdrawal) is missing from the copy, as it should be, while its row in the
dump still names it; the restore reports such a difference instead of hiding
it. Files added in between are extra copies nobody refers to.
"""

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, transaction

from together.media_sweep import referenced_names

DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, or a restore that does not
    match its manifest; the message says what to do."""


SQLITE_REFUSAL = (
    "Backups are made of PostgreSQL databases only (pg_dump). This site uses SQLite, "
    "the development database: stop the site and copy it with "
    "sqlite3 db.sqlite3 \".backup 'var/backups/db.sqlite3'\" (and copy var/media)."
)


def backup(folder=None, *, now=None):
    """Write a backup and return its folder (``var/backups/<UTC time>`` unless given)."""
    _require_postgresql()
    now = now or datetime.now(UTC)
    folder = Path(folder or Path(settings.BASE_DIR, "var", "backups", now.strftime("%Y%m%dT%H%M%SZ")))
    if folder.exists():
        raise BackupError(f"{folder} already exists.")
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        manifest = {"format": FORMAT, "created_at": now.isoformat()}
        with transaction.atomic(), connection.cursor() as cursor:
            # The first statement of the transaction: fixes its snapshot.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest["tables"] = _row_counts()
            manifest["counters"] = _counters()
            manifest["renditions"] = _rendition_names()
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial / DUMP}"])
        manifest["dump"] = _describe(partial / DUMP)
        manifest["media"] = _copy_media(partial / MEDIA)
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def restore(folder):
    """Restore the backup in ``folder`` into the empty database and media
    folder of the settings, then check it against the manifest. Returns
    the manifest; raises BackupError on any difference."""
    _require_postgresql()
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    if _describe(folder / DUMP) != manifest["dump"]:
        raise BackupError(f"{folder / DUMP} is not the dump the manifest describes (size or SHA-256 differ).")
    if tables := connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables): "
            "a backup is restored only into a new, empty database."
        )
    media = manifest["media"]
    if media["storage"] == "filesystem":
        location = _media_location()
        if location.exists() and any(location.iterdir()):
            raise BackupError(f"The media folder {location} is not empty: restore into an empty one.")
    connection.close()  # pg_restore brings its own connection
    _run(
        [
            *("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"),
            *(f"--dbname={connection.settings_dict['NAME']}", str(folder / DUMP)),
        ]
    )
    if media["storage"] == "filesystem":
        shutil.copytree(folder / MEDIA, _media_location(), dirs_exist_ok=True)
    if differences := verify(manifest):
        raise BackupError("The restored site differs from the manifest:\n" + "\n".join(differences))
    return manifest


def verify(manifest):
    """What differs between the site and ``manifest`` (an empty list: nothing)."""
    differences = []
    tables = _row_counts()
    for table in sorted(set(tables) | set(manifest["tables"])):
        expected, found = manifest["tables"].get(table), tables.get(table)
        if expected != found:
            differences.append(f"table {table}: {expected} rows in the backup, {found} restored")
    if (counters := _counters()) != manifest["counters"]:
        differences.append(f"pledge counters: {manifest['counters']} in the backup, {counters} restored")
    if (renditions := _rendition_names()) != manifest["renditions"]:
        expected = len(manifest["renditions"])
        differences.append(f"renditions named: {expected} in the backup, {len(renditions)} restored")
    media = manifest["media"]
    if media["storage"] == "filesystem":
        files = _media_files(_media_location())
        if files != media["files"]:
            missing = sorted(set(media["files"]) - set(files))
            extra = sorted(set(files) - set(media["files"]))
            changed = sorted(n for n in set(files) & set(media["files"]) if files[n] != media["files"][n])
            differences.append(f"media files: missing {missing}, extra {extra}, changed {changed}")
    return differences


def renditions_without_file(manifest):
    """Renditions the database names whose file the media copy lacks (erased
    between the dump and the copy: see the module's docstring)."""
    media = manifest["media"]
    if media["storage"] != "filesystem":
        return []
    return [name for name in manifest["renditions"] if name not in media["files"]]


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(SQLITE_REFUSAL)


def _run(command):
    """Run a PostgreSQL client with the connection of the settings."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    names = {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGPASSWORD": "PASSWORD"}
    for variable, key in names.items():
        if db.get(key):
            env[variable] = str(db[key])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    # A fixed program and arguments made here, never user input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _row_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
            counts[table] = cursor.fetchone()[0]
    return counts


def _counters():
    """Every stored pledge counter, as the pages read them."""
    from campaigns.models import Campaign, CampaignCountryCount, CampaignPartnerCount, Event

    return {
        "campaign confirmed": {
            c.slug: c.confirmed_pledges for c in Campaign.objects.only("slug", "confirmed_pledges")
        },
        "campaign paper": {c.slug: c.paper_pledges for c in Campaign.objects.only("slug", "paper_pledges")},
        "event confirmed": {str(pk): n for pk, n in Event.objects.values_list("pk", "confirmed_pledges")},
        "per country": {
            f"{campaign}/{key}": n
            for campaign, key, n in CampaignCountryCount.objects.values_list("campaign", "country", "count")
        },
        "per partner": {
            f"{campaign}/{key}": n
            for campaign, key, n in CampaignPartnerCount.objects.values_list("campaign", "partner", "count")
        },
    }


def _rendition_names():
    """The renditions the database names (any storage)."""
    return sorted(referenced_names())


def _media_location():
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _copy_media(target):
    location = _media_location()
    if location is None:
        return {
            "storage": settings.MEDIA_STORAGE,
            "note": "Not copied: the bucket's versioning and replication are the backup of the media.",
        }
    if location.exists():
        shutil.copytree(location, target)
    else:
        target.mkdir()
    return {"storage": "filesystem", "files": _media_files(target)}


def _media_files(root):
    if root is None or not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): _describe(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _describe(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}
