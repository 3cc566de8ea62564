from django.db.models import Max
from django.urls import reverse

from stories.models import Story
from together.multilingual import MultilingualSitemap


class StorySitemap(MultilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Story.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, story):
        return story.updated_at

    def get_latest_lastmod(self):
        # For the sitemap index: one aggregate, not every story read.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class StoryTagSitemap(MultilingualSitemap):
    """The tag pages that have published stories."""

    changefreq = "weekly"

    def items(self):
        return Story.objects.published().used_tags()

    def location(self, tag):
        return reverse("stories:story_tag", args=[tag.slug])
