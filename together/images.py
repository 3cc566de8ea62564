"""Validation and sanitising of user-uploaded raster images.

Story photos, campaign hero images and partner logos all pass through this
module, and nothing else in the project should open an uploaded image. The
guarantees it gives:

* An upload is judged by its content, never by its name or declared type.
* Any byte sequence either yields a clean image or a ``ValidationError`` with a
  translated message and a stable ``code``; it never raises anything else,
  because it sits behind public forms and a crash would be a 500.
* Decompression bombs are rejected from the header, before pixels are decoded:
  too many pixels, or a side too long (a PNG one pixel wide and 39 million
  long is 80 KB but would take gigabytes to decode and scale).
* Decoding takes bounded memory: a JPEG decodes at a reduced scale (libjpeg's
  draft mode) when that still covers the largest rendition, and no full-size
  copy of the pixels is made besides a change of mode.
* What gets stored is re-encoded pixel data only. Storytellers may be refugees,
  and EXIF GPS coordinates, camera serial numbers, XMP or comments in a photo
  could put them in danger, so no metadata of the original survives. Callers
  must store the renditions produced here and never the uploaded file itself.

What is stored has one shape, :class:`StoredImage` (the renditions of one
image, kept by its model in a ``JSONField``): the story photo, the campaign
hero image and the partner logo read their srcsets, fallback and URL from it
and replace or delete their files through it.

Every file is written, named and deleted through the storage API, never a
path: the renditions live in MEDIA_ROOT or in a bucket (MEDIA_STORAGE=s3,
together/object_storage.py) alike. A file no row names any more (a deletion
that failed, a crash between writing and saving) is deleted by
``manage.py sweep_media`` (together/media_sweep.py).
"""

import io
import logging
import secrets
from dataclasses import asdict, dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Longer than any camera or panorama a person would share; a stitched panorama
# of a phone is about 10,000 pixels wide.
MAX_SIDE = 12_000
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = ("jpeg", "webp")
# libwebp's effort setting (0 fastest .. 6 smallest; Pillow's default is 4).
# Measured on a 1600-pixel rendition of a phone photo: method 2 encodes about
# 2.4 times faster than 4 for a file about 1% larger, and WebP encoding was
# two thirds of the time of processing an upload.
WEBP_METHOD = 2

# Pillow reports JPEGs that carry extra "multi-picture" frames (written by many
# phone cameras) as MPO. They are ordinary JPEGs to the person uploading them.
_FORMAT_ALIASES = {"MPO": "JPEG"}

# WebP cannot encode a side longer than this. Rendition widths stay far below
# it; heights are capped to it (for JPEG too, so both formats of a rendition
# have the same size) so that very tall images, like scrolling screenshots,
# still encode.
_MAX_RENDITION_SIDE = 16383


def clean_upload(uploaded_file):
    """Validate an uploaded file by its content and return a safe, decoded image.

    ``uploaded_file`` is a Django ``UploadedFile`` (or any file object with
    ``seek`` and ``read``). Raises ``ValidationError`` with one of the codes:

    ``too_large``
        More bytes than ``settings.IMAGE_MAX_UPLOAD_BYTES``. Counted by
        reading, so a wrong declared size does not matter.
    ``not_an_image``
        Pillow cannot identify it (HTML or text renamed to .jpg, SVG, ...).
    ``unsupported_format``
        A real image, but not JPEG, PNG or WebP.
    ``too_many_pixels``
        More than ``settings.IMAGE_MAX_PIXELS`` pixels according to the header;
        checked before any pixel data is decoded, so a decompression bomb never
        gets to allocate memory.
    ``side_too_long``
        A side longer than ``settings.IMAGE_MAX_SIDE`` pixels according to the
        header, also checked before decoding.
    ``corrupt``
        The file is truncated or cannot be decoded.

    The returned image is fully loaded and detached from the upload, has its
    EXIF orientation applied, and is in mode RGB, or RGBA if the original had
    transparency. Its ``info`` is emptied so no metadata travels with it.
    """
    data = _read_within_limit(uploaded_file)
    image = _open(data)
    try:
        _check_format_and_dimensions(image)
        return _decode(image)
    except BaseException:
        image.close()
        raise


