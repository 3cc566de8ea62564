"""Media on object storage (MEDIA_STORAGE=s3, together/object_storage.py)
against a real S3-protocol server process: moto's, started here."""

import io
import re
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.models import Partner, PartnerKind
from stories.models import Story
from tests.stories.factories import ModeratorFactory, StoryFactory
from tests.stories.sharing import edit_data, manage_url, photo_upload, submit
from tests.together.photos import SECRET, encode
from tests.together.processes import manage
from tests.together.s3_server import (
    S3Server,
    make_s3_unreachable,
    object_bytes,
    object_names,
    use_s3_storage,
)
from together.media_sweep import sweep

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """An empty bucket, and the site's media storage in it."""
    s3_server.reset()
    use_s3_storage(settings, s3_server)
    return s3_server


def share_with_photo(client):
    submit(client, photo=photo_upload(), photo_alt_text="A red and blue flag.", photo_people_consented="on")
    return Story.objects.get()


def test_photo_upload_stores_only_its_renditions_in_the_bucket(client, bucket):
    story = share_with_photo(client)

    assert story.renditions
    assert object_names(bucket) == sorted(r.name for r in story.renditions)
    assert {name.rsplit(".", 1)[1] for name in object_names(bucket)} == {"jpeg", "webp"}


def test_renditions_in_the_bucket_carry_no_metadata(client, bucket):
    story = share_with_photo(client)

    for rendition in story.renditions:
        data = object_bytes(bucket, rendition.name)
        with Image.open(io.BytesIO(data)) as image:
            assert dict(image.getexif()) == {}
            assert "exif" not in image.info
        assert SECRET not in data


def test_story_page_img_url_serves_the_rendition_from_the_bucket(client, bucket):
    story = share_with_photo(client)
    story.publish(by=ModeratorFactory())

    html = client.get(story.get_absolute_url()).content.decode()

    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert src.startswith(f"{bucket.endpoint}/together-media/stories/")
    with urllib.request.urlopen(src, timeout=5) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.read() == object_bytes(bucket, story.photo.fallback.name)


def test_withdrawal_deletes_the_photo_objects(client, bucket, django_capture_on_commit_callbacks):
    story = share_with_photo(client)
    assert object_names(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url(story, "withdraw"))

    assert Story.objects.get().status == Story.Status.WITHDRAWN
    assert object_names(bucket) == []


def test_erasing_a_declined_story_deletes_the_photo_objects(bucket, django_capture_on_commit_callbacks):
    story = StoryFactory(with_photo=True)
    story.decline(by=ModeratorFactory(), reason_code="spam")
    assert object_names(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        assert story.erase_declined(now=story.decided_at + timedelta(days=365)) is True

    assert object_names(bucket) == []


def test_removing_the_photo_deletes_its_objects(client, bucket, django_capture_on_commit_callbacks):
    story = share_with_photo(client)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            manage_url(story, "edit"), edit_data(story, remove_photo="on", photo_people_consented=None)
        )

    assert Story.objects.get().photo_renditions == []
    assert object_names(bucket) == []


def test_withdrawal_while_the_bucket_is_unreachable_answers_and_the_sweep_erases_later(
    client, bucket, settings, closed_port, django_capture_on_commit_callbacks, caplog
):
    story = share_with_photo(client)
    reachable = settings.STORAGES
    make_s3_unreachable(settings, closed_port)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(story, "withdraw"))

    assert response.status_code == 302
    assert Story.objects.get().status == Story.Status.WITHDRAWN
    assert "Could not delete the stored image stories/" in caplog.text
    settings.STORAGES = reachable
    assert len(object_names(bucket)) == len(story.renditions)
    sweep(now=datetime.now(UTC) + timedelta(hours=2))
    assert object_names(bucket) == []


def test_sharing_while_the_bucket_is_unreachable_answers_503_with_the_text_kept(
    client, bucket, settings, closed_port, caplog
):
    make_s3_unreachable(settings, closed_port)

    response = submit(
        client, photo=photo_upload(), photo_alt_text="A red and blue flag.", photo_people_consented="on"
    )

    assert response.status_code == 503
    assert [e.code for e in response.context["form"].errors.as_data()["photo"]] == ["storage_unavailable"]
    html = response.content.decode()
    assert "We could not store your photo just now." in html
    assert "bakery on the corner" in html
    assert not Story.objects.exists()


def test_replacing_the_photo_while_the_bucket_is_unreachable_answers_503_and_keeps_the_old_one(
    client, bucket, settings, closed_port, caplog
):
    story = share_with_photo(client)
    old = story.photo_renditions
    make_s3_unreachable(settings, closed_port)

    response = client.post(manage_url(story, "edit"), edit_data(story, photo=photo_upload(), title="New"))

    assert response.status_code == 503
    assert "We could not store your photo just now." in response.content.decode()
    story.refresh_from_db()
    assert (story.title, story.photo_renditions) == ("Bread every morning", old)


def test_admin_logo_upload_while_the_bucket_is_unreachable_saves_the_rest_and_says_so(
    admin_client, bucket, settings, closed_port, caplog
):
    make_s3_unreachable(settings, closed_port)
    data = {"name": "Harbour Lights", "slug": "harbour-lights", "kind": PartnerKind.CIVIL_SOCIETY}
    data |= {"description_en": "", "website": "", "logo_alt_en": "", "position": 0}
    logo = SimpleUploadedFile("logo.png", encode(Image.new("RGB", (600, 300), "teal"), "PNG"))

    response = admin_client.post(reverse("admin:campaigns_partner_add"), {**data, "logo": logo}, follow=True)

    assert response.status_code == 200
    assert "The image could not be stored just now, so it was not changed." in response.content.decode()
    assert Partner.objects.get().logo_renditions == []


def test_media_storage_s3_setting_uses_the_bucket_and_allows_its_origin_for_images():
    shown = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], settings.SECURE_CSP['img-src'][-1])",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="together-media",
        AWS_S3_ENDPOINT_URL="https://objects.together.example:9000",
    )

    assert shown.stdout.split() == ["storages.backends.s3.S3Storage", "https://objects.together.example:9000"]


def test_media_storage_of_unknown_kind_is_refused_at_start():
    shown = manage("check", MEDIA_STORAGE="ftp")

    assert shown.returncode == 1
    assert "MEDIA_STORAGE must be 'filesystem' or 's3', not 'ftp'." in shown.stderr
