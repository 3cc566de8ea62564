from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from stories.models import Story


class StorySitemap(Sitemap):
    changefreq = "monthly"
    i18n = True

    def items(self):
        return Story.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, story):
        return story.updated_at


class StoryTagSitemap(Sitemap):
    """The tag pages that have published stories."""

    changefreq = "weekly"
    i18n = True

    def items(self):
        return Story.objects.published().used_tags()

    def location(self, tag):
        return reverse("stories:story_tag", args=[tag.slug])
