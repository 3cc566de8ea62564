from django.urls import reverse

from stories.models import Story
from together.multilingual import MultilingualSitemap


class StorySitemap(MultilingualSitemap):
    changefreq = "monthly"
    lastmod_field = "updated_at"

    def items(self):
        # Only what an address needs (not the text nor its search columns).
        return Story.objects.published().order_by("-published_at", "-pk").only("slug", "updated_at")


class StoryTagSitemap(MultilingualSitemap):
    """The tag pages that have published stories."""

    changefreq = "weekly"

    def items(self):
        return Story.objects.published().used_tags()

    def location(self, tag):
        return reverse("stories:story_tag", args=[tag.slug])
