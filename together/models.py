"""The email outbox.

Invariant: a message is handed to the mail server at most once per attempt
it has claimed, and never again once ``sent_at`` is set. Claiming an attempt
(:meth:`OutboundEmail.claim_attempt`) is one conditional UPDATE, committed
on its own: only if the message is unsent and due, it counts the attempt and
moves ``next_attempt_at`` a lease ahead. A second task for the same message
(queued twice, a worker restarted, two workers at once) updates no row and
does nothing.

No private link at rest: every delivered message loses its body
(:meth:`OutboundEmailQuerySet.erase_bodies`) ``RETENTION_SENT_EMAIL_HOURS``
after delivery (:meth:`OutboundEmailQuerySet.bodies_past_retention`, run by
``purge_personal_data``), and one queued with ``holds_private_link`` (a
storyteller's, a pledge's or a sign-up's links) at once when its link is
replaced; its recipient, subject and dates stay for the log.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmailQuerySet(models.QuerySet):
    def due(self):
        """Messages waiting for a (first or further) delivery attempt."""
        return self.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())

    def bodies_past_retention(self, now=None):
        """Delivered messages still holding their text
        settings.RETENTION_SENT_EMAIL_HOURS or more after delivery (all of
        them, not only those with private links: they also hold names,
        replies and addresses)."""
        cutoff = (now or timezone.now()) - timedelta(hours=settings.RETENTION_SENT_EMAIL_HOURS)
        return self.filter(sent_at__lte=cutoff, body_erased_at__isnull=True).exclude(
            text_body="", html_body=""
        )

    def erase_bodies(self):
        """Blank the bodies of these messages (delivered ones: an unsent
        message without its body could never be delivered). Returns how many."""
        return (
            self.filter(sent_at__isnull=False, body_erased_at__isnull=True)
            .exclude(text_body="", html_body="")
            .update(text_body="", html_body="", body_erased_at=timezone.now())
        )


class OutboundEmail(models.Model):
    """A message rendered at the moment it was asked for and kept until sent.

    The outbox is what makes email safe to leave the request: the row is
    written in the request's transaction, a task delivers it, and a failed
    delivery stays here with its error and the time of the next attempt, so a
    message is retried rather than lost when the SMTP server is down.
    """

    to = models.EmailField(_("to"))
    # together.mail.normalise_email(to): erasing a person's messages finds
    # every spelling of their address (a.b@gmail.com, ab+x@googlemail.com).
    to_normalised = models.CharField(_("to (normalised)"), max_length=254, db_index=True, editable=False)
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    holds_private_link = models.BooleanField(
        _("holds a private link"),
        default=False,
        help_text=_("Its text is erased a day after delivery; the rest stays for the log."),
    )
    body_erased_at = models.DateTimeField(_("text erased"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbound_email_due_idx",
            ),
            models.Index(
                fields=["sent_at"],
                condition=models.Q(holds_private_link=True, body_erased_at__isnull=True),
                name="outbound_email_link_body_idx",
            ),
        ]

    def __str__(self):
        return self.subject

    @classmethod
    def claim_attempt(cls, pk, *, lease):
        """Take the next delivery attempt of message ``pk`` for ``lease``.

        Returns the message, its ``attempts`` counted, or None when it is
        sent, erased, or not due (another attempt holds it, or its retry is
        later). Nobody else may attempt it until ``lease`` has passed."""
        now = timezone.now()
        # One conditional UPDATE is the claim: PostgreSQL runs a second one
        # on the same row after the first commits and re-checks its WHERE on
        # the row the first left (next attempt a lease ahead), so it claims
        # nothing. No transaction is held open and nothing is locked beyond
        # the statement (it was BEGIN, SELECT FOR UPDATE, UPDATE, COMMIT).
        claimed = cls.objects.filter(pk=pk, sent_at__isnull=True, next_attempt_at__lte=now).update(
            attempts=models.F("attempts") + 1, next_attempt_at=now + lease
        )
        if not claimed:
            return None
        # Only the holder of the lease writes the row until it ends: this is
        # the row as claimed (None if the person's erasure deleted it since).
        return cls.objects.filter(pk=pk).first()

    def record_sent(self):
        """The mail server took the message: it is never attempted again."""
        self.sent_at = timezone.now()
        self.last_error = ""
        self.save(update_fields=["sent_at", "last_error"])

    def record_failure(self, error, *, retry_at):
        """The attempt failed with ``error``; the next one is due at ``retry_at``."""
        self.next_attempt_at = retry_at
        self.last_error = f"{type(error).__name__}: {error}"[:2000]
        self.save(update_fields=["next_attempt_at", "last_error"])


class FailedTask(models.Model):
    """No table: the admin's entry for the Redis queue's failed tasks
    (together.rq_admin), and the permission to see, retry and delete them.
    The tasks themselves live in RQ's failed-job registry."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("manage_failed_tasks", _("Can see, retry and delete failed tasks"))]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks (Redis queue)")

    def __str__(self):
        return self._meta.verbose_name
