"""The site's sitemap: an index of sections (``SITEMAPS``), each in pages
(together/multilingual.py); :func:`index` lists them in one query."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from campaigns.sitemaps import (
    CampaignSitemap,
    CoalitionPagesSitemap,
    EventListSitemap,
    EventSitemap,
    MediaKitSitemap,
    PressReleaseSitemap,
)
from stories.sitemaps import StorySitemap, StoryTagSitemap
from together.multilingual import MultilingualSitemap, section_summaries


class StaticPagesSitemap(MultilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "about",
            "privacy",
            "stories:story_list",
            "stories:story_create",
            "stories:transparency",
        ]

    def location(self, item):
        return reverse(item)


# Every public page's sitemap, in one dictionary served at /sitemap.xml.
SITEMAPS = {
    "pages": StaticPagesSitemap,
    "campaigns": CampaignSitemap,
    "coalition": CoalitionPagesSitemap,
    "press": PressReleaseSitemap,
    "media_kits": MediaKitSitemap,
    "event_list": EventListSitemap,
    "events": EventSitemap,
    "stories": StorySitemap,
    "story_tags": StoryTagSitemap,
}


@require_safe
@x_robots_tag
def index(request, sitemaps=SITEMAPS):
    """/sitemap.xml: every page of every section, as Django's index lists
    them (the same XML and Last-Modified header), from one query
    (:func:`together.multilingual.section_summaries`) whatever the number of
    sections and items."""
    domain = get_current_site(request).domain
    listed = []
    for section, summary in section_summaries(sitemaps).items():
        location = f"{request.scheme}://{domain}" + reverse(
            "django.contrib.sitemaps.views.sitemap", kwargs={"section": section}
        )
        listed.append(SitemapIndexItem(location, summary.lastmod))
        listed += [
            SitemapIndexItem(f"{location}?p={page}", summary.lastmod) for page in range(2, summary.pages + 1)
        ]
    lastmods = [item.last_mod for item in listed]
    headers = None
    if lastmods and None not in lastmods:  # as Django: only when every section says
        headers = {"Last-Modified": http_date(max(lastmods).timestamp())}
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": listed}, content_type="application/xml", headers=headers
    )
