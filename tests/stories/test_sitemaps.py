
import pytest

from tests.sitemaps import sitemap_paths
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_published_stories_and_story_pages_only(client):
    published = StoryFactory(published=True)
    hidden = [StoryFactory(), StoryFactory(declined=True), StoryFactory(unpublished=True)]

    paths = sitemap_paths(client)

    assert published.get_absolute_url() in paths
    assert "/en/stories/" in paths
    assert "/en/stories/transparency/" in paths
    assert not {story.get_absolute_url() for story in hidden} & set(paths)


def test_sitemap_lists_tag_pages_of_published_stories_only(client):
    StoryFactory(published=True, tags=["family"])
    StoryFactory(tags=["amina-street"])

    paths = sitemap_paths(client)

    assert "/en/stories/tag/family/" in paths
    assert "/en/stories/tag/amina-street/" not in paths
