"""Press releases. ``PressRelease.objects.published()`` is the one definition
of a public release: dated, and not in the future."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaign import Campaign


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
            "Shown as the date of the release. Leave empty to keep it as a draft; "
            "a date in the future publishes it then."
        ),
    )
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences, shown in lists.")
    )
    body = models.TextField(_("body"), help_text=_("Plain text; leave an empty line between paragraphs."))
    contact = models.TextField(
        _("press contact"), blank=True, help_text=_("Who answers the press: name, role, email, phone.")
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
