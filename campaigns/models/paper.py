"""Paper pledges: forms signed on paper (at a stand, a talk), counted apart.

Staff enter what they counted as a :class:`PaperBatch`: how many forms, from
which country, at which event (optional), with a note; who entered it and
when are recorded. A batch is its own log entry and is never changed or
deleted: a mistake is corrected by a new batch that names the one it
corrects (``corrects``) and adds or takes away forms (a negative count). So
the history of every figure stays readable, and a correction can only be
made of an original batch, keeping its campaign, event and country, and
never below zero forms. ``PaperBatch.record`` is the only writer: it locks
the campaign row first (as ``Pledge.confirm``/``withdraw`` do), checks, then
inserts the batch and adds its count to ``Campaign.paper_pledges`` in the
same transaction, so pages read the total instead of summing rows.

The database backs these rules: a batch's count is never zero, only a
correction may be negative, every foreign key protects the batches (a
campaign, event or staff account with batches cannot be deleted), and a
trigger (migration ``0007``) refuses any UPDATE of a batch row.

Paper pledges are never mixed with online ones: ``Campaign.confirmed_pledges``
stays the exact count of pledges confirmed by email; pages, the widget and
``stats.json`` show the two figures and their sum side by side.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from campaigns.models.campaign import Campaign
from together.refusals import Refusal


class PaperBatchError(Refusal):
    """A batch that may not be recorded (see :meth:`PaperBatch.check_allowed`)."""


class PaperBatchQuerySet(models.QuerySet):
    def total(self):
        """The net number of forms in these batches (corrections included)."""
        return self.aggregate(total=Sum("count", default=0))["total"]

    def by_country(self):
        """[(country code, net forms)] with forms left, largest first."""
        rows = self.values_list("country").annotate(total=Sum("count")).values_list("country", "total")
        return sorted(((code, total) for code, total in rows if total), key=lambda row: (-row[1], row[0]))

    def delete(self):
        raise PaperBatchError(_("Paper pledge batches are never deleted: enter a correction instead."))

    def update(self, **kwargs):
        raise PaperBatchError(_("Paper pledge batches are never changed: enter a correction instead."))


class PaperBatch(models.Model):
    """A number of paper pledge forms counted by staff, or a correction of one."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="paper_batches", verbose_name=_("campaign")
    )
    event = models.ForeignKey(
        "campaigns.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_batches",
        verbose_name=_("event"),
        help_text=_("Where the forms were signed, if at one of the campaign's events."),
    )
    country = CountryField(_("country"), help_text=_("The country written on the forms."))
    count = models.IntegerField(
        _("forms"),
        help_text=_("How many signed forms. In a correction: how many to add, or to take away (negative)."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
        help_text=_("The batch this one corrects, if it is a correction."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now, editable=False)

    objects = PaperBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("paper pledge batch")
        verbose_name_plural = _("paper pledge batches")
        ordering = ["-entered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(count=0),
                name="paper_batch_count_not_zero",
                violation_error_message=_("A batch or a correction counts at least one form."),
            ),
            models.CheckConstraint(
                condition=models.Q(count__gt=0) | models.Q(corrects__isnull=False),
                name="paper_batch_negative_only_in_correction",
                violation_error_message=_("Only a correction of another batch can take forms away."),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "country"], name="paper_batch_campaign_country")]

    def __str__(self):
        return f"#{self.pk} {self.entered_at:%Y-%m-%d} {self.campaign}, {self.country.code}: {self.count:+d}"

    def save(self, *args, **kwargs):
        # record() is the one writer; a batch once saved is never changed.
        if not self._state.adding:
            raise PaperBatchError(_("Paper pledge batches are never changed: enter a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaperBatchError(_("Paper pledge batches are never deleted: enter a correction instead."))

    @property
    def is_correction(self):
        return self.corrects_id is not None

    def check_allowed(self):
        """Lock the campaign row and raise :class:`PaperBatchError` when this
        (unsaved) batch may not be recorded. Runs inside a transaction, which
        keeps the lock: the admin's form calls it while validating, and
        :meth:`record` again, so nothing can change in between."""
        Campaign.objects.select_for_update().only("pk").get(pk=self.campaign_id)
        if self.corrects_id is None:
            if self.event_id is not None and self.event.campaign_id != self.campaign_id:
                raise PaperBatchError(_("This event belongs to another campaign."))
            if self.count <= 0:
                raise PaperBatchError(
                    _("A batch counts at least one form. To take forms away, correct the batch they were in.")
                )
            return
        # The corrected batch was checked when it was recorded.
        corrected = PaperBatch.objects.get(pk=self.corrects_id)
        if corrected.is_correction:
            raise PaperBatchError(_("Correct the original batch, not one of its corrections."))
        if (corrected.campaign_id, corrected.event_id, corrected.country) != (
            self.campaign_id,
            self.event_id,
            self.country,
        ):
            raise PaperBatchError(
                _("A correction keeps the campaign, event and country of the batch it corrects.")
            )
        if self.count == 0:
            raise PaperBatchError(_("A correction changes the count by at least one form."))
        left = corrected.count + corrected.corrections.total()
        if left + self.count < 0:
            raise PaperBatchError(
                _("This correction takes away more forms than the batch has left: %(left)s.") % {"left": left}
            )

    def record(self, *, by):
        """Save this new batch as entered by ``by`` and add its count to the
        campaign's paper total, in one transaction under the campaign's lock.
        Raises :class:`PaperBatchError` (nothing saved) when it is not allowed."""
        if not self._state.adding:
            raise PaperBatchError(_("Paper pledge batches are never changed: enter a correction instead."))
        with transaction.atomic():
            self.check_allowed()
            self.entered_by = by
            self.entered_at = timezone.now()
            self.save()
            Campaign.objects.filter(pk=self.campaign_id).update(paper_pledges=F("paper_pledges") + self.count)
        return self

    @classmethod
    def repair_count(cls, campaign):
        """Make ``campaign.paper_pledges`` equal the sum of its batches, under
        the campaign's lock. Returns a description of what was wrong, or None."""
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            true_total = cls.objects.filter(campaign=locked).total()
            if locked.paper_pledges == true_total:
                return None
            Campaign.objects.filter(pk=locked.pk).update(paper_pledges=true_total)
        campaign.refresh_from_db(fields=["paper_pledges"])
        return f"{locked.slug}: paper {locked.paper_pledges} -> {true_total}"
