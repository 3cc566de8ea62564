"""The share image: drawn with the bundled fonts, Arabic shaped right to left,
Chinese without boxes, cached by content."""

import io
import time
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation
from PIL import Image, ImageChops, ImageFont

from together import share_cards
from together.share_cards import FONTS, ShareCard, draw, font_for, has_glyph, share_image_response

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "share-cards"
ARABIC_TITLE = "معاً من أجل اللاجئين والمهاجرين في بروكسل"
CHINESE_TITLE = "我们一起：难民、移民与东道主社区的故事"  # noqa: RUF001 (Chinese punctuation)


def card(title="The UN team at the 20 km of Brussels", detail="12,345 people have pledged", **kwargs):
    return ShareCard(title=title, detail=detail, image_path="/en/campaigns/together/share.png", **kwargs)


def opened(png):
    return Image.open(io.BytesIO(png))


def ink_box(image, region):
    """The bounding box of what is drawn in ``region`` (anything not the background)."""
    part = image.convert("RGB").crop(region)
    background = Image.new("RGB", part.size, share_cards.BACKGROUND)
    return ImageChops.difference(part, background).getbbox()


TITLE_REGION = (0, 0, share_cards.WIDTH, share_cards.BAND_TOP - 80)


def test_the_image_is_a_1200_by_630_png():
    image = opened(draw(card()))

    assert (image.format, image.size) == ("PNG", (1200, 630))


@pytest.mark.skipif(not share_cards.RAQM, reason="Arabic needs libraqm (with FriBiDi)")
def test_an_arabic_title_is_drawn_from_the_right_edge_and_saved_for_review():
    with translation.override("ar"):
        png = draw(card(title=ARABIC_TITLE, detail="١٢٣ شخصاً تعهدوا"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "arabic-title.png").write_bytes(png)

    left, _top, right, _bottom = ink_box(opened(png), TITLE_REGION)

    assert right == pytest.approx(share_cards.WIDTH - share_cards.MARGIN, abs=6)
    assert left > share_cards.MARGIN  # the short last line leaves the left side empty


def test_a_chinese_title_is_drawn_and_saved_for_review():
    with translation.override("zh-hans"):
        png = draw(card(title=CHINESE_TITLE, detail="2026年5月31日"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "chinese-title.png").write_bytes(png)

    left, _top, _right, _bottom = ink_box(opened(png), TITLE_REGION)

    assert left == pytest.approx(share_cards.MARGIN, abs=6)


@pytest.mark.parametrize("title", [ARABIC_TITLE, CHINESE_TITLE, "Вместе — Ensemble, à Bruxelles"])
def test_every_character_of_a_title_has_a_glyph_in_the_font_chosen_for_it(title):
    font = font_for(title, 60)

    assert [character for character in title if not has_glyph(font.path, character)] == []


def test_a_character_no_font_has_is_told_from_one_that_has_a_glyph():
    """The check above can fail: a font without Chinese shows the box."""
    latin_and_arabic, chinese = (str(path) for path in FONTS)

    assert not has_glyph(latin_and_arabic, "难")
    assert has_glyph(chinese, "难")
    assert has_glyph(latin_and_arabic, "ج")


def test_arabic_letters_are_joined_not_drawn_one_by_one():
    """Shaped Arabic is narrower than its letters in their isolated forms side by side."""
    if not share_cards.RAQM:
        pytest.skip("Arabic needs libraqm (with FriBiDi)")
    font = ImageFont.truetype(str(FONTS[0]), 60, layout_engine=ImageFont.Layout.RAQM)
    word = "اللاجئين"

    joined = font.getlength(word, direction="rtl")
    separate = sum(font.getlength(letter, direction="rtl") for letter in word)

    assert joined < separate * 0.9


def test_a_long_chinese_title_is_broken_between_characters_and_fits():
    font = font_for(CHINESE_TITLE * 3, 60)

    lines = share_cards.wrap(CHINESE_TITLE * 3, font, 1000)

    assert len(lines) > 1
    # A closing punctuation mark may hang past the edge rather than begin a line.
    assert all(font.getlength(line) <= 1000 + font.size for line in lines)
    assert "".join(lines) == CHINESE_TITLE * 3


def test_no_line_begins_with_a_chinese_comma_or_colon():
    title = "难民、移民、东道主、社区、朋友、邻居、家人、同事、老师、学生、医生、工人"
    font = font_for(title, 60)

    for width in range(200, 1000, 37):
        lines = share_cards.wrap(title, font, width)
        assert [line for line in lines if line[0] in "、："] == []  # noqa: RUF001 (Chinese punctuation)


def test_a_title_too_long_for_the_card_ends_with_an_ellipsis():
    _font, lines = share_cards.fit_title("word " * 200)

    assert lines[-1].endswith("…")


def test_the_digest_changes_with_the_counter_the_title_and_the_language():
    digests = {
        card().digest,
        card(detail="12,346 people have pledged").digest,
        card(title="Another title").digest,
        card(language="fr").digest,
    }

    assert len(digests) == 4
    assert card().digest == card().digest


def test_an_unchanged_card_is_drawn_once(monkeypatch):
    drawn = []
    monkeypatch.setattr(share_cards, "draw", lambda c: drawn.append(c) or b"png")

    card().png()
    card().png()

    assert len(drawn) == 1


def test_the_image_asked_for_by_its_digest_is_cached_for_a_year():
    request = RequestFactory().get("/", {"v": card().digest})

    response = share_image_response(request, card())

    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{card().digest}"'


def test_the_image_asked_for_by_an_old_digest_is_cached_briefly():
    response = share_image_response(RequestFactory().get("/", {"v": "old"}), card())

    assert response["Cache-Control"] == "public, max-age=300"


def test_the_image_answers_304_to_its_etag():
    request = RequestFactory().get("/", headers={"If-None-Match": f'"{card().digest}"'})

    response = share_image_response(request, card())

    assert response.status_code == 304


def test_drawing_a_card_takes_well_under_a_second():
    """Measured here on a shared 2-core machine: about 25-70 ms a card."""
    draw(card())  # fonts loaded
    started = time.perf_counter()
    for number in range(5):
        draw(card(title=f"{CHINESE_TITLE} {number}"))
    assert (time.perf_counter() - started) / 5 < 0.5


def test_without_libraqm_a_right_to_left_title_is_left_off_rather_than_drawn_wrong(monkeypatch):
    monkeypatch.setattr(share_cards, "RAQM", False)

    assert share_cards.drawable("Together") is True
    assert share_cards.drawable(ARABIC_TITLE) is False


def test_a_title_in_a_script_the_fonts_lack_is_left_off_rather_than_drawn_as_boxes():
    hebrew = card(title="ביחד בבריסל", detail="")
    nothing = card(title="", detail="")

    assert not share_cards.drawable("ביחד בבריסל")
    assert draw(hebrew) == draw(nothing)
