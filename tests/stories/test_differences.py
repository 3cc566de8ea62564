"""The word-by-word difference moderators read for a proposed change."""

import pytest

from stories.differences import Piece, difference_html, text_difference


def rebuilt(pieces, keep):
    return "".join(piece.text for piece in pieces if piece.kind in {"same", keep})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("We arrived in winter.", "We came in a cold winter."),
        ("Первый абзац.\n\nВторой.", "Первый абзац.\n\nТретий."),  # noqa: RUF001 (Russian text)
        ("وصلنا في الشتاء", "وصلنا في الصيف"),
        ("", "A new text."),
        ("An old text.", ""),
    ],
)
def test_the_pieces_rebuild_both_texts(before, after):
    pieces = text_difference(before, after)

    assert rebuilt(pieces, "removed") == before
    assert rebuilt(pieces, "added") == after


def test_a_replaced_word_is_removed_then_added():
    assert text_difference("We arrived in winter.", "We came in winter.") == [
        Piece("same", "We "),
        Piece("removed", "arrived"),
        Piece("added", "came"),
        Piece("same", " in winter."),
    ]


def test_a_character_of_chinese_is_a_word_of_its_own():
    assert text_difference("我们在冬天到达", "我们在夏天到达") == [
        Piece("same", "我们在"),
        Piece("removed", "冬"),
        Piece("added", "夏"),
        Piece("same", "天到达"),
    ]


def test_the_html_escapes_the_text_and_labels_each_change():
    html = difference_html(
        text_difference("<b>old</b>", "<b>new</b>"), removed_label="Removed:", added_label="Added:"
    )

    assert html == (
        "&lt;b&gt;"
        '<del><span class="visually-hidden">Removed: </span>old</del>'
        '<ins><span class="visually-hidden">Added: </span>new</ins>'
        "&lt;/b&gt;"
    )
