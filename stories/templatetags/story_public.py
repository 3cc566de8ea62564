"""Template helpers of the public story pages and the moderators' preview."""

import re

from django import template
from django.utils.safestring import mark_safe

from stories.models import PUBLIC_ROLE_LABELS
from stories.privacy import mark_privacy_hints
from together.templatetags.together_tags import absolute

register = template.Library()

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@register.filter
def public_role(story):
    """Who tells the story, as readers see it ("a refugee")."""
    return PUBLIC_ROLE_LABELS.get(story.teller_role, "")


# The story pages' templates load this library only; the filter is together_tags'.
register.filter("absolute", absolute)


@register.filter
def privacy_marks(text):
    """``text`` escaped, with what looks like contact details in ``<mark>``
    (moderators' preview of a one-line field)."""
    return mark_privacy_hints(str(text or ""))


@register.filter
def privacy_marked_text(text):
    """A story's text laid out like ``story_text`` (paragraphs, line breaks),
    with what looks like contact details in ``<mark>`` and links left as text:
    the moderators' preview."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    marked = str(mark_privacy_hints(text))  # escaped; escaping adds no line breaks
    # Built from escaped text and our own tags only.
    return mark_safe(
        "\n".join("<p>" + "<br>".join(part.split("\n")) + "</p>" for part in _PARAGRAPH_BREAK.split(marked))
    )
