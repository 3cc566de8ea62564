"""Sending email: render now, deliver from a task, retry until delivered.

Every email of the site goes through :func:`queue_email`. It renders the
text and HTML templates in the recipient's language (the text part and the
subject without HTML escaping, the HTML part escaped), stores the message in
the outbox (:class:`together.models.OutboundEmail`) and enqueues its
delivery. Views therefore answer at once whatever the SMTP server does.

A delivery is never duplicated by a task run twice, a restarted worker or
database: each attempt is claimed on the outbox row first
(:meth:`OutboundEmail.claim_attempt`, a lease), and once the mail server has
taken the message its ``sent_at`` is written even if the database is
restarting at that moment (retried until it answers, within the lease).
Only a worker killed between handing the message over and writing
``sent_at`` can cause a second copy, after the lease.

No private link is kept: every delivered message loses its body
``RETENTION_SENT_EMAIL_HOURS`` (24) after delivery
(``OutboundEmail.objects.bodies_past_retention().erase_bodies()``, run by
``manage.py purge_personal_data``). That covers story, pledge and sign-up
links, used or not, before they expire (a confirmation link lasts days),
and the names and replies other messages quote: the person has the
delivered message; the outbox needs the body only until then. A message
queued with ``holds_private_link`` also loses its body at once when its
link is replaced (:func:`erase_link_bodies_to`).
"""

import logging
import time
import unicodedata
from datetime import timedelta

import idna
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection
from django.tasks import TaskResultStatus, task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from together.logs import redact_email
from together.models import OutboundEmail
from together.rq_tasks import RetryScheduled, RQBackend

logger = logging.getLogger(__name__)

