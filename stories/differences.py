"""What a proposed change (:class:`stories.models.StoryRevision`) would change
in a story, as moderators read it: each changed field before and after, and
for text the difference word by word (:func:`text_difference`).

Pure functions over strings (no database), so that any script can be tried
cheaply: text is cut into words, spaces and punctuation, and a character
of a script written without spaces (Chinese, Japanese, Thai...) is a word
of its own, so a changed character there is not a whole changed sentence.
"""

import difflib
import re
from typing import NamedTuple

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# One character of the scripts written without spaces between words, a run
# of other letters or digits, a run of spaces, or any other single character.
_TOKEN = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
    r"|[^\W\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
    r"|\s+|.",
    re.DOTALL,
)


class Piece(NamedTuple):
    """A stretch of text that stays (``kind`` "same"), goes ("removed") or
    comes ("added")."""

    kind: str
    text: str


def tokens(text):
    return _TOKEN.findall(text)


def text_difference(before, after):
    """The pieces that turn ``before`` into ``after``, in reading order
    (a removed stretch before the one that replaces it). Joining the "same"
    and "removed" pieces gives ``before``; the "same" and "added", ``after``."""
    old, new = tokens(before), tokens(after)
    pieces = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(Piece("same", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            pieces.append(Piece("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            pieces.append(Piece("added", "".join(new[new_start:new_end])))
    return pieces


def difference_html(pieces, *, removed_label, added_label):
    """``pieces`` as escaped HTML: removed text in ``<del>``, added text in
    ``<ins>``, each opened by a visually hidden label (most screen readers
    do not announce the elements themselves)."""
    element = {"removed": ("del", removed_label), "added": ("ins", added_label)}
    parts = []
    for piece in pieces:
        if piece.kind == "same":
            parts.append(escape(piece.text))
            continue
        tag, label = element[piece.kind]
        parts.append(
            format_html('<{0}><span class="visually-hidden">{1} </span>{2}</{0}>', tag, label, piece.text)
        )
    # Every part was escaped above.
    return mark_safe("".join(parts))
