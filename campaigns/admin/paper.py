"""Paper pledge batches: added here, never changed or deleted.

A saved batch opens read-only (no change or delete permission, whoever the
user); a mistake is put right by a correction, which its page links to with
the campaign, event and country filled in. The form checks a batch with
:meth:`PaperBatch.check_allowed`, which locks the campaign row: the admin runs
the whole request in one transaction, so nothing changes between that check
and :meth:`PaperBatch.record` in ``save_model``.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from campaigns.models import PaperBatch, PaperBatchError

ENTERED_FIELDS = ["campaign", "event", "country", "count", "note", "corrects"]


class PaperBatchForm(forms.ModelForm):
    class Meta:
        model = PaperBatch
        fields = ENTERED_FIELDS

    def clean(self):
        cleaned = super().clean()
        count = cleaned.get("count")
        # Left to the model's constraints (their messages say it): no count,
        # zero, or a negative one that corrects nothing.
        if self.errors or not count or (count < 0 and not cleaned.get("corrects")):
            return cleaned
        batch = PaperBatch(**{name: cleaned.get(name) for name in ENTERED_FIELDS})
        try:
            batch.check_allowed()
        except PaperBatchError as refusal:
            raise forms.ValidationError(refusal.message, code="paper_batch_refused") from None
        return cleaned


@admin.register(PaperBatch)
class PaperBatchAdmin(admin.ModelAdmin):
    form = PaperBatchForm
    list_display = ["entered_at", "campaign", "event", "country", "count", "corrects", "entered_by", "note"]
    list_filter = ["campaign", "event", "country"]
    list_select_related = ["campaign", "event", "entered_by", "corrects__campaign"]
    search_fields = ["note"]
    date_hierarchy = "entered_at"
    readonly_fields = ["entered_by", "entered_at", "forms_left", "correction_list", "correct_link"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ENTERED_FIELDS
        if obj.is_correction:
            return [*ENTERED_FIELDS, "entered_by", "entered_at"]
        return [*ENTERED_FIELDS, "entered_by", "entered_at", "forms_left", "correction_list", "correct_link"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "corrects":
            # Only an original batch can be corrected.
            kwargs["queryset"] = PaperBatch.objects.filter(corrects__isnull=True).select_related("campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Never edited in place, never deleted: corrections are new batches.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.record(by=request.user)

    @admin.display(description=_("forms left, corrections included"))
    def forms_left(self, batch):
        return batch.count + batch.corrections.total()

    @admin.display(description=_("corrections"))
    def correction_list(self, batch):
        corrections = batch.corrections.order_by("entered_at", "pk").select_related("entered_by")
        return (
            format_html_join(
                "",
                '<p><a href="{}">{:+d}</a> · {} · {} · {}</p>',
                (
                    (
                        reverse("admin:campaigns_paperbatch_change", args=[correction.pk]),
                        correction.count,
                        correction.entered_at.strftime("%Y-%m-%d %H:%M"),
                        correction.entered_by,
                        correction.note,
                    )
                    for correction in corrections
                ),
            )
            or "-"
        )

    @admin.display(description=_("correct this batch"))
    def correct_link(self, batch):
        initial = {"corrects": batch.pk, "campaign": batch.campaign_id, "country": batch.country.code}
        if batch.event_id:
            initial["event"] = batch.event_id
        url = f"{reverse('admin:campaigns_paperbatch_add')}?{urlencode(initial)}"
        return format_html('<a href="{}">{}</a>', url, _("Enter a correction of this batch"))
