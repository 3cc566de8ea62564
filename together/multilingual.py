"""One page, every language: what search engines and readers are told.

Every public page exists in each of settings.LANGUAGES under its language
prefix. The page's head lists the other versions (hreflang) and the sitemap
lists every version of every page with its alternates, English being the
default for readers whose language the site does not speak.

The sitemap is an index (/sitemap.xml) of sections (/sitemap-<section>.xml),
each in pages of ``MultilingualSitemap.limit`` addresses (?p=2, ...). A page
reads only its own rows: at 100,000 stories the single document Django
builds by default (every story, in every language, in memory) took more
than gunicorn's 30 s and 600 MB. The index reads, in one query whatever the
number of sections (:func:`section_summaries`), how many items each section
has and when the latest changed (``lastmod_field``): Django's own index ran
a COUNT per section and read every row of a section whose ``lastmod`` is a
method.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, DateTimeField, Max, QuerySet, Value
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language_from_path


class MultilingualSitemap(Sitemap):
    """A sitemap giving each page once per language, with its alternates."""

    i18n = True
    alternates = True
    x_default = True
    # Addresses per page: 50 items in each of the 7 languages, each with its
    # 8 alternates, some 300 KB of XML (the protocol allows 50,000 and 50 MB).
    # Measured at 100,000 stories (issue 12, notes of the "queries" helper):
    # 700 addresses made 600 KB pages costing 2.2 ms of CPU per cached hit
    # and 300-400 ms to render; 350 halves both for 9% more CPU per address,
    # with an index of 2,000 pages (245 KB); 140 made the index 613 KB.
    limit = 350

    # The items' field that says when each last changed (the <lastmod> of
    # its addresses, and the section's in the index), or None.
    lastmod_field = None

    def _items(self):
        return EachLanguage(self.items(), [code for code, _name in settings.LANGUAGES])

    @property
    def paginator(self):
        return UncountedPaginator(self._items(), self.limit)

    def lastmod(self, item):
        return getattr(item, self.lastmod_field) if self.lastmod_field else None


@dataclass(frozen=True)
class SectionSummary:
    """What the index says of one section: its number of pages, and when
    its latest item changed (None when the section does not say)."""

    pages: int
    lastmod: object = None


def section_summaries(sitemaps):
    """{section: SectionSummary} for the sitemap classes ``sitemaps`` (as
    Django's index takes them), in one query: a row (count, latest lastmod)
    per section whose items are a QuerySet, joined by UNION ALL; sections
    listed in Python are counted without the database."""
    languages = len(settings.LANGUAGES)
    counted = {}
    rows = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        items = sitemap.items()
        if not isinstance(items, QuerySet):
            counted[section] = (sitemap, len(items), None)
            continue
        counted[section] = (sitemap, 0, None)  # an empty QuerySet (none()) is left out of a UNION
        latest = (
            Max(sitemap.lastmod_field) if sitemap.lastmod_field else Value(None, output_field=DateTimeField())
        )
        # Grouped by a constant only: one row, even for no items (count 0).
        # A plain QuerySet of the same query: modeltranslation's values()
        # would add every field (and group by them).
        rows.append(
            QuerySet(items.model, query=items.query.chain())
            .order_by()
            .values(section=Value(section))
            .annotate(count=Count("pk"), latest=latest)
            .values_list("section", "count", "latest")
        )
    if rows:
        for section, count, latest in rows[0].union(*rows[1:], all=True).order_by():
            counted[section] = (counted[section][0], count, latest)
    return {
        section: SectionSummary(max(1, math.ceil(count * languages / sitemap.limit)), latest)
        for section, (sitemap, count, latest) in counted.items()
    }


class UncountedPaginator(Paginator):
    """Django's paginator, but a page is read without counting the items:
    its own slice (one query), and a page past the last is known by being
    empty (EmptyPage: the sitemap view answers 404). The section pages are
    what crawlers read, each once: at 100,000 stories the COUNT was a
    third of a page's time."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom >= 2**62:  # no OFFSET past what databases take
            raise EmptyPage(number)
        items = list(self.object_list[bottom : bottom + self.per_page])
        if not items and number > 1:
            raise EmptyPage(number)
        return self._get_page(items, number, self)


class EachLanguage:
    """The (item, language) pairs Django's Sitemap._items() makes, item by
    item, in the same order, but read from ``items`` one page at a time:
    counting is a COUNT query, a page a LIMIT/OFFSET slice of its items.
    ``items`` must be ordered (a page must not move between requests)."""

    def __init__(self, items, languages):
        self.items = items
        self.languages = languages

    def count(self):
        total = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
        return total * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, pages):
        if not isinstance(pages, slice) or pages.step is not None:
            raise TypeError("EachLanguage is read by slices only (a paginator's pages).")
        per_item = len(self.languages)
        start, stop = pages.start or 0, pages.stop
        first = start // per_item
        rows = self.items[first : None if stop is None else -(-stop // per_item)]
        pairs = [(row, code) for row in rows for code in self.languages]
        offset = start - first * per_item
        return pairs[offset : None if stop is None else offset + stop - start]


def language_versions(request):
    """The absolute URLs of the requested page in every site language, as
    (hreflang, URL) pairs, or none for a page outside the language prefixes
    (the admin) or one that does not exist (a 404).

    The last pair is "x-default": the address without a language prefix,
    which sends each reader to the version their browser asks for (as the
    sitemap's x-default does)."""
    if get_language_from_path(request.path_info) is None:
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    # Django's translate_url, resolving the path once rather than once per
    # language (this runs on every page).
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    versions = {}
    for code, _name in settings.LANGUAGES:
        try:
            with translation.override(code):
                path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:  # as translate_url: the page's own address
            versions[code] = request.build_absolute_uri(request.get_full_path())
            continue
        versions[code] = request.build_absolute_uri(f"{path}?{query}" if query else path)
    default_prefix = f"/{settings.LANGUAGE_CODE}/"
    any_language = versions[settings.LANGUAGE_CODE].replace(default_prefix, "/", 1)
    return [*versions.items(), ("x-default", any_language)]