def strip_and_encode(image, *, fmt, width=None, quality=82):
    """Encode only the pixels of ``image`` as WebP or JPEG and return the bytes.

    ``image`` is an RGB or RGBA image as returned by ``clean_upload``.
    ``fmt`` is ``"webp"`` or ``"jpeg"`` (any case). With ``width`` the image is
    scaled down to that width, keeping its aspect ratio (it is never scaled up).
    The output is built from a brand-new image rather than from ``image``
    itself because Pillow's encoders copy some of ``image.info`` (e.g. the JPEG
    comment) into the file; a fresh image has nothing to leak. JPEG cannot store
    transparency, so for JPEG any alpha channel is flattened onto white.
    """
    fmt = fmt.lower()
    if fmt not in RENDITION_FORMATS:
        raise ValueError(f"Unsupported rendition format: {fmt!r}")
    image = _resize(image, _rendition_size(image.size, width))

    has_alpha = image.mode == "RGBA"
    if fmt == "jpeg" or not has_alpha:
        clean = Image.new("RGB", image.size, "white")
        clean.paste(image, mask=image.getchannel("A") if has_alpha else None)
    else:
        clean = Image.new("RGBA", image.size)
        clean.paste(image)

    buffer = io.BytesIO()
    if fmt == "jpeg":
        clean.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        clean.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)
    return buffer.getvalue()


@dataclass(frozen=True)
class Rendition:
    """One stored, metadata-free encoding of an image.

    ``width`` and ``height`` are the actual pixel size of the file, ``fmt`` is
    ``"webp"`` or ``"jpeg"`` and ``name`` is the storage path.
    """

    width: int
    height: int
    fmt: str
    name: str

    @property
    def url(self):
        return default_storage.url(self.name)


class StoredImage:
    """An image as the site keeps it: its renditions, never the upload.

    The one shape of the story photo, the campaign hero image and the partner
    logo. A model keeps the renditions in a ``JSONField`` (a list of
    ``{"width", "height", "fmt", "name"}``, written by :meth:`as_json`) and
    hands out a ``StoredImage`` of it, which templates read: ``webp_srcset``
    and ``jpeg_srcset`` for ``<source>`` and ``<img srcset>``, ``fallback``
    (and its ``url``) for ``<img src>``, ``width`` and ``height``.

    ``fallback_width`` is the one rule for the fallback: the widest JPEG not
    wider than it (``None``: the widest of all), or the narrowest JPEG when
    none is narrow enough. Iterating yields the renditions, narrowest first;
    an image without renditions is false.
    """

    def __init__(self, renditions=(), *, fallback_width=None):
        self.renditions = tuple(
            sorted(
                (item if isinstance(item, Rendition) else Rendition(**item) for item in renditions),
                key=lambda r: (r.width, r.fmt),
            )
        )
        self.fallback_width = fallback_width

    @classmethod
    def save(cls, image, *, prefix, fallback_width=None):
        """Store the renditions of a cleaned ``image`` (see :func:`save_renditions`)."""
        return cls(save_renditions(image, prefix=prefix), fallback_width=fallback_width)

    def as_json(self):
        """The renditions as the model's ``JSONField`` stores them."""
        return [asdict(rendition) for rendition in self.renditions]

    def __iter__(self):
        return iter(self.renditions)

    def __bool__(self):
        return bool(self.renditions)

    def __eq__(self, other):
        return isinstance(other, StoredImage) and self.renditions == other.renditions

    __hash__ = None

    def __repr__(self):
        return f"<StoredImage {[r.name for r in self.renditions]}>"

    def srcset(self, fmt):
        return srcset(self.renditions, fmt)

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def jpeg_srcset(self):
        return self.srcset("jpeg")

    def jpeg_up_to(self, max_width=None):
        """The widest JPEG rendition not wider than ``max_width`` (any width
        when None), else the narrowest one; None without JPEG renditions."""
        jpegs = [r for r in self.renditions if r.fmt == "jpeg"]
        if not jpegs:
            return None
        fitting = [r for r in jpegs if max_width is None or r.width <= max_width]
        return fitting[-1] if fitting else jpegs[0]

    @property
    def fallback(self):
        """The JPEG for ``<img src>`` (browsers that ignore srcset)."""
        return self.jpeg_up_to(self.fallback_width)

    @property
    def largest(self):
        """The widest JPEG, for link previews (Open Graph)."""
        return self.jpeg_up_to(None)

    @property
    def url(self):
        """The fallback's URL, or "" without an image."""
        fallback = self.fallback
        return fallback.url if fallback else ""

    def replace_with(self, image, *, prefix, save):
        """Store the renditions of the cleaned ``image`` and return them as a
        new ``StoredImage``. ``save(new)`` writes them to the model's row;
        if it fails the new files are deleted at once, else this image's
        files are deleted once the transaction commits, so a rollback leaves
        the old image intact."""
        new = StoredImage.save(image, prefix=prefix, fallback_width=self.fallback_width)
        try:
            save(new)
        except BaseException:
            new.delete()
            raise
        self.delete_on_commit()
        return new

    def delete(self):
        """Delete the files now (files already gone are ignored)."""
        delete_renditions(self.renditions)

    def delete_on_commit(self):
        """Delete the files once the current transaction commits (at once outside one)."""
        transaction.on_commit(partial(delete_renditions, self.renditions))


