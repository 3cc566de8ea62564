"""Stories and moderators for tests, built from the real models.

``StoryFactory()`` is a pending, anonymous story in English with an email
address. Traits: ``published``, ``declined``, ``changes_requested``,
``unpublished``, ``featured`` (published and featured), ``with_photo`` (real
renditions written to MEDIA_ROOT through together.images), ``minor``.
``StoryFactory(tags=["family", "work"])`` sets tags.

``StoryTranslationFactory()`` is a pending French translation of a published
English story by a new ``TranslatorFactory`` user; trait ``published``
(reviewed by a moderator).
"""

import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from stories.models import (
    MODERATORS_GROUP,
    SHARING_CONSENT_VERSION,
    TRANSLATORS_GROUP,
    Story,
    StoryTranslation,
)
from together.images import clean_upload, save_renditions


def make_photo_renditions(size=(1000, 600), colour=(40, 120, 160)):
    """Renditions of a drawn image, stored the way a submitted photo is."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="orange")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    cleaned = clean_upload(SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"))
    return [vars(rendition) for rendition in save_renditions(cleaned, prefix="stories")]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@together.example")


class ModeratorFactory(UserFactory):
    """A staff user in the Moderators group (created if missing)."""

    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True

    @factory.post_generation
    def moderators_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A new home, part {n}")
    body = "We arrived in winter.\n\nOur neighbours brought soup and blankets."
    teller_role = Story.TellerRole.REFUGEE
    language = "en"
    email = factory.Sequence(lambda n: f"teller{n}@example.org")
    consent_version = "2026-11"
    consented_at = factory.LazyFunction(timezone.now)
    # The widest choice, so that a published story is on every surface;
    # tests of the consent levels set ``sharing`` themselves.
    sharing = Story.Sharing.PRESS
    sharing_consent_version = SHARING_CONSENT_VERSION
    # A story made "submitted" at some time has waited since then.
    waiting_since = factory.LazyAttribute(
        lambda story: getattr(story, "submitted_at", None) or timezone.now()
    )

    class Params:
        published = factory.Trait(
            status=Story.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            decided_at=factory.SelfAttribute("published_at"),
        )
        featured = factory.Trait(published=True, is_featured=True)
        unpublished = factory.Trait(
            status=Story.Status.UNPUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            decided_at=factory.SelfAttribute("published_at"),
        )
        declined = factory.Trait(
            status=Story.Status.DECLINED,
            decline_reason_code=Story.DeclineReason.NOT_PERSONAL,
            decline_note="We publish personal stories only.",
            decided_at=factory.LazyFunction(timezone.now),
        )
        changes_requested = factory.Trait(
            status=Story.Status.CHANGES_REQUESTED,
            decline_note="Please remove the name of the street.",
        )
        with_photo = factory.Trait(
            photo_renditions=factory.LazyFunction(make_photo_renditions),
            photo_alt_text="A blue square with an orange circle.",
            photo_people_consented=True,
        )
        minor = factory.Trait(is_minor=True, guardian_consent=True)

    @factory.post_generation
    def tags(story, create, extracted, **kwargs):
        if create and extracted:
            story.tags.set(extracted)


class TranslatorFactory(UserFactory):
    """A staff user in the Translators group (made by the data migration)."""

    username = factory.Sequence(lambda n: f"translator{n}")
    is_staff = True

    @factory.post_generation
    def translators_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))


class StoryTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryTranslation

    story = factory.SubFactory(StoryFactory, published=True)
    language = "fr"
    title = factory.Sequence(lambda n: f"Une nouvelle maison, partie {n}")
    body = "Nous sommes arrivés en hiver.\n\nNos voisins ont apporté de la soupe et des couvertures."
    translated_by = factory.SubFactory(TranslatorFactory)

    class Params:
        published = factory.Trait(
            status=StoryTranslation.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            reviewed_by=factory.SubFactory(ModeratorFactory),
        )
