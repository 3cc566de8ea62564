import contextlib
import io
import random
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from tests.together.photos import (
    BLUE,
    SECRET,
    encode,
    gps_photo,
    header_only_png,
    noisy,
    red_left_blue_right,
)
from together.images import (
    Rendition,
    clean_upload,
    delete_renditions,
    save_renditions,
    srcset,
    strip_and_encode,
)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def rejection_code(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload(data, name))
    return excinfo.value.code


def stored(rendition):
    with default_storage.open(rendition.name) as file:
        return file.read()


def test_gps_photo_fixture_carries_the_metadata_under_test():
    with Image.open(io.BytesIO(gps_photo())) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert source.getexif()[ExifTags.Base.Orientation] == 6
        assert SECRET in source.info["xmp"]
        assert source.info["comment"] == SECRET


def test_renditions_of_gps_photo_have_no_exif_xmp_or_comment():
    renditions = save_renditions(clean_upload(upload(gps_photo())), prefix="stories")

    for rendition in renditions:
        with Image.open(io.BytesIO(stored(rendition))) as result:
            assert "exif" not in result.info
            assert dict(result.getexif()) == {}
            assert "xmp" not in result.info
            assert "comment" not in result.info
            assert "icc_profile" not in result.info


def test_renditions_of_gps_photo_contain_no_metadata_bytes():
    renditions = save_renditions(clean_upload(upload(gps_photo())), prefix="stories")

    for rendition in renditions:
        data = stored(rendition)
        assert SECRET not in data
        assert b"Exif" not in data
        assert b"GPS" not in data


def test_clean_upload_applies_exif_orientation():
    image = clean_upload(upload(gps_photo()))

    assert image.size == (20, 40)
    assert image.getpixel((10, 5))[0] > 200  # the red half is now on top
    assert image.getpixel((10, 35))[2] > 200  # and the blue half at the bottom


def test_renditions_of_rotated_photo_are_portrait():
    renditions = save_renditions(clean_upload(upload(gps_photo())), prefix="stories")

    assert [(r.width, r.height, r.fmt) for r in renditions] == [(20, 40, "jpeg"), (20, 40, "webp")]


def test_clean_upload_returns_image_without_info():
    assert clean_upload(upload(gps_photo())).info == {}


def test_strip_and_encode_drops_comment_left_in_image_info():
    image = Image.new("RGB", (8, 8))
    image.info["comment"] = SECRET  # Pillow's JPEG encoder would copy this

    data = strip_and_encode(image, fmt="jpeg")

    assert SECRET not in data


def test_renditions_of_polyglot_do_not_contain_appended_payload():
    polyglot = encode(noisy((64, 64)), "JPEG") + b"<html><script>alert(1)</script></html>"

    renditions = save_renditions(clean_upload(upload(polyglot)), prefix="stories")

    assert all(b"<script>" not in stored(r) for r in renditions)


@pytest.mark.parametrize("size", [(8000, 6000), (10000, 10000), (20000, 20000)])
def test_clean_upload_rejects_too_many_pixels_before_decoding(size):
    # 48 Mpx is over our limit only; 100 Mpx makes Pillow warn; 400 Mpx makes it raise.
    assert rejection_code(header_only_png(*size), "bomb.png") == "too_many_pixels"


def test_clean_upload_rejects_decompression_bomb_png():
    # 48 megapixels that would decode to 144 MB of RGB, in a file of a few KB.
    bomb = encode(Image.new("1", (8000, 6000)), "PNG")
    assert len(bomb) < 50_000

    assert rejection_code(bomb, "bomb.png") == "too_many_pixels"


def test_clean_upload_pixel_limit_follows_setting(settings):
    settings.IMAGE_MAX_PIXELS = 100

    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload(encode(Image.new("RGB", (11, 10)), "PNG")))

    assert excinfo.value.messages == ["The image has too many pixels. It can have at most 0.0001 megapixels."]


def test_clean_upload_accepts_image_at_pixel_limit(settings):
    settings.IMAGE_MAX_PIXELS = 100

    assert clean_upload(upload(encode(Image.new("RGB", (10, 10)), "PNG"))).size == (10, 10)


