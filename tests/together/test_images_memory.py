"""What one photo costs a worker, measured in a fresh process (issue 10).

Each test writes a photo to disk and has tests/together/image_memory.py send
it with the sharing form in a child process, which reports the growth of its
peak resident memory: the pytest process has run other tests, so its own peak
says nothing."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MB = 1024  # ru_maxrss is in KiB on Linux


def measure(tmp_path, data):
    photo = tmp_path / "photo"
    photo.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "tests.together.image_memory", str(photo), str(tmp_path / "media")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def test_long_thin_png_is_refused_from_its_header_without_memory_growth(tmp_path):
    # 39 megapixels, under the pixel limit, in 80 KB: it took 2 GB to decode.
    long_png = encode(Image.new("L", (1, 39_000_000)), "PNG")
    assert len(long_png) < 100_000

    outcome = measure(tmp_path, long_png)

    assert outcome["photo_errors"] == ["side_too_long"]
    assert outcome["growth_kib"] < 50 * MB


def test_twelve_megapixel_phone_photo_is_processed_within_300_mb(tmp_path):
    photo = encode(Image.effect_noise((4000, 3000), 64).convert("RGB"), "JPEG", quality=90)

    outcome = measure(tmp_path, photo)

    assert (outcome["photo_errors"], outcome["renditions"]) == ([], 6)
    assert outcome["growth_kib"] < 300 * MB
