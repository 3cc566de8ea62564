"""Every page, in every language, with topics written in every script.

Stories whose topics are Arabic, Chinese, Cyrillic, accented Latin,
Devanagari, emoji or punctuation are shared through the form in each site
language, published and featured; then every public page and the moderators'
admin pages are asked for in every language. None may answer a server error
(the route of topic pages once took ASCII slugs only, and every page linking
an Arabic topic answered 500)."""

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from stories.models import STORYTELLER, Report, Story, StoryRevision
from stories.views import STORIES_PER_PAGE
from tests.sitemaps import whole_sitemap
from tests.stories.factories import ModeratorFactory, StoryFactory, StoryTranslationFactory
from tests.stories.sharing import story_data
from tests.stories.topics import OTHER_TOPICS, TYPED_TOPICS

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def stories_in_every_script(settings):
    """A story shared in each site language with that language's topics, one
    with the other topics, all published and featured; enough others for a
    second page of the list; a report and a translation waiting for review."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "story": "1000/h"}
    moderator = ModeratorFactory()
    client = Client()
    typed = [(language, text) for language, (text, _topics) in TYPED_TOPICS.items()]
    typed.append(("hi", ", ".join(OTHER_TOPICS)))
    for number, (language, text) in enumerate(typed):
        site_language = language if language in LANGUAGES else "en"
        response = client.post(
            f"/{site_language}/stories/share/",
            story_data(
                title=f"Story {number}", email=f"teller{number}@example.org", language=language, tags=text
            ),
        )
        assert response.status_code == 302, response.context["form"].errors
    for story in Story.objects.all():
        story.publish(by=moderator)
        story.feature(by=moderator)
    StoryFactory.create_batch(STORIES_PER_PAGE, published=True)
    reported = Story.objects.get(language="ar")
    Report.objects.create(story=reported, reason=Report.Reason.choices[0][0], comment="جيران")
    StoryTranslationFactory(story=reported, language="fr")
    # A proposed change to a published story, with topics in every script (issue 14).
    StoryRevision.propose(
        reported, by=STORYTELLER, changes={"title": "قصة جديدة"}, tags=[*OTHER_TOPICS, "جيران"]
    )
    return moderator


def public_pages(language):
    """Every public page of the site in ``language``, with each filter value
    (the pages of each story with topics; the others only fill page 2)."""
    with translation.override(language):
        stories = Story.objects.published()
        pages = [reverse("home"), reverse("about"), reverse("stories:story_create")]
        pages += [reverse("privacy"), reverse("personal_data_request")]
        pages += [reverse(f"stories:{name}") for name in ("story_list", "story_feed", "transparency")]
        story_list = reverse("stories:story_list")
        filters = [{"page": 2}]
        filters += [{"tag": tag.slug} for tag in stories.used_tags()]
        filters += [{"q": tag.name} for tag in stories.used_tags()]
        filters += [{"language": code} for code in stories.used_languages()]
        filters += [{"country": code} for code in stories.used_countries()]
        filters += [{"role": role} for role in Story.TellerRole.values]
        pages += [f"{story_list}?{urlencode(query)}" for query in filters]
        pages += [reverse("stories:story_tag", args=[tag.slug]) for tag in stories.used_tags()]
        for story in stories.filter(tagged_items__isnull=False).distinct():
            pages += [story.get_absolute_url(), f"{story.get_absolute_url()}?original=1"]
            pages.append(reverse("stories:story_report", args=[story.slug]))
            pages.append(story.manage_url())
            pages.append(f"{story.manage_url()}propose/")
    return pages


def admin_pages():
    """The moderators' pages: the story queue (by each topic, and by its
    own filters), their preferences, each story, the reports and the
    translations to review."""
    pages = [reverse("admin:stories_story_changelist"), reverse("admin:stories_report_changelist")]
    pages += [f"{reverse('admin:stories_story_changelist')}?tag={tag.slug}" for tag in Tag.objects.all()]
    # The queue's own filters, all at once, and the moderator's preferences.
    pages.append(
        reverse("admin:stories_story_changelist")
        + "?reply=yes&overdue=yes&minor=no&photo=yes&content_note=yes&hints=yes&claim=nobody"
    )
    pages.append(reverse("admin:stories_story_preferences"))
    pages += [reverse("admin:stories_story_change", args=[story.pk]) for story in Story.objects.all()]
    pages.append(reverse("admin:stories_storytranslation_changelist"))
    pages += [
        reverse("admin:stories_storytranslation_change", args=[pk])
        for pk in Story.objects.get(language="ar").translations.values_list("pk", flat=True)
    ]
    pages.append(reverse("admin:stories_storyrevision_changelist"))
    pages += [
        reverse("admin:stories_storyrevision_change", args=[pk])
        for pk in StoryRevision.objects.values_list("pk", flat=True)
    ]
    return pages


def sitemap_pages(client):
    locations = re.findall(r"<loc>([^<]+)</loc>", whole_sitemap(client))
    return [urlsplit(location).path for location in locations]


def server_errors(client, pages):
    answers = {page: client.get(page).status_code for page in pages}
    return {page: status for page, status in answers.items() if status >= 500}


def test_every_public_page_answers_in_every_language_with_topics_in_every_script(stories_in_every_script):
    client = Client(raise_request_exception=False)
    pages = [page for language in LANGUAGES for page in public_pages(language)]
    pages += sitemap_pages(client)

    assert server_errors(client, pages) == {}
    assert len(pages) > 500


def test_every_moderator_page_answers_with_topics_in_every_script(stories_in_every_script):
    client = Client(raise_request_exception=False)
    client.force_login(stories_in_every_script)

    assert server_errors(client, admin_pages()) == {}


def test_the_stories_carry_every_topic_typed_each_linked_from_their_page(stories_in_every_script):
    client = Client()
    expected = sorted(
        [name for _text, topics in TYPED_TOPICS.values() for name in topics] + ["?!", "परिवार", "❤️", "🏳️‍🌈"]
    )

    assert sorted(Tag.objects.values_list("name", flat=True)) == expected
    for story in Story.objects.filter(tagged_items__isnull=False).distinct():
        html = client.get(story.get_absolute_url()).content.decode()
        for tag in story.tags.all():
            assert f'href="{reverse("stories:story_tag", args=[tag.slug])}"' in html
            assert client.get(reverse("stories:story_tag", args=[tag.slug])).status_code == 200
