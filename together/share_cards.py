"""Share cards: what a link to a page shows on social networks and in chats.

A page that can be shared puts a :class:`ShareCard` in its context and
includes ``together/includes/share_card.html`` in its ``head`` block (Open
Graph and Twitter card tags). The card's image is drawn here, on the server,
with Pillow: a 1200 by 630 PNG, the page's title, one line of detail (a campaign's
counter, an event's or a release's date) and the site's name.

Invariants:

* A card is exactly its title, detail, language and :data:`LAYOUT_VERSION`;
  its ``digest`` hashes them. The image's URL carries the digest
  (``?v=<digest>``), so when the counter or the title changes the URL changes
  and social networks fetch the new image; an image for an unchanged digest is
  drawn once and then read from the cache (``cache`` key ``share-card:<digest>``)
  and answered with a year-long ``Cache-Control: immutable``.
* Only the bundled fonts are used (``together/fonts``, subsets of Noto Sans,
  Noto Sans Arabic and Noto Sans CJK SC): the image is the same on every machine.
* Right-to-left text is shaped and ordered by libraqm (Pillow's "raqm"
  feature). Where Pillow lacks it, right-to-left text is left off the image
  rather than drawn with its letters unjoined and reversed; so is text in a
  script the bundled fonts lack (never a row of boxes).
* Drawing a card takes 40 to 70 ms on a shared 2-core machine (fonts loaded
  once per process; ``tests/together/test_share_cards.py`` keeps it well under
  a second). Nothing is drawn for the page itself, only when the image is
  asked for, and then once per digest.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language, get_language_bidi, pgettext
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

# Bump when the drawing changes, so every card gets a new URL and image.
LAYOUT_VERSION = 1
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BAND_TOP = HEIGHT - 136  # the band holding the site's name
TITLE_SIZES = (84, 76, 68, 60, 54, 48, 42)
TITLE_LINE_HEIGHT = 1.28
DETAIL_SIZE = 40
DETAIL_GAP = 20
# The title's lines and the detail line fit between the top margin and the band.
TITLE_HEIGHT = BAND_TOP - MARGIN - DETAIL_GAP - round(DETAIL_SIZE * TITLE_LINE_HEIGHT) - 24
SITE_NAME_SIZE = 40
TAGLINE_SIZE = 28
# The site's colours (static/css/site.css): white and the focus yellow on the brand blue.
BACKGROUND = "#005a8c"
BAND = "#003f63"
TEXT = "#ffffff"
DETAIL = "#ffbf47"
CACHE_SECONDS = 60 * 60 * 24 * 30

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Latin, Greek, Cyrillic and Arabic in one font; then Chinese (with Latin too).
FONTS = (FONT_DIR / "TogetherCardSans-Bold.ttf", FONT_DIR / "NotoSansSC-Bold-subset.otf")
# A private-use character: no font has it, so it shows what "missing" looks like.
_NO_SUCH_CHARACTER = "\ue000"

RAQM = features.check("raqm")
LAYOUT = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC

# Characters written without spaces between words: a line may break after any of them.
_UNSPACED = "\u2e80-\u2fff\u3000-\u30ff\u3100-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+|\s+")
# Punctuation that never begins a line (Chinese and Japanese line breaking rules).
_NO_LINE_START = set("，。、：；！？）》」』〉】,.:;!?)")  # noqa: RUF001 (Chinese punctuation)


@dataclass(frozen=True)
class ShareCard:
    """What a shared link shows: ``title``, a ``detail`` line, and the image
    drawn from them, reached at ``image_path`` (the page's own share image route)."""

    title: str
    detail: str
    image_path: str
    language: str = ""
    width = WIDTH
    height = HEIGHT

    def __post_init__(self):
        if not self.language:
            object.__setattr__(self, "language", get_language() or settings.LANGUAGE_CODE)

    @property
    def site_name(self):
        return pgettext("the campaign's name", "TOGETHER")

    @property
    def tagline(self):
        return _("Respect, safety and dignity for all")

    @property
    def digest(self):
        parts = [str(LAYOUT_VERSION), self.language, self.title, self.detail, self.site_name, self.tagline]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]

    @property
    def image_url(self):
        """The image's absolute URL (Open Graph needs one), changing with its content."""
        joiner = "&" if "?" in self.image_path else "?"
        return f"{settings.SITE_URL}{self.image_path}{joiner}v={self.digest}"

    @property
    def alt(self):
        """The image's text alternative: the words it shows."""
        separator = pgettext("separator between the parts of a line", ", ")
        return separator.join(part for part in (self.title, self.detail, self.site_name) if part)

    def png(self):
        """The image as PNG bytes, drawn once per digest."""
        key = f"share-card:{self.digest}"
        data = cache.get(key)
        if data is None:
            data = draw(self)
            cache.set(key, data, CACHE_SECONDS)
        return data


