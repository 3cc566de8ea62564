"""The press room: releases, their contacts, and each campaign's media kit.

``PressRelease.objects.published()`` is the one definition of a public
release: dated, and its date passed. The date is the embargo: before it the
release is on no public page, feed or sitemap (the list, the page, its share
image, the Atom feed, the sitemap and the campaign page all read
``published()``). A media kit item is stored as metadata-free renditions only
(:class:`together.images.StoredImage`), never the upload, and says under which
terms and consent it may be used.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaign import Campaign
from together.images import OwnsStoredImage, StoredImage


class PressContact(models.Model):
    """Someone who answers journalists, named on the releases they answer for."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, help_text=_("For example: Spokesperson, IOM Brussels.")
    )
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("With the country code: +32 2 …")
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_(
            "Each in its own name, so that every journalist can read it: English, Français, العربية."
        ),
    )

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""),
                name="press_contact_reachable",
                violation_error_message=_(
                    "Give an email address or a phone number: a contact must be reachable."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})"


class PressReleaseQuerySet(models.QuerySet):
    def published(self):
        """The releases the public may read: dated, and not in the future."""
        return self.filter(published_at__lte=timezone.now())


class PressRelease(models.Model):
    """A press release, dated and signed with a press contact."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    published_at = models.DateTimeField(
        _("release date"),
        null=True,
        blank=True,
        help_text=_(
            "Shown as the date of the release, and its embargo: before this time the release is on no "
            "public page, feed or sitemap. Leave empty to keep it as a draft."
        ),
    )
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences, shown in lists.")
    )
    body = models.TextField(_("body"), help_text=_("Plain text; leave an empty line between paragraphs."))
    contact = models.TextField(
        _("press contact"),
        blank=True,
        help_text=_("Anything about contacting the press office that the contacts below do not say."),
    )
    contacts = models.ManyToManyField(
        PressContact, verbose_name=_("press contacts"), related_name="press_releases", blank=True
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        related_name="press_releases",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["-published_at", "-id"], name="press_release_newest")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:press_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        """Whether ``published()`` includes it now (for the admin's status column)."""
        return self.published_at is not None and self.published_at <= timezone.now()


class MediaKitItemKind(models.TextChoices):
    LOGO = "logo", _("Logo")
    PHOTO = "photo", _("Photo")


class MediaKitUsage(models.TextChoices):
    """The terms under which an item may be used, as the people shown and its author agreed."""

    FREE_WITH_CREDIT = "free_with_credit", _("Free to use, with the credit")
    EDITORIAL_WITH_CREDIT = "editorial_with_credit", _("Only in reporting on the campaign, with the credit")
    LOGO_UNALTERED = "logo_unaltered", _("Unaltered, only to refer to the campaign")


class MediaKitItemQuerySet(models.QuerySet):
    def shown(self):
        """The items the media kit pages show: those with their image stored."""
        return self.exclude(image_renditions=[])


class MediaKitItem(OwnsStoredImage, models.Model):
    """A logo or a photo journalists may use, with its credit, its text
    alternative and the consent under which it may be used."""

    stored_image = "image"

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), related_name="media_kit_items", on_delete=models.PROTECT
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MediaKitItemKind, default=MediaKitItemKind.PHOTO
    )
    caption = models.CharField(
        _("caption"), max_length=300, help_text=_("What, where and when, in one sentence.")
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("To print with the image, e.g. “© IOM / Jane Doe”."),
    )
    usage = models.CharField(_("terms of use"), max_length=30, choices=MediaKitUsage)
    consent = models.CharField(
        _("consent"),
        max_length=400,
        blank=True,
        help_text=_("Who agreed to what, e.g. “The people shown agreed to its use by the press, May 2026.”"),
    )
    # Metadata-free renditions made by together.images; the upload is never stored.
    image_renditions = models.JSONField(_("image renditions"), default=list, blank=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))

    objects = MediaKitItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("media kit item")
        verbose_name_plural = _("media kit items")
        ordering = ["campaign", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MediaKitItemKind.values)
                & models.Q(usage__in=MediaKitUsage.values),
                name="media_kit_item_choices_valid",
                violation_error_message=_("Choose one of the kinds and one of the terms of use."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=MediaKitItemKind.LOGO) | ~models.Q(credit=""),
                name="media_kit_photo_credited",
                violation_error_message=_("A photo needs its credit: who took it, for whom."),
            ),
        ]

    def __str__(self):
        return self.caption

    @property
    def image(self):
        """The image (:class:`together.images.StoredImage`); its fallback is a 960-pixel JPEG."""
        return StoredImage(self.image_renditions, fallback_width=960)

    def replace_image(self, image):
        """Store renditions of a cleaned ``image`` (``images.clean_upload``); the
        previous files are deleted once the transaction commits."""

        def save(new):
            self.image_renditions = new.as_json()
            self.save(update_fields=["image_renditions"])

        self.image.replace_with(image, prefix=f"media-kit/{self.campaign.slug}", save=save)
