"""Reading and checking the share card tags of a page (Open Graph, Twitter)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

REQUIRED_CARD_TAGS = (
    "og:type",
    "og:site_name",
    "og:title",
    "og:url",
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
    "twitter:card",
    "twitter:title",
    "twitter:image",
    "twitter:image:alt",
)


class _MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}
        self.repeated = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("property") or attrs.get("name")
        if tag == "meta" and name and (name.startswith(("og:", "twitter:", "article:"))):
            if name in self.tags:
                self.repeated.append(name)
            self.tags[name] = attrs.get("content", "")


def meta_tags(html):
    """``{"og:title": "...", ...}`` of a page (attribute values unescaped)."""
    parser = _MetaTags()
    parser.feed(html)
    assert parser.repeated == [], f"tags given twice: {parser.repeated}"
    return parser.tags


def assert_valid_share_card(tags, *, title, site_url):
    """What Facebook's and X's validators ask of a large image card: every
    required tag, absolute http(s) URLs on this site, the image's size, the
    large-image card, the page's own title."""
    missing = [name for name in REQUIRED_CARD_TAGS if not tags.get(name)]
    assert missing == []
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:title"] == tags["twitter:title"] == title
    for name in ("og:url", "og:image", "twitter:image"):
        url = urlsplit(tags[name])
        assert url.scheme in ("http", "https"), name
        assert f"{url.scheme}://{url.netloc}" == site_url, name
    assert tags["og:image"] == tags["twitter:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == tags["twitter:image:alt"]
