"""Filling in an event's sign-up form as a person would."""


def signup_data(**overrides):
    return {"name": "Amina", "email": "amina@example.org", "role": "runner", "nationality": "SY", **overrides}
