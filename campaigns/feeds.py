"""The press releases as an Atom feed, for journalists' feed readers. Only
``PressRelease.objects.published()``: an embargoed release is not in it."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import PressRelease

FEED_LENGTH = 20


class PressReleaseFeed(Feed):
    feed_type = Atom1Feed
    title = _("TOGETHER: press releases")
    # The press page's description, already in every language.
    subtitle = _(
        "Press releases about TOGETHER, the UN initiative for respect, safety and dignity for "
        "refugees and migrants."
    )
    link = reverse_lazy("campaigns:press_list")
    # Atom needs an author for the feed or for every entry: the releases are the initiative's.
    author_name = pgettext_lazy("the campaign's name", "TOGETHER")

    def items(self):
        return PressRelease.objects.published().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are HTML: the texts are escaped, paragraphs kept.
        return linebreaks(item.summary, autoescape=True) + linebreaks(item.body, autoescape=True)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
