import pytest
from django.template import Context, Template

from stories.templatetags.story_text import story_text

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def test_story_text_shows_html_as_text():
    assert story_text(PAYLOAD) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>"
    )


def test_story_text_blank_line_starts_paragraph_single_newline_breaks_line():
    assert story_text("First line\nsame paragraph\n\n\nSecond paragraph") == (
        "<p>First line<br>same paragraph</p>\n<p>Second paragraph</p>"
    )


def test_story_text_accepts_windows_line_breaks():
    assert story_text("One\r\n\r\nTwo\r\nthree") == "<p>One</p>\n<p>Two<br>three</p>"


def test_story_text_links_web_addresses_with_nofollow_ugc_noopener_only():
    assert story_text("See https://www.unhcr.org/about now") == (
        '<p>See <a href="https://www.unhcr.org/about" rel="nofollow ugc noopener">'
        "https://www.unhcr.org/about</a> now</p>"
    )


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "write to amina@example.org", 'x" onmouseover="alert(1)']
)
def test_story_text_links_nothing_but_web_addresses(text):
    assert "<a" not in story_text(text)


def test_story_text_does_not_let_link_break_out_of_attribute():
    html = story_text('https://example.org/"><script>alert(1)</script>')

    assert "<script>" not in html
    assert html.count("<a ") == 1


def test_story_text_of_empty_text_is_empty():
    assert story_text("  \n\n ") == ""


def test_story_text_filter_output_is_not_escaped_again_in_templates():
    rendered = Template("{% load story_text %}{{ body|story_text }}").render(Context({"body": "a & b\n\nc"}))

    assert rendered == "<p>a &amp; b</p>\n<p>c</p>"
