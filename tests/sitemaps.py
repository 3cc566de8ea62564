"""Reading the sitemap as a search engine does: the index at /sitemap.xml,
then every page of every section it lists."""

import re

INDEX = "/sitemap.xml"


def section_pages(client):
    """The paths of every section page the index lists, in its order."""
    index = client.get(INDEX)
    assert index.status_code == 200
    return [loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>([^<]+)</loc>", index.text)]


def whole_sitemap(client):
    """Every section page's XML, one after the other (not the index)."""
    pages = []
    for path in section_pages(client):
        response = client.get(path)
        assert response.status_code == 200
        pages.append(response.content.decode())
    return "\n".join(pages)


def sitemap_paths(client):
    """Every page address of the sitemap (alternates not included), as paths."""
    return [
        loc.removeprefix("http://testserver")
        for loc in re.findall(r"<loc>([^<]+)</loc>", whole_sitemap(client))
    ]
