from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from stories.models import Story

FEED_LENGTH = 20


class LatestStoriesFeed(Feed):
    """The latest published stories, in full (but those with a content note:
    the note only). Nothing but what the story page shows: the public
    display name (never the storyteller's email, nor the name of someone who
    chose to stay anonymous). Feeds are read by partner organisations and
    aggregators, so only the stories whose storytellers allowed partners
    (``Story.objects.for_partners()``): a "this site only" story is never in
    it."""

    feed_type = Atom1Feed
    title = _("TOGETHER: stories of refugees, migrants and their hosts")
    subtitle = _("Personal stories shared with the TOGETHER initiative, newest first.")
    link = reverse_lazy("stories:story_list")

    def items(self):
        stories = Story.objects.for_partners().prefetch_related("tags")
        return stories.order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        # An Atom title is plain text (the XML writer escapes it once).
        return item.title

    def item_description(self, item):
        # Atom summaries are HTML: the story's text is escaped, paragraphs kept.
        # A story with a content note is summarised by its note alone: the
        # reader opens the story page knowing what it holds.
        if item.content_note:
            return linebreaks(item.content_note_summary, autoescape=True)
        return linebreaks(item.body, autoescape=True)

    def item_author_name(self, item):
        return item.display_name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