@pytest.mark.parametrize("size", [(1, 39_000_000), (39_000_000, 1), (12_001, 2)])
def test_clean_upload_rejects_side_over_limit_before_decoding(size):
    # Under the pixel limit, but 39 million pixels in a row took 2 GB to decode.
    assert rejection_code(header_only_png(*size), "long.png") == "side_too_long"


def test_clean_upload_side_limit_follows_setting(settings):
    settings.IMAGE_MAX_SIDE = 10

    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload(encode(Image.new("RGB", (1, 11)), "PNG")))

    assert excinfo.value.messages == [
        "The image is too long or too wide. Each side can have at most 10 pixels."
    ]


def test_clean_upload_accepts_image_at_side_limit(settings):
    settings.IMAGE_MAX_SIDE = 10

    assert clean_upload(upload(encode(Image.new("RGB", (10, 1)), "PNG"))).size == (10, 1)


def test_clean_upload_rejects_truncated_jpeg():
    data = encode(noisy((200, 200)), "JPEG")

    assert rejection_code(data[: len(data) // 2]) == "corrupt"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9"/></svg>',
        b"just some text",
        b"",
    ],
    ids=["html", "svg", "text", "empty"],
)
def test_clean_upload_rejects_non_image_named_jpg(data):
    assert rejection_code(data, "photo.jpg") == "not_an_image"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_clean_upload_rejects_other_image_formats(fmt):
    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload(encode(Image.new("RGB", (10, 10)), fmt), "photo.jpg"))

    assert excinfo.value.code == "unsupported_format"
    assert excinfo.value.messages == [
        "This image format is not supported. Accepted formats: JPEG, PNG, WEBP."
    ]


def test_clean_upload_judges_content_not_name():
    data = encode(Image.new("RGB", (10, 10)), "PNG")

    assert clean_upload(upload(data, "photo.gif", "text/html")).size == (10, 10)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_upload_accepts_allowed_formats(fmt):
    data = encode(red_left_blue_right(), fmt)

    image = clean_upload(upload(data))

    assert (image.size, image.mode) == ((40, 20), "RGB")


def test_clean_upload_accepts_multi_picture_jpeg():
    # Many phone cameras add extra frames to a JPEG; Pillow calls that MPO.
    data = encode(red_left_blue_right(), "MPO", save_all=True, append_images=[Image.new("RGB", (40, 20))])
    with Image.open(io.BytesIO(data)) as source:
        assert source.format == "MPO"

    assert clean_upload(upload(data)).getpixel((5, 5))[0] > 200


def test_clean_upload_rejects_file_over_byte_limit(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    data = encode(noisy((100, 100)), "PNG")

    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload(data))

    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages == ["The file is too large. Images can be at most 1000\xa0bytes."]


def test_clean_upload_states_default_byte_limit_in_mb():
    upload_file = upload(b"x" * (15 * 1024 * 1024 + 1))

    with pytest.raises(ValidationError) as excinfo:
        clean_upload(upload_file)

    assert excinfo.value.messages == ["The file is too large. Images can be at most 15.0\xa0MB."]


def test_clean_upload_accepts_file_at_byte_limit(settings):
    data = encode(Image.new("RGB", (10, 10)), "PNG")
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)

    assert clean_upload(upload(data)).size == (10, 10)


