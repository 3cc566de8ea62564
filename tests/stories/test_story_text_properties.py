"""Properties of the story text renderer, for any text at all (Hypothesis).

Whatever a storyteller (or an attacker) types, the rendered HTML holds only
paragraphs, line breaks and plain web links, and shows exactly the words
that were typed."""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from stories.templatetags.story_text import story_text

ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_LINK_SCHEMES = ("http://", "https://")


class RenderedStory(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.links = []
        self.text = []
        self.in_paragraph = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs))
        elif tag == "br":
            self.text.append("\n")
        elif tag == "p":
            self.in_paragraph = True
            if self.tags.count("p") > 1:
                self.text.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.in_paragraph = False

    def handle_data(self, data):
        # Text outside paragraphs is only the renderer's own line feeds.
        if self.in_paragraph or data.strip():
            self.text.append(data)

    def handle_comment(self, data):
        self.tags.append("!--")


def rendered(text):
    parser = RenderedStory()
    parser.feed(str(story_text(text)))
    parser.close()
    return parser


def as_typed(text):
    """What a reader should see: the text with its line endings unified, the
    outer blank space trimmed, and any run of blank lines one paragraph break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return re.sub(r"\n\s*\n", "\n\n", text)


# Text as people type it (never NUL: Django's form fields refuse it before
# anything is stored), plus the characters that break renderers: markup,
# quotes, entities, control characters and right-to-left marks.
_characters = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
        st.sampled_from(list("<>&\"'=/;:!-\n\r\t\u202e\u200b")),
    ),
    max_size=40,
)
_fragments = st.sampled_from(
    [
        "<script>",
        "</p>",
        "javascript:",
        "http://",
        "https://x.example/a?b=1&c=2",
        "onerror=",
        "&amp;",
        "<!--",
        "<img src=x>",
        "www.example.org",
        "\n\n",
        " ",
    ]
)
story_texts = st.lists(st.one_of(_characters, _fragments), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(story_texts)
def test_rendered_story_contains_only_paragraphs_breaks_and_links(text):
    assert set(rendered(text).tags) <= ALLOWED_TAGS


@settings(max_examples=400, deadline=None)
@given(story_texts)
def test_rendered_story_links_are_plain_web_links(text):
    for link in rendered(text).links:
        assert set(link) == {"href", "rel"}
        assert link["href"].startswith(ALLOWED_LINK_SCHEMES)
        assert link["rel"] == "nofollow ugc noopener"


@settings(max_examples=400, deadline=None)
@given(story_texts)
def test_rendered_story_shows_exactly_the_typed_text(text):
    assert "".join(rendered(text).text) == as_typed(text)
