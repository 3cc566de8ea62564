from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmailQuerySet(models.QuerySet):
    def due(self):
        """Messages waiting for a (first or further) delivery attempt."""
        return self.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())


class OutboundEmail(models.Model):
    """A message rendered at the moment it was asked for and kept until sent.

    The outbox is what makes email safe to leave the request: the row is
    written in the request's transaction, a task delivers it, and a failed
    delivery stays here with its error and the time of the next attempt, so a
    message is retried rather than lost when the SMTP server is down.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

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
            )
        ]

    def __str__(self):
        return self.subject
