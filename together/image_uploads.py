"""How an image upload comes in through a form: one field, and one admin shape.

Every form that takes an image (the storyteller's photo; in the admin, the
campaign's hero image, a partner's logo, a media kit image) declares an
:class:`ImageUploadField`, and every admin that saves one is a
:class:`StoredImageAdmin`.

Invariants:

* The upload itself is never stored, and only ``together.images`` opens it:
  the field hands it to ``clean_upload`` and its cleaned value is the decoded,
  metadata-free ``PIL.Image`` (or None without an upload), never the file.
* The admin writes the image's renditions only after the row is saved, through
  the model's own ``replace_…`` method; when the storage cannot take them
  (``StorageUnavailable``) the rest of the change stays saved and the admin
  says the image was not changed: never a 500.
* Rows are deleted from the admin one by one, through the model's
  ``delete()``, so that each row's files go with it.
"""

from django import forms
from django.contrib import messages

from together.images import ALLOWED_FORMATS, StorageUnavailable, clean_upload

# What the file picker offers: the formats clean_upload accepts, no more.
ACCEPTED_TYPES = ",".join(f"image/{fmt.lower()}" for fmt in sorted(ALLOWED_FORMATS))


class ImageUploadField(forms.FileField):
    """A file upload whose cleaned value is the image ``clean_upload`` makes
    of it (a ``PIL.Image``), or None when nothing was uploaded. Its refusals are
    ``clean_upload``'s ``ValidationError``s, shown on the field. Each use gives
    its own label and help text."""

    widget = forms.FileInput(attrs={"accept": ACCEPTED_TYPES})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return self.to_image(upload) if upload else None

    def to_image(self, upload):
        """The clean image of an upload; a subclass may word a refusal better."""
        return clean_upload(upload)


class StoredImageAdmin:
    """A ModelAdmin mixin (before the ModelAdmin class) for a model with an
    uploaded image: ``image_upload`` is ``(form field, the model's method that
    makes a cleaned image its own)``, e.g. ``("logo", Partner.replace_logo)``."""

    image_upload = None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        field, replace = self.image_upload
        image = form.cleaned_data.get(field)
        if image:
            try:
                replace(obj, image)
            except StorageUnavailable as error:  # the rest is saved; never a 500
                messages.error(request, error.admin_message)

    def delete_queryset(self, request, queryset):
        # One by one, so that each row's delete() takes its files with it.
        for obj in queryset:
            obj.delete()
