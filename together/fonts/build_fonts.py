"""Make the bundled fonts of the share images (see README.md). Not run by the site.

apt-get download fonts-noto-core fonts-noto-cjk
for f in *.deb; do dpkg-deb -x "$f" x; done
python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
/tmp/ft/bin/python together/fonts/build_fonts.py x/usr/share/fonts together/fonts
"""

import contextlib
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTCollection, TTFont


def code_points(*ranges):
    return [code for first, last in ranges for code in range(first, last + 1)]


LATIN_GREEK_CYRILLIC = code_points(
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF),
)  # fmt: skip
ARABIC = code_points(
    (0x20, 0x40), (0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
    (0x200C, 0x200F), (0x2010, 0x2027),
)  # fmt: skip
CJK_EXTRAS = code_points((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x30FF), (0xFF00, 0xFFEF))


def gb2312():
    """The 6,763 hanzi (and symbols) of GB 2312, from Python's codec."""
    characters = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                characters.add(ord(bytes([high, low]).decode("gb2312")))
    return characters


def save_subset(font, unicodes, path, features=("*",)):
    options = subset.Options()
    options.layout_features = list(features)
    options.name_IDs = ["*"]
    options.notdef_outline = True  # a missing character shows as a box, never as nothing
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(path)


def main(source, target):
    source, target = Path(source), Path(target)
    noto = source / "truetype/noto"
    with tempfile.TemporaryDirectory() as work:
        latin, arabic = f"{work}/latin.ttf", f"{work}/arabic.ttf"
        save_subset(TTFont(noto / "NotoSans-Bold.ttf"), LATIN_GREEK_CYRILLIC, latin)
        save_subset(TTFont(noto / "NotoSansArabic-Bold.ttf"), ARABIC, arabic)
        Merger().merge([latin, arabic]).save(target / "TogetherCardSans-Bold.ttf")
    chinese = TTCollection(source / "opentype/noto/NotoSansCJK-Bold.ttc").fonts[2]  # SC
    save_subset(
        chinese,
        sorted(gb2312() | set(CJK_EXTRAS)),
        target / "NotoSansSC-Bold-subset.otf",
        features=("kern", "palt", "locl", "ccmp", "liga"),
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