# After a failure: 1, 2, 4, … minutes, at most six hours apart.
MAX_RETRY_DELAY = timedelta(hours=6)
# How long one attempt holds a message (sending, then recording it): far
# longer than the SMTP timeout, short enough for a lost attempt to be retried.
DELIVERY_LEASE = timedelta(minutes=10)
# What a database that is restarting or out of reach raises.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def queue_email(*, to, template, context, language=None, holds_private_link=False):
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` and queue them.
    ``holds_private_link``: the body carries a link that acts for the person
    (erased at once if that link is replaced, see :func:`erase_link_bodies_to`;
    every body goes a day after delivery, see the module's docstring).

    Side effects: one outbox row and one enqueued delivery task (which, with
    the immediate backend of development and tests, sends at once).
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        # Text is rendered unescaped (the "text" engine): escaping is for HTML.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context, using="text").split())
        text_body = render_to_string(f"{template}.txt", context, using="text")
        html_body = render_to_string(f"{template}.html", context)
    message = OutboundEmail.objects.create(
        to=to,
        to_normalised=normalise_email(to),
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        holds_private_link=holds_private_link,
    )
    deliver_email.enqueue(message.pk)
    return message


class EmailDeliveryFailed(RetryScheduled):
    """A delivery attempt failed; the message stays in the outbox, which has
    scheduled the next attempt itself (its backoff is the one retry policy
    of email: the Redis queue does not retry this task on top of it)."""


@task
def deliver_email(message_id):
    """Send one outbox message; on failure record it and schedule a retry.

    Raises :class:`EmailDeliveryFailed` so the task framework reports the
    attempt as failed; the message itself stays in the outbox until sent.
    """
    message = OutboundEmail.claim_attempt(message_id, lease=DELIVERY_LEASE)
    if message is None:  # sent, erased, or held by another attempt
        return
    lease_ends = message.next_attempt_at
    email = EmailMultiAlternatives(message.subject, message.text_body, to=[message.to])
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    try:
        email.send()
    except Exception as error:
        delay = min(timedelta(minutes=2 ** (message.attempts - 1)), MAX_RETRY_DELAY)
        message.record_failure(error, retry_at=timezone.now() + delay)
        # The error text can quote the address (a refused recipient), so the
        # log line names only the error's type; the outbox keeps the detail.
        logger.warning(
            "Email %s to %s failed (attempt %s, %s), retry at %s",
            message.pk,
            redact_email(message.to),
            message.attempts,
            type(error).__name__,
            message.next_attempt_at.isoformat(),
        )
        schedule_retry(message)
        raise EmailDeliveryFailed(
            f"Email {message.pk} not delivered (attempt {message.attempts}); it stays queued."
        ) from None
    # Sent: failing to record it now would send it again after the lease.
    until_database_answers(message.record_sent, deadline=lease_ends)


def until_database_answers(action, *, deadline):
    """Run ``action``, again and again while the database is out of reach
    (a restart), reconnecting each time, until ``deadline``. Inside a
    transaction (the immediate backend, in a request) it runs once."""
    delay = 0.5
    while True:
        try:
            return action()
        except DATABASE_UNREACHABLE:
            if connection.in_atomic_block or timezone.now() + timedelta(seconds=delay) > deadline:
                raise
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 10)


def requeue_due_emails():
    """Enqueue delivery of every due message that no queued task will deliver.

    For cron (``manage.py send_queued_emails``) and for the worker when it
    starts and after a database outage: a task interrupted by the outage, or
    a failure whose retry could not be queued, is picked up again. Returns
    how many were queued."""
    due = set(OutboundEmail.objects.due().values_list("pk", flat=True))
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver_email.module_path)
    for args_kwargs in queued.values_list("args_kwargs", flat=True):
        due.discard(next(iter(args_kwargs.get("args", [])), None))
    backend = task_backends["default"]
    if due and isinstance(backend, RQBackend):
        for args in backend.queued_arguments(deliver_email):
            due.discard(next(iter(args), None))
    for message_id in sorted(due):
        deliver_email.enqueue(message_id)
    return len(due)


def schedule_retry(message):
    """Enqueue the next attempt when the task backend can defer work.

    The immediate backend cannot; ``manage.py send_queued_emails`` (run from
    cron, or at start-up) picks those messages up instead.
    """
    if task_backends["default"].supports_defer:
        deliver_email.using(run_after=message.next_attempt_at).enqueue(message.pk)


def normalise_email(address):
    """The canonical form of an address, used only to tell people apart (one
    pledge per address and campaign, one sign-up per address and event, the
    per-address rate limits): the one way the site compares addresses. Mail
    is always sent to the address as the person typed it.

    Two spellings get the same form when they reach the same mailbox:

    - surrounding spaces are dropped; the split is at the last "@" (a quoted
      local part may contain one);
    - the local part is put in Unicode NFC, the form RFC 6532 (3.1) asks
      for, so a composed and a decomposed "é" compare equal; not NFKC, which
      would also merge characters that are different to a mail server (the
      ligature "ﬁ" and "fi"); then lower-cased, as every large provider
      treats it (RFC 5321 lets a server tell case apart: none of ours do);
    - the domain is lower-cased, its final dot dropped and written in ASCII
      (IDNA 2008 with UTS 46 mapping): "bücher.example" and
      "xn--bcher-kva.example" are one domain;
    - at the providers in :data:`PROVIDER_RULES` (and only there: elsewhere
      "+" or "." may be part of a different mailbox name), a "+tag" is
      dropped, and for Gmail the dots too, googlemail.com being gmail.com.

    Anything that is not a plausible address (no "@", a domain IDNA refuses)
    is only trimmed, NFC-normalised and lower-cased, never refused here: the
    forms validate addresses, this only compares them.
    """
    address = unicodedata.normalize("NFC", address.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return address.lower()
    local = local.lower()
    domain = _ascii_domain(domain)
    domain = DOMAIN_ALIASES.get(domain, domain)
    rules = PROVIDER_RULES.get(domain, set())
    if "plus_tag" in rules:
        local = local.partition("+")[0] or local
    if "ignore_dots" in rules:
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def _ascii_domain(domain):
    """The domain in lower-case ASCII (A-labels), without a final dot; as
    typed, lower-cased, when IDNA refuses it."""
    domain = domain.lower().rstrip(".")
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return domain


# Domains that are another name of the same mailboxes: Google gives every
# googlemail.com address as the gmail.com one and delivers both alike.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}

# What providers document about their addresses, and nothing they do not:
# - Gmail ignores dots in the name ("Gmail doesn't recognize dots",
#   support.google.com/mail/answer/7436150) and delivers name+anything to
#   name (answer/12096);
# - Outlook.com (outlook, hotmail, live, msn) delivers name+tag to name
#   ("plus addressing"); dots do count there;
# - iCloud Mail (icloud, me, mac), Fastmail and Proton Mail document "+"
#   sub-addressing too; dots count at all three.
# Yahoo's disposable addresses (base-keyword@yahoo.com) use a separately
# chosen base name, not the account's: no rule maps them to the account,
# so Yahoo has none. Country domains of these providers (hotmail.fr, …) are
# left out: what holds for them is not documented one by one.
_PLUS = frozenset({"plus_tag"})
PROVIDER_RULES = {
    "gmail.com": frozenset({"plus_tag", "ignore_dots"}),
    **dict.fromkeys(
        [
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "fastmail.com",
            "fastmail.fm",
            "proton.me",
            "protonmail.com",
            "protonmail.ch",
            "pm.me",
        ],
        _PLUS,
    ),
}


def erase_emails_to(address):
    """Delete every stored message to ``address``, however it was spelled
    (used when a person asks for their data to be erased: the messages carry
    their private links)."""
    OutboundEmail.objects.filter(to_normalised=normalise_email(address)).delete()


def erase_link_bodies_to(address):
    """Erase at once the bodies of the delivered messages to ``address``,
    however it was spelled, that hold private links (a link was replaced:
    the old one must not stay anywhere). Returns how many."""
    return OutboundEmail.objects.filter(
        to_normalised=normalise_email(address), holds_private_link=True
    ).erase_bodies()
