"""Many stories at once, for the tests that compare pages at two sizes."""

from django.utils import timezone
from taggit.models import Tag

from stories.models import Story, StoryTranslation, TaggedStory
from tests.stories.factories import ModeratorFactory, StoryFactory, TranslatorFactory


def add_stories(count, photo):
    """``count`` published stories (half featured, with photo and tags, a
    published French and a pending Spanish translation) and as many pending
    ones, inserted in bulk so that 200 stay quick to make."""
    tags = {name: Tag.objects.get_or_create(name=name, slug=name)[0] for name in ["family", "work"]}
    tags |= {
        f"topic-{n}": Tag.objects.get_or_create(name=f"topic-{n}", slug=f"topic-{n}")[0] for n in range(7)
    }
    built = []
    for number in range(count):
        published = StoryFactory.build(
            published=True,
            is_featured=number % 2 == 0,
            country_of_origin="SY",
            country_of_residence="BE",
            naming=Story.Naming.FIRST_NAME,
            name=f"Teller{number}",
            photo_renditions=photo,
            photo_alt_text="A drawn circle",
        )
        built += [published, StoryFactory.build()]  # pending stories must not change anything either
    for story in built:
        story.slug = Story.make_slug(story.title)
    stories = Story.objects.bulk_create(built)
    TaggedStory.objects.bulk_create(
        TaggedStory(content_object=story, tag=tags[name])
        for number, story in enumerate(stories)
        for name in ["family", "work", f"topic-{number % 7}"]
    )
    translator, reviewer = TranslatorFactory(username="translator"), ModeratorFactory(username="reviewer")
    StoryTranslation.objects.bulk_create(
        StoryTranslation(
            story=story,
            language=language,
            title=f"Traduction {story.pk}",
            body="Nous sommes arrivés en hiver.",
            translated_by=translator,
            **published,
        )
        for story in stories
        if story.status == Story.Status.PUBLISHED
        for language, published in [
            ("fr", {"status": "published", "published_at": timezone.now(), "reviewed_by": reviewer}),
            ("es", {}),
        ]
    )
