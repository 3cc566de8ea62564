"""Sending the sharing form, and the forms behind the private link, as a
storyteller would."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from stories.forms import BODY_MIN_LENGTH, StoryForm
from tests.together.photos import gps_photo

BODY = (
    "When we arrived in the town, it was raining and we knew nobody. A woman from the bakery on the corner "
    "gave my children bread every morning and asked nothing in return.\n\n"
    "Today I work in that bakery, and I give bread to the children who arrive after us."
)
assert len(BODY) >= BODY_MIN_LENGTH


def story_data(**overrides):
    """A complete, valid submission of the sharing form (an override of
    None leaves that field out)."""
    data = {
        "title": "Bread every morning",
        "body": BODY,
        "teller_role": "refugee",
        "naming": "anonymous",
        "name": "",
        "country_of_origin": "SY",
        "country_of_residence": "BE",
        "city_or_region": "Wallonia",
        "language": "en",
        "tags": "bakery, welcome",
        "content_note": "",
        "photo_alt_text": "",
        "email": "amina@example.org",
        "sharing": "site",
        "consent": "on",
        "website": "",
        "started": StoryForm()["started"].value(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def manage_url(story, page=""):
    return f"/en/stories/manage/{story.manage_token()}/{page + '/' if page else ''}"


def edit_data(story, **overrides):
    data = {
        "title": story.title,
        "body": BODY,
        "teller_role": story.teller_role,
        "naming": story.naming,
        "name": story.name,
        "language": story.language,
        "tags": ", ".join(story.tags.names()),
        "photo_alt_text": story.photo_alt_text,
    }
    if story.photo_people_consented:
        data["photo_people_consented"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


CREATE_URL = "/en/stories/share/"


def photo_upload(data=None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, gps_photo() if data is None else data, content_type=content_type)


def submit(client, **overrides):
    return client.post(CREATE_URL, story_data(**overrides))


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]
