"""manage.py sweep_media (together/media_sweep.py): stored images no row
names are deleted once past the grace period; named ones never."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.stories.factories import StoryFactory
from tests.stories.sharing import media_files

pytestmark = pytest.mark.django_db


def orphan(settings, name, *, hours_old):
    path = Path(settings.MEDIA_ROOT, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return path


def age_everything(settings, hours):
    for path in media_files(settings):
        then = time.time() - hours * 3600
        os.utime(path, (then, then))


def test_sweep_deletes_an_old_file_no_row_names(settings):
    path = orphan(settings, "stories/abc-480.jpeg", hours_old=2)

    call_command("sweep_media", stdout=StringIO())

    assert not path.exists()


def test_sweep_keeps_the_files_of_stored_images(settings):
    story = StoryFactory(with_photo=True)
    age_everything(settings, hours=48)

    call_command("sweep_media", stdout=StringIO())

    assert {p.relative_to(settings.MEDIA_ROOT).as_posix() for p in media_files(settings)} == {
        r.name for r in story.renditions
    }


def test_sweep_keeps_a_recent_file_of_an_upload_not_saved_yet(settings):
    path = orphan(settings, "stories/abc-480.jpeg", hours_old=0.5)

    call_command("sweep_media", stdout=StringIO())

    assert path.exists()


def test_sweep_dry_run_lists_without_deleting(settings):
    path = orphan(settings, "partners/old-480.webp", hours_old=2)
    out = StringIO()

    call_command("sweep_media", "--dry-run", stdout=out)

    assert out.getvalue() == "Would delete partners/old-480.webp\n1 unreferenced files.\n"
    assert path.exists()
