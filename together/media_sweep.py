"""Stored images that no row names any more, and their deletion
(``manage.py sweep_media``, from cron, daily or more often).

Erasure must hold even when a deletion failed (object storage unreachable
when a story was withdrawn: together.images.delete_renditions logs it and goes
on) or a process died between writing renditions and saving their row. The
sweep lists every file of the media storage and deletes those that no row
names, once they are older than ``MEDIA_SWEEP_GRACE`` (an upload in progress
writes its files before its row commits).

Invariants: the media storage (MEDIA_ROOT, or the bucket and AWS_LOCATION
prefix) holds the renditions of together/images.py and nothing else; every
model that keeps renditions is listed in :data:`RENDITION_FIELDS`.
"""

from datetime import UTC, datetime, timedelta

from django.core.files.storage import default_storage

from together.images import delete_renditions

# (app label, model, JSON field of renditions): every holder of stored images.
RENDITION_FIELDS = [
    ("stories", "Story", "photo_renditions"),
    ("campaigns", "Campaign", "hero_image_renditions"),
    ("campaigns", "Partner", "logo_renditions"),
    ("campaigns", "MediaKitItem", "image_renditions"),
]
MEDIA_SWEEP_GRACE = timedelta(hours=1)


def referenced_names():
    """The storage names of every rendition a row refers to."""
    from django.apps import apps

    return {
        str(rendition["name"])
        for app_label, model, field in RENDITION_FIELDS
        for renditions in apps.get_model(app_label, model).objects.values_list(field, flat=True)
        for rendition in renditions or []
    }


def stored_names(storage=None, folder=""):
    """Every file name in the storage, walked through its API."""
    storage = storage or default_storage
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names += stored_names(storage, prefix + sub)
    return names


def unreferenced(*, now=None, storage=None):
    """Files older than the grace period that no row names."""
    storage = storage or default_storage
    now = now or datetime.now(UTC)
    referenced = referenced_names()
    return sorted(
        name
        for name in stored_names(storage)
        if name not in referenced and storage.get_modified_time(name) < now - MEDIA_SWEEP_GRACE
    )


def sweep(*, now=None, dry_run=False, storage=None):
    """Delete the unreferenced files; returns their names."""
    names = unreferenced(now=now, storage=storage)
    if not dry_run:
        delete_renditions(names, storage=storage)
    return names
