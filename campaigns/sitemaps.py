from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from campaigns.models import Campaign, Event, PressRelease


class CoalitionPagesSitemap(Sitemap):
    """The partner list and the first page of the press releases."""

    changefreq = "weekly"
    i18n = True

    def items(self):
        return ["campaigns:partner_list", "campaigns:press_list"]

    def location(self, item):
        return reverse(item)


class PressReleaseSitemap(Sitemap):
    changefreq = "yearly"
    i18n = True

    def items(self):
        return PressRelease.objects.published()

    def lastmod(self, press_release):
        return press_release.published_at


class EventListSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return ["campaigns:event_list"]

    def location(self, item):
        return reverse(item)


class EventSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return Event.objects.order_by("-starts_at", "pk")

    def lastmod(self, event):
        return event.updated_at


class CampaignSitemap(Sitemap):
    changefreq = "daily"
    i18n = True

    def items(self):
        return Campaign.objects.order_by("pk")