class OwnsStoredImage:
    """A model mixin (listed before ``models.Model``): ``stored_image`` names
    the :class:`StoredImage` property whose renditions belong to this row
    alone. They go when it does, once the transaction commits (a rollback
    keeps both)."""

    stored_image = None

    def delete(self, *args, **kwargs):
        previous = getattr(self, self.stored_image)
        result = super().delete(*args, **kwargs)
        previous.delete_on_commit()
        return result


class StorageUnavailable(OSError):
    """The storage could not take the renditions (object storage unreachable,
    disk full). Nothing of the image was kept; the form says to try again
    (``message``, translated) and keeps what the person wrote; the admin
    saves the rest and says the image was not changed (``admin_message``)."""

    def __init__(self, cause):
        super().__init__(f"The media storage failed: {cause}")
        self.message = _(
            "We could not store your photo just now. Please try again in a few minutes, "
            "or send your story without the photo."
        )
        self.admin_message = _(
            "The image could not be stored just now, so it was not changed. "
            "Please upload it again in a few minutes."
        )


def save_renditions(image, *, prefix, storage=None):
    """Store a WebP and a JPEG of ``image`` at each width in ``RENDITION_WIDTHS``.

    Only widths up to the image's own width are produced; an image narrower
    than the smallest width gets a single size, its own. Files are named
    ``<prefix>/<token>-<width>.<ext>`` with one random token per image, so the
    stored name reveals nothing about the uploaded file (its name may hold a
    person's name) and cannot be guessed from another image's URLs.

    Uses ``default_storage`` unless ``storage`` is given. If storing fails
    part-way, the files already written are deleted and
    :class:`StorageUnavailable` is raised (the storage's own error logged and
    chained). Returns the renditions sorted by width, then format.
    """
    storage = storage or default_storage
    token = secrets.token_urlsafe(16)
    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [image.width]
    # Capping very tall images can map several widths to the same size.
    sizes = sorted({_rendition_size(image.size, w) for w in widths}, reverse=True)

    renditions = []
    source = _reduce_for(image, sizes[0])
    try:
        for width, height in sizes:
            # Scaling each size down from the previous, larger one rather than
            # from the full image roughly halves the time for a phone photo.
            source = _resize(source, (width, height))
            for fmt in RENDITION_FORMATS:
                data = strip_and_encode(source, fmt=fmt)
                name = storage.save(f"{prefix}/{token}-{width}.{fmt}", ContentFile(data))
                renditions.append(Rendition(width, height, fmt, name))
    except Exception as error:
        delete_renditions(renditions, storage=storage)
        logger.exception("Could not store the renditions of an image under %s.", prefix)
        raise StorageUnavailable(error) from error
    except BaseException:
        delete_renditions(renditions, storage=storage)
        raise
    return sorted(renditions, key=lambda r: (r.width, r.fmt))


def delete_renditions(renditions_or_names, storage=None):
    """Delete stored renditions, given as ``Rendition`` objects or storage names.

    Files that are already gone are ignored, so this is safe to call twice or
    after a partial failure.

    A storage that fails (object storage unreachable) does not stop the
    others nor raise: the caller's change (a withdrawal) is already committed
    and must not answer 500. The failure is logged, and the files left behind,
    named by no row any more, are deleted by ``manage.py sweep_media``
    (together/media_sweep.py), which cron runs.
    """
    storage = storage or default_storage
    for item in renditions_or_names:
        name = item.name if isinstance(item, Rendition) else item
        try:
            storage.delete(name)
        except FileNotFoundError:
            pass  # FileSystemStorage already ignores missing files; not every backend does.
        except Exception:
            logger.exception("Could not delete the stored image %s; sweep_media will.", name)


def srcset(renditions, fmt, storage=None):
    """Return an HTML ``srcset`` value ("<url> 480w, <url> 960w") for one format."""
    storage = storage or default_storage
    fmt = fmt.lower()
    return ", ".join(
        f"{storage.url(r.name)} {r.width}w" for r in sorted(renditions, key=lambda r: r.width) if r.fmt == fmt
    )