def test_clean_upload_keeps_alpha_of_png():
    image = clean_upload(upload(encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG")))

    assert image.mode == "RGBA"


def test_clean_upload_keeps_transparency_of_palette_png():
    palette_image = Image.new("P", (10, 10))
    data = encode(palette_image, "PNG", transparency=0)

    assert clean_upload(upload(data)).getpixel((0, 0))[3] == 0


def test_jpeg_rendition_of_transparent_png_is_flattened_onto_white():
    image = clean_upload(upload(encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG")))

    with Image.open(io.BytesIO(strip_and_encode(image, fmt="jpeg"))) as result:
        assert result.mode == "RGB"
        assert result.getpixel((5, 5)) == (255, 255, 255)


def test_webp_rendition_of_transparent_png_keeps_alpha():
    image = clean_upload(upload(encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG")))

    with Image.open(io.BytesIO(strip_and_encode(image, fmt="webp"))) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((5, 5))[3] == 0


def test_clean_upload_scales_16_bit_greyscale_instead_of_clipping():
    data = encode(Image.new("I;16", (10, 10), 257 * 100), "PNG")

    assert clean_upload(upload(data)).getpixel((0, 0)) == (100, 100, 100)


def test_clean_upload_raises_only_validation_error_for_mangled_bytes():
    rng = random.Random(1234)
    originals = [encode(noisy((48, 32), seed=1), fmt) for fmt in ("JPEG", "PNG", "WEBP")]
    for original in originals:
        for _ in range(300):
            data = bytearray(original[: rng.randrange(1, len(original) + 1)])
            for _ in range(rng.randrange(4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            with contextlib.suppress(ValidationError):
                clean_upload(upload(bytes(data)))


def damaged_exif_jpeg():
    """A JPEG with readable pixels whose EXIF block is cut short, so Pillow warns."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "x" * 50
    return encode(Image.new("RGB", (40, 20)), "JPEG", exif=exif.tobytes()[:-30])


@pytest.mark.filterwarnings("error")
def test_clean_upload_turns_pillow_warning_into_rejection_when_warnings_are_errors():
    assert rejection_code(damaged_exif_jpeg()) == "corrupt"


@pytest.mark.filterwarnings("ignore")
def test_clean_upload_accepts_damaged_exif_when_warnings_are_not_errors():
    assert clean_upload(upload(damaged_exif_jpeg())).size == (40, 20)


def test_strip_and_encode_scales_to_width_keeping_aspect_ratio():
    data = strip_and_encode(Image.new("RGB", (1000, 500)), fmt="webp", width=480)

    with Image.open(io.BytesIO(data)) as result:
        assert (result.format, result.size) == ("WEBP", (480, 240))


def test_strip_and_encode_never_upscales():
    data = strip_and_encode(Image.new("RGB", (300, 200)), fmt="jpeg", width=960)

    with Image.open(io.BytesIO(data)) as result:
        assert (result.format, result.size) == ("JPEG", (300, 200))


def test_strip_and_encode_writes_progressive_jpeg():
    with Image.open(io.BytesIO(strip_and_encode(noisy((64, 64)), fmt="jpeg"))) as result:
        assert result.info["progressive"] == 1


def test_strip_and_encode_rejects_unknown_format():
    with pytest.raises(ValueError, match="Unsupported rendition format"):
        strip_and_encode(Image.new("RGB", (8, 8)), fmt="gif")


def test_save_renditions_makes_every_width_up_to_source_width():
    renditions = save_renditions(Image.new("RGB", (1000, 500)), prefix="stories")

    assert [(r.width, r.height, r.fmt) for r in renditions] == [
        (480, 240, "jpeg"),
        (480, 240, "webp"),
        (960, 480, "jpeg"),
        (960, 480, "webp"),
    ]


def test_save_renditions_makes_all_widths_for_large_image():
    renditions = save_renditions(Image.new("RGB", (2000, 1000)), prefix="stories")

    assert sorted({r.width for r in renditions}) == [480, 960, 1600]


def test_save_renditions_stores_files_of_stated_size():
    for rendition in save_renditions(Image.new("RGB", (1000, 500)), prefix="stories"):
        with Image.open(io.BytesIO(stored(rendition))) as result:
            assert result.size == (rendition.width, rendition.height)
            assert result.format == rendition.fmt.upper()


def test_save_renditions_of_image_over_twice_the_largest_width_stores_files_of_stated_size():
    # 4000 x 2250 is reduced by 2 before resampling (reduce() where JPEG has draft mode).
    renditions = save_renditions(noisy((4000, 2250)), prefix="stories")

    webp_sizes = [(r.width, r.height) for r in renditions if r.fmt == "webp"]
    assert webp_sizes == [(480, 270), (960, 540), (1600, 900)]
    for rendition in renditions:
        with Image.open(io.BytesIO(stored(rendition))) as result:
            assert result.size == (rendition.width, rendition.height)


def test_save_renditions_of_narrow_image_uses_its_own_width():
    renditions = save_renditions(Image.new("RGB", (300, 200)), prefix="logos")

    assert [(r.width, r.height) for r in renditions] == [(300, 200), (300, 200)]


def test_save_renditions_caps_height_of_very_tall_image():
    renditions = save_renditions(Image.new("RGB", (100, 20000)), prefix="stories")

    assert [(r.width, r.height) for r in renditions] == [(82, 16383), (82, 16383)]


def test_save_renditions_names_do_not_contain_upload_filename():
    image = clean_upload(upload(gps_photo(), "Maria Ahmadi Lesbos camp.jpg"))

    names = [r.name for r in save_renditions(image, prefix="stories")]

    assert all(name.startswith("stories/") for name in names)
    assert not any("maria" in name.lower() or "lesbos" in name.lower() for name in names)


def test_save_renditions_uses_one_fresh_token_per_image():
    image = Image.new("RGB", (1000, 500))

    first = {Path(r.name).name.rsplit("-", 1)[0] for r in save_renditions(image, prefix="stories")}
    second = {Path(r.name).name.rsplit("-", 1)[0] for r in save_renditions(image, prefix="stories")}

    assert len(first) == 1
    assert len(second) == 1
    assert first != second
    assert len(first.pop()) >= 21  # secrets.token_urlsafe(16)


def test_save_renditions_writes_to_given_storage(tmp_path):

    storage = FileSystemStorage(location=tmp_path / "other")

    renditions = save_renditions(Image.new("RGB", (300, 200)), prefix="logos", storage=storage)

    assert all((tmp_path / "other" / r.name).is_file() for r in renditions)


class FailingStorage(FileSystemStorage):
    """Stores two files, then fails like a full disk."""

    def _save(self, name, content):
        if len(list(Path(self.location).rglob("*.*"))) == 2:
            raise OSError("No space left on device")
        return super()._save(name, content)


def test_save_renditions_removes_written_files_when_storing_fails(tmp_path):
    storage = FailingStorage(location=tmp_path / "full")

    with pytest.raises(OSError, match="No space left"):
        save_renditions(Image.new("RGB", (1000, 500)), prefix="stories", storage=storage)

    assert list((tmp_path / "full").rglob("*.*")) == []


def test_delete_renditions_removes_files_from_disk(settings):
    renditions = save_renditions(Image.new("RGB", (1000, 500)), prefix="stories")
    paths = [Path(settings.MEDIA_ROOT) / r.name for r in renditions]
    assert all(path.is_file() for path in paths)

    delete_renditions(renditions)

    assert not any(path.exists() for path in paths)


def test_delete_renditions_accepts_names_and_ignores_missing_files(settings):
    renditions = save_renditions(Image.new("RGB", (300, 200)), prefix="stories")
    names = [r.name for r in renditions]

    delete_renditions(names)
    delete_renditions([*names, "stories/never-existed-480.webp"])

    assert not any((Path(settings.MEDIA_ROOT) / name).exists() for name in names)


def test_srcset_lists_one_format_by_width():
    renditions = [
        Rendition(960, 480, "webp", "stories/t-960.webp"),
        Rendition(480, 240, "jpeg", "stories/t-480.jpeg"),
        Rendition(480, 240, "webp", "stories/t-480.webp"),
    ]

    assert srcset(renditions, "webp") == "/media/stories/t-480.webp 480w, /media/stories/t-960.webp 960w"


def large_jpeg(size, orientation=None):
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return encode(Image.new("RGB", size, BLUE), "JPEG", exif=exif)


def test_clean_upload_decodes_large_jpeg_at_reduced_scale_still_wider_than_renditions():
    # 4000 / 2 = 2000 is the smallest power-of-two reduction at least 1600 wide.
    assert clean_upload(upload(large_jpeg((4000, 3000)))).size == (2000, 1500)


def test_clean_upload_reduced_scale_counts_width_after_orientation():
    # Turned a quarter, the 3000-pixel side becomes the width: no reduction fits.
    assert clean_upload(upload(large_jpeg((4000, 3000), orientation=6))).size == (3000, 4000)


def test_clean_upload_keeps_png_full_size():
    assert clean_upload(upload(encode(Image.new("RGB", (4000, 3000)), "PNG"))).size == (4000, 3000)
