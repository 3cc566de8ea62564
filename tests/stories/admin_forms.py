"""The story admin's change form, sent as a browser would."""


def change_form_data(story, **changes):
    """The change form as the browser sends it, unchanged but for ``changes``."""
    data = {
        "title": story.title,
        "body": story.body,
        "content_note": story.content_note,
        "naming": story.naming,
        "name": story.name,
        "city_or_region": story.city_or_region,
        "photo_alt_text": story.photo_alt_text,
        "tags": ", ".join(tag.name for tag in story.tags.all()),
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "log_entries-TOTAL_FORMS": "0",
        "log_entries-INITIAL_FORMS": "0",
    }
    return {**data, **changes}