def _read_within_limit(uploaded_file):
    """Read the whole upload, refusing it as soon as it exceeds the byte limit."""
    max_bytes = getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too large. Images can be at most %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(max_bytes)},
        )
    return data


def _open(data):
    """Identify the image from its header without decoding any pixel data."""
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise _not_an_image() from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own, higher limits. Its warning only arrives here as an
        # exception when warnings are errors (as in the test suite); otherwise
        # Pillow just prints it and our lower limit rejects the image next.
        raise _too_many_pixels() from None
    except Exception as exc:
        # A Pillow plugin recognised the file but its header is broken. Pillow
        # raises many unrelated exception types for that (OSError, ValueError,
        # SyntaxError, struct.error, ...), and this is a public form.
        raise _corrupt() from exc


def _check_format_and_dimensions(image):
    fmt = _FORMAT_ALIASES.get(image.format, image.format)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            _("This image format is not supported. Accepted formats: %(formats)s."),
            code="unsupported_format",
            params={"formats": _accepted_formats()},
        )
    max_pixels = getattr(settings, "IMAGE_MAX_PIXELS", MAX_PIXELS)
    if image.width * image.height > max_pixels:
        raise _too_many_pixels()
    max_side = getattr(settings, "IMAGE_MAX_SIDE", MAX_SIDE)
    if max(image.size) > max_side:
        raise ValidationError(
            _("The image is too long or too wide. Each side can have at most %(pixels)s pixels."),
            code="side_too_long",
            params={"pixels": number_format(max_side, force_grouping=True)},
        )


def _decode(image):
    """Decode all pixels, apply EXIF orientation and normalise the mode.

    Once loaded, the image no longer refers to the upload (Pillow drops the
    file after loading it), so it is returned itself when its mode is already
    right: a copy would double the memory a large image takes."""
    try:
        _draft_for_renditions(image)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode.startswith("I;16"):
            # 16-bit greyscale PNG: scale to 8 bits instead of clipping to white.
            image = image.convert("I").point(lambda v: v / 257)
        mode = "RGBA" if image.has_transparency_data else "RGB"
        if image.mode != mode:
            image = image.convert(mode)
    except Exception as exc:
        # Truncated or damaged data; see _open for why this is so broad.
        raise _corrupt() from exc
    image.info = {}
    return image


def _draft_for_renditions(image):
    """Let a large JPEG decode at 1/2, 1/4 or 1/8 scale (done by libjpeg in
    the DCT, so without visible loss) as long as it stays at least as wide as
    the largest rendition once its EXIF orientation is applied. A 12-megapixel
    phone photo then decodes and scales several times faster."""
    if image.format not in {"JPEG", "MPO"}:
        return
    largest = max(RENDITION_WIDTHS)
    # Orientations 5 to 8 turn the image a quarter: its height becomes its width.
    turned = image.getexif().get(ExifTags.Base.Orientation) in {5, 6, 7, 8}
    image.draft(None, (1, largest) if turned else (largest, 1))


def _reduce_for(image, size):
    """``image`` shrunk by the largest whole factor that keeps it at least
    ``size``, by averaging blocks of pixels (Pillow's reduce(), several times
    cheaper than resampling). What draft mode does for a JPEG while decoding,
    for the other formats: a 12-megapixel PNG or WebP is then resampled from
    3 megapixels instead of 12."""
    factor = min(image.width // size[0], image.height // size[1])
    return image.reduce(factor) if factor >= 2 else image


def _resize(image, size):
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _rendition_size(size, width):
    """Size of a rendition ``width`` wide: aspect kept, never upscaled or too tall."""
    original_width, original_height = size
    scale = min(
        1.0,
        (width or original_width) / original_width,
        _MAX_RENDITION_SIDE / original_height,
    )
    if scale == 1.0:
        return size
    return (
        max(1, round(original_width * scale)),
        max(1, round(original_height * scale)),
    )


def _accepted_formats():
    return ", ".join(sorted(ALLOWED_FORMATS))


def _not_an_image():
    return ValidationError(
        _("The file is not an image we can read. Accepted formats: %(formats)s."),
        code="not_an_image",
        params={"formats": _accepted_formats()},
    )


def _too_many_pixels():
    max_pixels = getattr(settings, "IMAGE_MAX_PIXELS", MAX_PIXELS)
    return ValidationError(
        _("The image has too many pixels. It can have at most %(megapixels)s megapixels."),
        code="too_many_pixels",
        params={"megapixels": f"{max_pixels / 1_000_000:g}"},
    )


def _corrupt():
    return ValidationError(
        _("The image file is damaged or incomplete. Please try uploading it again."),
        code="corrupt",
    )
