"""The outbox: every text message the platform sends (replies to reporters, deadline
warnings, supervision orders) is first a row here, written in the same transaction as
the change that causes it, then sent by the worker with retries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    phone = models.CharField(_("phone"), max_length=20)
    body = models.CharField(_("text"), max_length=500)
    purpose = models.CharField(_("purpose"), max_length=32)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    reporter = models.ForeignKey(
        "reports.Reporter", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    gateway_reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_due_idx")]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose}"
