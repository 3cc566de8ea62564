"""How long the site keeps each kind of personal data, and the erasing.

Each period is a setting (``RETENTION_*`` in together/settings.py, from the
environment). Each rule below pairs what is due for erasure (a queryset
method of the model concerned, given ``now``) with the model method that
erases one row under its row lock and re-checks it there, so the rules are
idempotent and safe alongside people using the site: running them twice, or
from two cron hosts at once, erases each row once. The command
``manage.py purge_personal_data`` only calls :func:`purge`; the privacy page
(:func:`periods`) states the same settings, so page and code cannot disagree.

What stays after erasure is anonymous and keeps every public figure exact:
an erased sign-up keeps its role, nationality and status; an anonymised
pledge stays confirmed with its country; an erased declined story keeps its
decision, reason and dates; a delivered email keeps its recipient, subject
and dates (the log), not its text.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from campaigns.models import Pledge, SignUp
from stories.models import Story
from together.models import OutboundEmail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """One kind of personal data: ``due(now)`` is the queryset of rows to
    erase; ``erase(row, now)`` erases one (True when it did), or
    ``erase_all(due, now)`` erases them all at once (returns how many)."""

    name: str
    due: Callable
    erase: Callable | None = None
    # For rules erased in one statement instead of row by row.
    erase_all: Callable | None = None

    def run(self, now):
        if self.erase_all is not None:
            return self.erase_all(self.due(now), now)
        erased = 0
        for row in self.due(now).order_by("pk").iterator():
            erased += bool(self.erase(row, now))
        return erased


RULES = [
    Rule(
        "event sign-ups after the event",
        due=lambda now: SignUp.objects.past_retention(now),
        erase=lambda signup, now: signup.erase_after_event(now=now),
    ),
    Rule(
        "declined stories after the answer window",
        due=lambda now: Story.objects.declined_past_answer_window(now),
        erase=lambda story, now: story.erase_declined(now=now),
    ),
    Rule(
        "confirmed pledges after their campaign",
        due=lambda now: Pledge.objects.past_retention(now),
        erase=lambda pledge, now: pledge.anonymise(now=now),
    ),
    Rule(
        # The existing expiry of confirmation links (Pledge.delete_expired).
        "unconfirmed pledges after their link expired",
        due=lambda now: Pledge.objects.expired(now),
        erase_all=lambda due, now: Pledge.delete_expired(now),
    ),
    Rule(
        # Their text holds private links and names (see together.mail).
        "delivered email texts",
        due=lambda now: OutboundEmail.objects.bodies_past_retention(now),
        erase_all=lambda due, now: due.erase_bodies(),
    ),
]


def purge(*, dry_run=False, now=None):
    """Run every rule (or, with ``dry_run``, only count what each would
    erase). Returns ``[(rule name, count)]``; logs the counts, never what
    was erased."""
    now = now or timezone.now()
    counts = []
    for rule in RULES:
        count = rule.due(now).count() if dry_run else rule.run(now)
        counts.append((rule.name, count))
        if not dry_run:
            logger.info("Personal data erased: %s: %s", rule.name, count)
    return counts


def periods():
    """The retention periods, as the privacy page states them."""
    return {
        "signup_days": settings.RETENTION_SIGNUP_DAYS_AFTER_EVENT,
        "declined_story_days": settings.RETENTION_DECLINED_STORY_DAYS,
        "email_hours": settings.RETENTION_SENT_EMAIL_HOURS,
        "pledge_months": settings.RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN,
        "unconfirmed_pledge_days": Pledge.CONFIRMATION_VALID_FOR.days,
        "data_link_hours": settings.PERSONAL_DATA_LINK_HOURS,
    }
