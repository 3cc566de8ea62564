"""What a first visit to a page transfers before photos, counted as production serves it.

The HTML is counted as gunicorn sends it (uncompressed: the application does
not compress its responses). Every same-origin static file the page names
(stylesheets, scripts, icons, preloaded fonts) and every file those
stylesheets name with url() (fonts, images) is counted gzipped at level 9, as
whitenoise's CompressedManifestStaticFilesStorage stores it, or raw when that
is smaller (whitenoise then serves the original). Photos (MEDIA_URL) are not
counted, nor anything on another host (the site loads nothing from one).
"""

import gzip
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.staticfiles import finders

# href="…" or src="…" on the elements that make up the page itself; <a>,
# <form> and <img>/<source> photos are not part of its weight.
_ASSET_ATTRIBUTE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"')
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
# The hash whitenoise's manifest storage puts before the extension.
_MANIFEST_HASH = re.compile(r"\.[0-9a-f]{12}(?=\.[^.]+$)")


@dataclass
class PageWeight:
    html: int
    assets: dict = field(default_factory=dict)

    @property
    def total(self):
        return self.html + sum(self.assets.values())

    def __str__(self):
        lines = [f"HTML {self.html} B"] + [f"{name} {size} B" for name, size in sorted(self.assets.items())]
        return f"{self.total} B: " + ", ".join(lines)


def page_weight(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    weight = PageWeight(html=len(response.content))
    pending = [url for url in _ASSET_ATTRIBUTE.findall(response.content.decode()) if _is_static(url)]
    while pending:
        name = _static_name(pending.pop())
        if name in weight.assets:
            continue
        content = _read_static(name)
        weight.assets[name] = min(len(content), len(gzip.compress(content, compresslevel=9, mtime=0)))
        if name.endswith(".css"):
            base = PurePosixPath(settings.STATIC_URL) / PurePosixPath(name).parent
            for url in _CSS_URL.findall(content.decode()):
                if not url.startswith(("data:", "#")):
                    pending.append(url if url.startswith("/") else str(base / url))
    return weight


def _is_static(url):
    return url.startswith(settings.STATIC_URL) and not url.startswith("//")


def _static_name(url):
    name = url.split("?")[0].split("#")[0].removeprefix(settings.STATIC_URL)
    return _MANIFEST_HASH.sub("", str(PurePosixPath(name)))


def _read_static(name):
    found = finders.find(name)
    assert found, f"the page names a static file that does not exist: {name}"
    with open(found, "rb") as file:
        return file.read()