def share_image_response(request, card):
    """The card's PNG, cached for a year by browsers and networks when asked
    for by its current digest (any change gives a new URL), for five minutes
    otherwise; ``If-None-Match`` with the digest answers 304."""
    etag = f'"{card.digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(card.png(), content_type="image/png")
    response["ETag"] = etag
    if request.GET.get("v") == card.digest:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response


# -- Drawing ---------------------------------------------------------------------


def draw(card):
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    page_rtl = get_language_bidi()
    canvas.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=BAND)

    title_bottom = MARGIN
    if card.title and drawable(card.title):
        font, lines = fit_title(card.title)
        line_height = round(font.size * TITLE_LINE_HEIGHT)
        for index, line in enumerate(lines):
            title_bottom = MARGIN + (index + 1) * line_height
            write(canvas, line, font, y=title_bottom - line_height, rtl=is_rtl(line, default=page_rtl))
    if card.detail and drawable(card.detail):
        font = font_for(card.detail, DETAIL_SIZE)
        write(canvas, card.detail, font, y=title_bottom + DETAIL_GAP, rtl=page_rtl, fill=DETAIL)
    band = ((card.site_name, SITE_NAME_SIZE, BAND_TOP + 20), (card.tagline, TAGLINE_SIZE, BAND_TOP + 76))
    for text, size, y in band:
        if drawable(text):
            write(canvas, text, font_for(text, size), y=y, rtl=page_rtl)

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def write(canvas, text, font, *, y, rtl, fill=TEXT):
    """``text`` at the right margin when ``rtl`` (the page's or the text's
    direction), else at the left; its letters in the order its own first
    strong character gives (English left in an Arabic page still reads left to right)."""
    x, anchor = (WIDTH - MARGIN, "ra") if rtl else (MARGIN, "la")
    options = {"direction": "rtl" if is_rtl(text, default=rtl) else "ltr"} if RAQM else {}
    canvas.text((x, y), text, font=font, fill=fill, anchor=anchor, **options)


def fit_title(title):
    """The largest title size whose lines fit; at the smallest, the last
    line that fits ends with an ellipsis."""
    for size in TITLE_SIZES:
        font = font_for(title, size)
        lines = wrap(title, font, WIDTH - 2 * MARGIN)
        max_lines = TITLE_HEIGHT // round(size * TITLE_LINE_HEIGHT)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and measure(last + "…", font) > WIDTH - 2 * MARGIN:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def wrap(text, font, width):
    """Lines of ``text`` no wider than ``width``: broken at spaces, after any
    Chinese or Japanese character, and inside a word only when it alone is wider."""
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(text.split())):
        candidate = line + token
        if measure(candidate, font) <= width or (token in _NO_LINE_START and line):
            line = candidate
            continue
        if line.strip():
            lines.append(line.strip())
        line = token.lstrip()
        while measure(line, font) > width:  # one word wider than the line
            cut = len(line) - 1
            while cut > 1 and measure(line[:cut], font) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.strip())
    return lines


def measure(text, font):
    if not RAQM:
        return font.getlength(text)
    return font.getlength(text, direction="rtl" if is_rtl(text) else "ltr")


def is_rtl(text, default=False):
    """Whether ``text`` reads right to left: its first strong character decides."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return default


def drawable(text):
    """Whether ``text`` can be drawn as it reads: every character in one
    bundled font (else a script we do not bundle, such as Hebrew or
    Devanagari, would show as boxes), and libraqm there for right-to-left text."""
    if not RAQM and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return False
    font = font_for(text, 32)
    return all(has_glyph(font.path, c) for c in set(text))


@memoize
def load_font(path, size):
    return ImageFont.truetype(str(path), size, layout_engine=LAYOUT)


def font_for(text, size):
    """The bundled font that has the most of ``text``'s characters (the first on a tie)."""
    characters = set(text)
    return min(
        (load_font(path, size) for path in FONTS),
        key=lambda font: sum(not has_glyph(font.path, c) for c in characters),
    )


@memoize
def has_glyph(path, character):
    """Whether the font at ``path`` draws ``character`` as itself, not as the
    box that stands for a missing one."""
    if character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Mn"):
        return True
    font = load_font(path, 32)
    return _mask(font, character) != _mask(font, _NO_SUCH_CHARACTER)


def _mask(font, text):
    mask = font.getmask(text)
    return mask.size, bytes(mask)
