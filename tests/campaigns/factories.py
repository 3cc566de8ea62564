from datetime import date, timedelta

import factory
from django.utils import timezone, translation
from PIL import Image

from campaigns.models import (
    Campaign,
    Event,
    MediaKitItem,
    MediaKitItemKind,
    MediaKitUsage,
    PaperBatch,
    Partner,
    PartnerKind,
    Pledge,
    PressContact,
    PressRelease,
    SignUp,
    StandLink,
)
from tests.stories.factories import UserFactory
from together.mail import normalise_email


class EnglishTextFactory(factory.django.DjangoModelFactory):
    """Texts given by their plain name ("title") are the English ones.

    modeltranslation writes a plain name into the active language's column,
    and a request to /fr/... leaves French active for the rest of the test
    (and for the next test of the same worker)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with translation.override("en"):
            return super()._create(model_class, *args, **kwargs)


class CampaignFactory(EnglishTextFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    summary = "People standing with refugees and migrants."
    body = "Why this campaign matters."
    pledge_text = "I stand together with refugees and migrants."
    starts_on = date(2016, 9, 19)
    is_active = False


class PartnerFactory(EnglishTextFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = PartnerKind.CIVIL_SOCIETY
    description = "Neighbours who welcome newcomers."

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.add(*extracted)


class PressReleaseFactory(EnglishTextFactory):
    class Meta:
        model = PressRelease

    title = factory.Sequence(lambda n: f"Press release {n}")
    slug = factory.Sequence(lambda n: f"press-release-{n}")
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    summary = "What happened, in one sentence."
    body = "First paragraph.\n\nSecond paragraph."
    contact = "Press office\npress@together.example"


class PressContactFactory(EnglishTextFactory):
    class Meta:
        model = PressContact

    name = factory.Sequence(lambda n: f"Press officer {n}")
    role = "Spokesperson, IOM Brussels"
    email = factory.Sequence(lambda n: f"press{n}@together.example")
    phone = "+32 2 555 01 00"
    languages = "English, Français"


class MediaKitItemFactory(EnglishTextFactory):
    """A credited photo with its consent; its image is stored through the model
    (``image=`` a PIL image, or a plain one by default; ``image=False`` for none)."""

    class Meta:
        model = MediaKitItem
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    kind = MediaKitItemKind.PHOTO
    caption = factory.Sequence(lambda n: f"Runners at the arch, photo {n}")
    alt_text = "Runners in blue shirts pass under a stone arch."
    credit = "© IOM / Jane Doe"
    usage = MediaKitUsage.EDITORIAL_WITH_CREDIT
    consent = "The runners shown agreed to its use by the press."

    @factory.post_generation
    def image(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.replace_image(extracted or Image.new("RGB", (1000, 600), "teal"))


class EventFactory(EnglishTextFactory):
    """An upcoming event in Brussels with 50 places, open for sign-up."""

    class Meta:
        model = Event

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Team run {n}")
    slug = factory.Sequence(lambda n: f"team-run-{n}")
    kind = Event.Kind.RUN
    summary = "Run together through the city."
    description = "We meet at the start line."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=4))
    time_zone = "Europe/Brussels"
    venue_name = "Cinquantenaire Park"
    address = "Parc du Cinquantenaire, 1000 Brussels"
    places = 50
    signups_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    signups_close_at = factory.LazyAttribute(lambda event: event.starts_at - timedelta(days=1))


class SignUpFactory(factory.django.DjangoModelFactory):
    """A pending sign-up; ``confirmed=True`` confirms it through the model
    (it then holds a place or waits, as the event's places decide)."""

    class Meta:
        model = SignUp
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    email_normalised = factory.LazyAttribute(lambda signup: normalise_email(signup.email))
    role = SignUp.Role.RUNNER
    language = "en"

    @factory.post_generation
    def confirmed(signup, create, extracted, **kwargs):
        if create and extracted:
            signup.confirm(notify=False)


class PledgeFactory(factory.django.DjangoModelFactory):
    """An unconfirmed pledge; confirm it with pledge.confirm() so the
    counters stay true (never by setting confirmed_at)."""

    class Meta:
        model = Pledge

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"supporter{n}@example.org")
    email_normalised = factory.LazyAttribute(lambda pledge: normalise_email(pledge.email))
    country = "BE"
    language = "en"


class StandLinkFactory(factory.django.DjangoModelFactory):
    """A stand link open now (valid from an hour ago for a day), for an
    upcoming event of an active campaign unless told otherwise."""

    class Meta:
        model = StandLink

    event = factory.SubFactory(EventFactory, campaign=factory.SubFactory(CampaignFactory, is_active=True))
    label = factory.Sequence(lambda n: f"Tablet {n}")
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    valid_until = factory.LazyAttribute(lambda link: link.valid_from + timedelta(days=1))


class PaperBatchFactory(factory.django.DjangoModelFactory):
    """A batch of paper pledge forms, recorded through ``PaperBatch.record``
    (so the campaign's paper total counts it) by a staff user."""

    class Meta:
        model = PaperBatch

    campaign = factory.SubFactory(CampaignFactory)
    country = "BE"
    count = 10
    entered_by = factory.SubFactory(UserFactory, is_staff=True)

    @classmethod
    def _create(cls, model_class, *args, entered_by, **kwargs):
        return model_class(*args, **kwargs).record(by=entered_by)
