from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopStatus(models.TextChoices):
    OPEN = "open", _("Open for business")
    CLOSED = "closed", _("Closed down")


class LetterStatus(models.TextChoices):
    """Where a 门前三包 责任书 stands. One writer: ``merchants.services``."""

    ISSUED = "issued", _("Awaiting signature")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded by a newer letter")


class SignMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Signed electronically (code by text message)")
    PAPER = "paper", _("Signed on paper (scan uploaded)")


class RectificationStatus(models.TextChoices):
    """A 整改 request after a failed inspection item. One writer: ``merchants.inspections``."""

    OPEN = "open", _("Awaiting correction")
    SUBMITTED = "submitted", _("Corrected, awaiting the inspector's check")
    CORRECTED = "corrected", _("Corrected")
    OVERDUE = "overdue", _("Not corrected on time")
