from django.urls import reverse

from campaigns.sitemaps import (
    CampaignSitemap,
    CoalitionPagesSitemap,
    EventListSitemap,
    EventSitemap,
    MediaKitSitemap,
    PressReleaseSitemap,
)
from stories.sitemaps import StorySitemap, StoryTagSitemap
from together.multilingual import MultilingualSitemap


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
