"""The outbox: every text message the platform sends (replies to reporters, deadline
warnings, supervision orders, party links and codes) is first a row here, written in
the same transaction as the change that causes it, then claimed and sent by the worker
with retries — never by the request, never inside a transaction.

One-time codes and secret links (等保2.0 GB/T 22239-2019 8.1.4.8 数据保密性, 8.1.4.10
个人信息保护; 个人信息保护法 第五十一条): ``body`` is what staff see, with each secret
replaced by ``***``; the text that must reach the phone is in ``secret_body`` only while
the message waits to be sent, and is cleared the moment it is handed to the gateway, fails
for good or expires (a database constraint says so). Codes and tokens are kept hashed
where they are checked (cases.PartyAccess, reports.Report), so they cannot be re-derived
at send time: the outbox must carry them for the seconds until the worker's next round.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MASK = "***"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


# What each purpose the domains queue messages under is called on staff pages (the
# purpose is a free code, so that a domain needs no migration here to add one).
PURPOSE_LABELS = {
    "receipt": _("receipt"),
    "reply": _("reply"),
    "supervision": _("supervision order"),
    "deadline": _("deadline warning"),
    "case_deadline": _("case deadline warning"),
    "party_link": _("link for the party"),
    "party_code": _("verification code"),
    "password_reset": _("password reset"),
    "leader_report": _("leaders' report ready"),
}


class Message(models.Model):
    phone = models.CharField(_("phone"), max_length=20)
    body = models.CharField(_("text"), max_length=500)
    # The full text while it carries a secret and waits to be sent; "" otherwise.
    secret_body = models.CharField(max_length=500, blank=True, editable=False)
    has_secret = models.BooleanField(default=False, editable=False)
    # A one-time code not sent by then is useless: the message fails as expired.
    secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    # A worker claims a message (a short transaction) before calling the gateway outside
    # any transaction; a claim older than the lease is a worker that died mid-send.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim_token = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
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
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MessageStatus.PENDING) | Q(secret_body=""),
                name="notify_secret_only_while_pending",
            ),
            models.CheckConstraint(
                condition=Q(has_secret=True) | Q(secret_body=""),
                name="notify_secret_body_flagged",
            ),
        ]

    def __str__(self) -> str:
        from yangguang.core.privacy import mask_phone

        return f"{mask_phone(self.phone)} {self.purpose}"

    @property
    def purpose_label(self) -> str:
        return str(PURPOSE_LABELS.get(self.purpose, self.purpose))
