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

No private link is kept: a message queued with ``holds_private_link``
loses its body :data:`LINK_BODY_KEPT_FOR` after delivery
(:func:`erase_sensitive_bodies`, run by ``manage.py purge_personal_data``).
That covers pledge and sign-up links, used or not, before they expire (a
confirmation link lasts days): the person has the delivered message; the
outbox needs the body only until then.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection
from django.tasks import TaskResultStatus, task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from together.logs import redact_email
from together.models import OutboundEmail

logger = logging.getLogger(__name__)

# After a failure: 1, 2, 4, … minutes, at most six hours apart.
MAX_RETRY_DELAY = timedelta(hours=6)
# How long one attempt holds a message (sending, then recording it): far
# longer than the SMTP timeout, short enough for a lost attempt to be retried.
DELIVERY_LEASE = timedelta(minutes=10)
# How long a delivered message holding a private link keeps its body.
LINK_BODY_KEPT_FOR = timedelta(hours=24)
# What a database that is restarting or out of reach raises.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def queue_email(*, to, template, context, language=None, holds_private_link=False):
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` and queue them.
    ``holds_private_link``: the body carries a link that acts for the person
    (erased a day after delivery, see :func:`erase_sensitive_bodies`).

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
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        holds_private_link=holds_private_link,
    )
    deliver_email.enqueue(message.pk)
    return message


class EmailDeliveryFailed(Exception):
    """A delivery attempt failed; the message stays in the outbox."""


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
    """The form of an address used to tell people apart (one sign-up per
    address and event, one pledge per address and campaign): surrounding
    spaces dropped, case folded. The one way the site compares addresses."""
    return address.strip().lower()


def erase_emails_to(address):
    """Delete every stored message to ``address`` (used when a person asks
    for their data to be erased: the messages carry their private links)."""
    OutboundEmail.objects.filter(to__iexact=address).delete()


def erase_sensitive_bodies(now=None):
    """Erase the body of every message holding a private link delivered
    more than :data:`LINK_BODY_KEPT_FOR` before ``now``; recipient, subject
    and dates stay. Cron-safe (erasing twice changes nothing). Returns how
    many bodies were erased."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(
        holds_private_link=True, sent_at__lte=now - LINK_BODY_KEPT_FOR
    ).erase_bodies()


def erase_link_bodies_to(address):
    """Erase at once the bodies of the delivered messages to ``address``
    that hold private links (a link was replaced: the old one must not stay
    anywhere). Returns how many."""
    return OutboundEmail.objects.filter(to__iexact=address, holds_private_link=True).erase_bodies()
