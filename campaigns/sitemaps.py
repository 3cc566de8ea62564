from django.urls import reverse

from campaigns.models import Campaign, Event, MediaKitItem, PressRelease
from together.multilingual import MultilingualSitemap


class CoalitionPagesSitemap(MultilingualSitemap):
    """The partner list and the first page of the press releases."""

    changefreq = "weekly"

    def items(self):
        return ["campaigns:partner_list", "campaigns:press_list"]

    def location(self, item):
        return reverse(item)


class PressReleaseSitemap(MultilingualSitemap):
    changefreq = "yearly"
    lastmod_field = "published_at"

    def items(self):
        return PressRelease.objects.published()


class EventListSitemap(MultilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return ["campaigns:event_list"]

    def location(self, item):
        return reverse(item)


class EventSitemap(MultilingualSitemap):
    changefreq = "weekly"
    lastmod_field = "updated_at"

    def items(self):
        return Event.objects.order_by("-starts_at", "pk")


class CampaignSitemap(MultilingualSitemap):
    changefreq = "daily"

    def items(self):
        return Campaign.objects.order_by("pk")


class MediaKitSitemap(MultilingualSitemap):
    """The media kit page of each campaign that has one."""

    changefreq = "monthly"

    def items(self):
        with_kits = MediaKitItem.objects.shown().values("campaign")
        return Campaign.objects.filter(pk__in=with_kits).order_by("pk")

    def location(self, campaign):
        return reverse("campaigns:media_kit", kwargs={"slug": campaign.slug})
