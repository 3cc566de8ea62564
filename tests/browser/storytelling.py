"""Helpers of the browser journeys of storytellers and moderators: sharing a
story through the form as a person would, and the Moderators group as its
data migrations make it."""


from django.urls import reverse
from PIL import Image

from stories.forms import CONSENT_TEXT
from tests.browser.conftest import click_button, fill_by_label, select_by_label

STORY_BODY = (
    "When we arrived in the town, it was raining and we knew nobody. A woman from the bakery on the corner "
    "gave my children bread every morning and asked nothing in return.\n\n"
    "Today I work in that bakery, and I give bread to the children who arrive after us."
)


def small_jpeg(tmp_path):
    path = tmp_path / "bakery.jpg"
    Image.new("RGB", (320, 240), (200, 150, 90)).save(path, "JPEG")
    return path


def share_story(page, *, title, body=STORY_BODY, topics="bakery, welcome", photo=None):
    """Fill in and send the sharing form as a storyteller would."""
    page.goto(reverse("stories:story_create"))
    fill_by_label(page, "Title", title)
    fill_by_label(page, "Your story", body)
    page.get_by_label("I am a refugee", exact=True).check()
    page.get_by_label("Anonymously", exact=True).check()
    select_by_label(page, "Language of your story", "English")
    fill_by_label(page, "Topics", topics)
    if photo:
        page.get_by_label("Photo", exact=True).set_input_files(photo)
        fill_by_label(page, "Describe the photo for people who cannot see it", "Loaves of bread on a shelf.")
        page.get_by_label(
            "Everyone who can be recognised in the photo agreed to its publication", exact=True
        ).check()
    fill_by_label(page, "Your email address", "amina@example.org")
    page.get_by_label(str(CONSENT_TEXT), exact=True).check()
    click_button(page, "Send my story")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for sharing your story"


