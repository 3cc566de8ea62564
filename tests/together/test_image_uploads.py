"""The one form field for image uploads (together/image_uploads.py); what its
uses do with it is tested with each form (the admin's campaign, partner and
media kit tests, the story forms)."""

from django import forms

from together.image_uploads import ImageUploadField


class UploadForm(forms.Form):
    image = ImageUploadField(required=False)


def test_an_image_upload_offers_the_file_picker_exactly_the_formats_clean_upload_accepts():
    html = str(UploadForm()["image"])

    assert 'accept="image/jpeg,image/png,image/webp"' in html
