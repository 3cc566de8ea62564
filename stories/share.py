"""The share card (together.share_cards) of a story page: only for a story
whose consent allows social sharing (``Story.allows_social_sharing``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from together.share_cards import ShareCard


def story_card(story, shown):
    """The card of ``story`` as its page shows it: ``shown`` is the story or
    the translation the page shows (its title), ``?original=1`` keeping the
    original's image apart from the translation's."""
    path = reverse("stories:story_share_image", kwargs={"slug": story.slug})
    if shown is story and story.reader_translation is not None:
        path += "?original=1"
    return ShareCard(
        title=shown.title,
        detail=date_format(timezone.localtime(story.published_at), "DATE_FORMAT"),
        image_path=path,
    )
