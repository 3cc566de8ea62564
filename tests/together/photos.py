"""Photos made for tests: what phones write (metadata), noise that compresses
badly, headers that lie about their size."""

import io
import random
import struct
import zlib

from PIL import ExifTags, Image

RED = (255, 0, 0)
BLUE = (0, 0, 255)
SECRET = b"Maria-Ahmadi-secret-marker"


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def red_left_blue_right(size=(40, 20)):
    """An RGB image whose left half is red and right half blue, to see rotations."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def noisy(size, mode="RGB", seed=0):
    """An image of random pixels, which compresses badly like a real photo."""
    return Image.frombytes(mode, size, random.Random(seed).randbytes(size[0] * size[1] * len(mode)))


def header_only_png(width, height):
    """A PNG whose header declares width x height but which holds no pixel data.

    Decoding it fails, so rejecting it as too large proves the size was judged
    from the header alone.
    """

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def gps_photo():
    """A 40x20 JPEG as a phone would write it: GPS position, camera, XMP, comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = SECRET.decode()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>' + SECRET + b"</rdf:Description></x:xmpmeta>"
    )
    return encode(red_left_blue_right(), "JPEG", quality=95, exif=exif, xmp=xmp, comment=SECRET)
