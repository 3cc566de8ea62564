"""Sending email: render now, deliver from a task, retry until delivered.

Every email of the site goes through :func:`queue_email`. It renders the
text and HTML templates in the recipient's language (the text part and the
subject without HTML escaping, the HTML part escaped), stores the message in
the outbox (:class:`together.models.OutboundEmail`) and enqueues its
delivery. Views therefore answer at once whatever the SMTP server does.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.utils import timezone, translation

from together.logs import redact_email
from together.models import OutboundEmail

logger = logging.getLogger(__name__)

# After a failure: 1, 2, 4, … minutes, at most six hours apart.
MAX_RETRY_DELAY = timedelta(hours=6)


def queue_email(*, to, template, context, language=None):
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` and queue them.

    Side effects: one outbox row and one enqueued delivery task (which, with
    the immediate backend of development and tests, sends at once).
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        # Text is rendered unescaped (the "text" engine): escaping is for HTML.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context, using="text").split())
        text_body = render_to_string(f"{template}.txt", context, using="text")
        html_body = render_to_string(f"{template}.html", context)
    message = OutboundEmail.objects.create(to=to, subject=subject, text_body=text_body, html_body=html_body)
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
    message = OutboundEmail.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:  # already sent by an earlier attempt, or erased
        return
    email = EmailMultiAlternatives(message.subject, message.text_body, to=[message.to])
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    message.attempts += 1
    try:
        email.send()
    except Exception as error:
        delay = min(timedelta(minutes=2 ** (message.attempts - 1)), MAX_RETRY_DELAY)
        message.next_attempt_at = timezone.now() + delay
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
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
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "sent_at", "last_error"])


def schedule_retry(message):
    """Enqueue the next attempt when the task backend can defer work.

    The immediate backend cannot; ``manage.py send_queued_emails`` (run from
    cron, or at start-up) picks those messages up instead.
    """
    if task_backends["default"].supports_defer:
        deliver_email.using(run_after=message.next_attempt_at).enqueue(message.pk)


def erase_emails_to(address):
    """Delete every stored message to ``address`` (used when a person asks
    for their data to be erased: the messages carry their private links)."""
    OutboundEmail.objects.filter(to__iexact=address).delete()
