from pathlib import Path

import pytest
from PIL import Image

from together.images import Rendition, StoredImage


def jpegs_and_webps(*widths):
    return [
        {"width": width, "height": width // 2, "fmt": fmt, "name": f"stories/t-{width}.{fmt}"}
        for width in widths
        for fmt in ("webp", "jpeg")
    ]


def files_of(image, settings):
    return [Path(settings.MEDIA_ROOT, rendition.name) for rendition in image]


def test_the_fallback_is_the_widest_jpeg_up_to_the_fallback_width():
    image = StoredImage(jpegs_and_webps(1600, 480, 960), fallback_width=960)

    assert image.fallback == Rendition(960, 480, "jpeg", "stories/t-960.jpeg")


def test_without_a_fallback_width_the_fallback_is_the_widest_jpeg():
    image = StoredImage(jpegs_and_webps(480, 960, 1600))

    assert image.fallback == Rendition(1600, 800, "jpeg", "stories/t-1600.jpeg")


def test_when_no_jpeg_is_narrow_enough_the_fallback_is_the_narrowest():
    image = StoredImage(jpegs_and_webps(960, 1600), fallback_width=480)

    assert image.fallback == Rendition(960, 480, "jpeg", "stories/t-960.jpeg")


def test_the_largest_jpeg_ignores_the_fallback_width():
    image = StoredImage(jpegs_and_webps(480, 960), fallback_width=480)

    assert image.largest == Rendition(960, 480, "jpeg", "stories/t-960.jpeg")


def test_an_image_without_renditions_is_false_and_has_no_url():
    image = StoredImage([])

    assert (bool(image), image.fallback, image.url, image.webp_srcset) == (False, None, "", "")


def test_the_url_is_the_fallbacks():
    image = StoredImage(jpegs_and_webps(480, 960), fallback_width=480)

    assert image.url == "/media/stories/t-480.jpeg"


def test_srcsets_list_one_format_each_by_width():
    image = StoredImage(jpegs_and_webps(960, 480))

    assert (image.webp_srcset, image.jpeg_srcset) == (
        "/media/stories/t-480.webp 480w, /media/stories/t-960.webp 960w",
        "/media/stories/t-480.jpeg 480w, /media/stories/t-960.jpeg 960w",
    )


def test_as_json_gives_back_what_the_field_stored():
    stored = jpegs_and_webps(480, 960)

    assert StoredImage(stored).as_json() == sorted(stored, key=lambda item: (item["width"], item["fmt"]))


@pytest.mark.django_db
def test_replace_with_deletes_the_old_files_once_the_new_are_saved(
    settings, django_capture_on_commit_callbacks
):
    old = StoredImage.save(Image.new("RGB", (600, 300)), prefix="partners")
    saved = []

    with django_capture_on_commit_callbacks(execute=True):
        new = old.replace_with(Image.new("RGB", (500, 250)), prefix="partners", save=saved.append)
        assert all(path.exists() for path in files_of(old, settings))

    assert (saved, [path.exists() for path in files_of(old, settings)]) == ([new], [False, False])
    assert all(path.exists() for path in files_of(new, settings))


@pytest.mark.django_db
def test_replace_with_keeps_the_old_files_and_deletes_the_new_when_saving_fails(settings):
    old = StoredImage.save(Image.new("RGB", (600, 300)), prefix="partners")
    written = []

    def fail(new):
        written.extend(files_of(new, settings))
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError):
        old.replace_with(Image.new("RGB", (500, 250)), prefix="partners", save=fail)

    assert all(path.exists() for path in files_of(old, settings))
    assert written
    assert not any(path.exists() for path in written)
