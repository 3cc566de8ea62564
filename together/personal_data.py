"""Everything the site holds about one email address, for the person it
belongs to: to see it (a page and a JSON download) and to erase it.

The way in is a link emailed to the address (together.tasks), signed and
dated with :mod:`together.tokens` over the normalised address
(:func:`together.mail.normalise_email`), valid for
settings.PERSONAL_DATA_LINK_HOURS: whoever reads the mailbox is the person.

What is looked up, by address: the stories they shared (not withdrawn:
a withdrawn story holds no address any more), their pledges, their event
sign-ups and the emails the outbox holds for them. Readers' reports hold
no address, so nobody's reports can be found this way (nor need to be).
Stories, pledges, sign-ups and emails are all matched on the normalised
address (``Story.email_normalised``, ``email_normalised``, ``to_normalised``),
so every spelling of one mailbox is found: a story sent as
"A.B+x@gmail.com" is on the page of "ab@gmail.com", and the same rows are
what erasing removes. Each lookup is answered by an index on the address
(campaigns 0011, stories 0017, the outbox's ``to_normalised``): a request
reads one person's rows, not a million pledges.

Erasing reuses the erase paths that already exist, one per kind, each with
its own lock and log: ``Story.withdraw``, ``Pledge.withdraw`` (the counters
follow), ``SignUp.remove`` (a freed place goes to the next person waiting)
and ``together.mail.erase_emails_to``.
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from campaigns.models import Pledge, SignUp
from stories.models import IllegalTransition, Story
from together.mail import erase_emails_to, normalise_email
from together.models import OutboundEmail
from together.tokens import make_token, read_token

_PURPOSE = "together.personal-data"


def request_answer():
    """What the person who asked is told, whether or not the address is known."""
    return gettext(
        "If we hold anything about this address, we have just sent a link to it. "
        "If no email arrives, we hold nothing about it."
    )


def link_valid_for_hours():
    return settings.PERSONAL_DATA_LINK_HOURS


def token_for(email):
    """The token of the link to the data of ``email`` (dated: it expires)."""
    return make_token(normalise_email(email), purpose=_PURPOSE)


def email_from_token(token):
    """The address a link stands for. Raises ``signing.SignatureExpired``
    after settings.PERSONAL_DATA_LINK_HOURS, ``signing.BadSignature`` for
    any other token."""
    return read_token(token, purpose=_PURPOSE, max_age=link_valid_for_hours() * 3600, text=True)


def data_url(email, language):
    """The absolute link to the data of ``email``, in ``language``, for the email."""
    with translation.override(language):
        return settings.SITE_URL + reverse("personal_data", kwargs={"token": token_for(email)})


@dataclass
class Holdings:
    """What the site holds about ``email`` (a few rows each: one person's)."""

    email: str
    stories: list = field(default_factory=list)
    pledges: list = field(default_factory=list)
    signups: list = field(default_factory=list)
    emails: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.stories or self.pledges or self.signups or self.emails)

    def as_json(self):
        """Everything, as a JSON-ready dict (the download)."""
        return {
            "email": self.email,
            "stories": [
                {
                    "title": story.title,
                    "text": story.body,
                    "status": story.status,
                    "how_to_be_named": story.naming,
                    "name": story.name,
                    "country_of_origin": story.country_of_origin.code,
                    "country_of_residence": story.country_of_residence.code,
                    "city_or_region": story.city_or_region,
                    "language": story.language,
                    "content_note": story.content_note,
                    "under_18": story.is_minor,
                    "has_photo": story.has_photo,
                    "photo_description": story.photo_alt_text,
                    "where_it_may_appear": story.sharing,
                    "consent_version": story.consent_version,
                    "sharing_consent_version": story.sharing_consent_version,
                    "submitted_at": story.submitted_at.isoformat(),
                    "published_at": story.published_at and story.published_at.isoformat(),
                    "your_reply": story.storyteller_reply,
                }
                for story in self.stories
            ],
            "pledges": [
                {
                    "campaign": pledge.campaign.title,
                    "name": pledge.name,
                    "email": pledge.email,
                    "country": pledge.country.code,
                    "listed_publicly": pledge.show_publicly,
                    "keep_informed": pledge.keep_informed,
                    "message": pledge.message,
                    "created_at": pledge.created_at.isoformat(),
                    "confirmed_at": pledge.confirmed_at and pledge.confirmed_at.isoformat(),
                }
                for pledge in self.pledges
            ],
            "event_signups": [
                {
                    "event": signup.event.title,
                    "name": signup.name,
                    "email": signup.email,
                    "role": signup.role,
                    "nationality": signup.nationality.code,
                    "status": signup.status,
                    "signed_up_at": signup.created_at.isoformat(),
                }
                for signup in self.signups
            ],
            "emails": [
                {
                    "subject": message.subject,
                    "created_at": message.created_at.isoformat(),
                    "sent_at": message.sent_at and message.sent_at.isoformat(),
                    "text": message.text_body,
                }
                for message in self.emails
            ],
        }


def holdings(email):
    """What the site holds about ``email`` (four queries, each answered by an
    index on the address: a few rows read whatever the size of the site).

    Everything is found by the normalised address, every spelling of it
    (as erasing finds them)."""
    email = normalise_email(email)
    return Holdings(
        email=email,
        stories=list(Story.objects.of_storyteller(email).order_by("submitted_at")),
        pledges=list(
            Pledge.objects.filter(email_normalised=email, anonymised_at__isnull=True)
            .select_related("campaign")
            .order_by("created_at")
        ),
        signups=list(
            SignUp.objects.filter(email_normalised=email, erased_at__isnull=True)
            .select_related("event")
            .order_by("created_at")
        ),
        emails=list(OutboundEmail.objects.filter(to_normalised=email).order_by("created_at")),
    )


def erase(email):
    """Erase everything the site holds about ``email`` through the existing
    erase paths. Returns how many stories, pledges and sign-ups went."""
    held = holdings(email)
    for story in held.stories:
        with suppress(IllegalTransition):  # withdrawn meanwhile, through its own link
            story.withdraw()
    for pledge in held.pledges:
        pledge.withdraw()
    for signup in held.signups:
        signup.remove()
    erase_emails_to(held.email)
    return {"stories": len(held.stories), "pledges": len(held.pledges), "signups": len(held.signups)}
