"""Showing what storytellers wrote: their words, their paragraphs, nothing else."""

import re

from bleach.linkifier import Linker
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _rel_ugc(attrs, new=False):
    """Links in stories are the storyteller's, not ours: search engines must
    not count them and the opened page must not get a handle on ours."""
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


# Only this callback: no target, no other attribute is ever added.
_linker = Linker(callbacks=[_rel_ugc], parse_email=False)


@register.filter(is_safe=True)
def story_text(text):
    """Escape ``text`` and lay it out: a blank line starts a paragraph, a
    single line break stays a line break, web addresses become links.

    HTML in the text is shown as text, never interpreted.
    """
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = [
        "<p>" + "<br>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in _PARAGRAPH_BREAK.split(text)
    ]
    return mark_safe(_linker.linkify("\n".join(paragraphs)))
