"""Reading a page as a checker would: landmarks, headings, outside requests."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes whose URL the browser fetches, or sends the visitor to.
URL_ATTRIBUTES = {"src", "href", "action", "poster", "data", "formaction"}


class PageOutline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang = None
        self.html_dir = None
        self.h1_count = 0
        self.main_count = 0
        self.first_link_href = None
        self.fetched_urls = []
        self.linked_urls = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
            self.html_dir = attrs.get("dir")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "main" or attrs.get("role") == "main":
            self.main_count += 1
        if tag == "a" and self.first_link_href is None:
            self.first_link_href = attrs.get("href")
        if tag == "script":
            self._in_script = "src" not in attrs
        if "style" in attrs:
            self.style_attributes += 1
        for name, value in attrs.items():
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                # <a href> and <form action> navigate; everything else is fetched.
                (self.linked_urls if tag in {"a", "form"} else self.fetched_urls).append(value)
            elif name == "srcset":
                self.fetched_urls += [part.split()[0] for part in value.split(",") if part.strip()]

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def outline(html):
    parser = PageOutline()
    parser.feed(html)
    parser.close()
    return parser


def is_same_site(url):
    """True when fetching ``url`` asks nothing of another host."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "mailto", "tel"}:
        return True
    return not parts.netloc or parts.netloc == "testserver"
