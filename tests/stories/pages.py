"""Reading the public story list pages in tests."""

import html
import re


def list_titles(response):
    return re.findall(r'class="story-card__title"[^>]*><a [^>]*>([^<]*)</a>', response.content.decode())


def page_link(response, rel):
    """The query of the page's "Newer stories" (``prev``) or "Older stories" (``next``) link."""
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode())
    return html.unescape(match.group(1)) if match else None
