"""Filling in an event's sign-up form as a person would."""

import re

from django.urls import reverse


def signup_data(**overrides):
    return {"name": "Amina", "email": "amina@example.org", "role": "runner", "nationality": "SY", **overrides}


def post_signup(client, event, **overrides):
    """Open the sign-up form (for its time stamp), then send it filled in."""
    form_page = client.get(reverse("campaigns:event_signup", args=[event.slug])).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', form_page).group(1)
    return client.post(
        reverse("campaigns:event_signup", args=[event.slug]), {**signup_data(**overrides), "started": started}
    )
