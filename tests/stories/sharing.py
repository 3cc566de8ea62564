"""Sending the sharing form, and the forms behind the private link, as a
storyteller would."""

from stories.forms import BODY_MIN_LENGTH, StoryForm

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
