"""Submitting the pledge form and following the links of its emails, as a person would."""

import re

from django.conf import settings
from django.core import mail

from campaigns.forms import PledgeForm, StandPledgeForm


def pledge_data(**overrides):
    return {
        "name": "Amina Haddad",
        "email": "amina@example.org",
        "country": "BE",
        "message": "",
        "source": "",
        "website": "",
        "started": PledgeForm()["started"].value(),
        **overrides,
    }


def kiosk_data(**overrides):
    """The stand kiosk's form, filled in (its stamps are its own form's)."""
    return {
        "name": "Amina Haddad",
        "email": "amina@example.org",
        "country": "BE",
        "message": "",
        "website": "",
        "started": StandPledgeForm()["started"].value(),
        **overrides,
    }


def submit_pledge(client, campaign, **overrides):
    return client.post(campaign.get_absolute_url(), pledge_data(**overrides))


def link_from_last_email(kind):
    """The path of the pledge `kind` ("confirm" or "withdraw") link of the last email sent."""
    body = mail.outbox[-1].body
    match = re.search(re.escape(settings.SITE_URL) + rf"(/\S+/pledge/{kind}/\S+/)", body)
    assert match, f"no {kind} link in: {body}"
    return match.group(1)
