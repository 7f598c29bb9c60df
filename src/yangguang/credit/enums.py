from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """What a credit event records. Each comes from its source object in another domain
    (a report, a case, a 整改 request, a campaign), never typed in twice."""

    REPORT_VERIFIED = "report_verified", _("Verified report in the shop's zone (店外经营/占道)")
    INSPECTION_FAILED = "inspection_failed", _("Inspection item failed (counted at once)")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("整改 not done by its deadline")
    PENALTY_DECIDED = "penalty_decided", _("Administrative penalty decided")
    CORRECTED_ON_TIME = "corrected_on_time", _("Corrected on time")
    COMMENDATION = "commendation", _("Commendation (表彰)")
    VOLUNTEERING = "volunteering", _("Volunteer service")
    CIVILISED_TITLE = "civilised_title", _("文明商家 title")


class Dishonesty(models.TextChoices):
    """How serious a negative event is for 信用修复 and the black list (一般/严重失信)."""

    NONE = "", _("Not dishonesty")
    GENERAL = "general", _("General (一般失信)")
    SERIOUS = "serious", _("Serious (严重失信)")


class RepairStatus(models.TextChoices):
    """Where a 信用修复 application stands. One writer: ``credit.repair``."""

    SUBMITTED = "submitted", _("Awaiting the legal office")
    APPROVED = "approved", _("Approved: the event no longer counts")
    REFUSED = "refused", _("Refused")


class CreditList(models.TextChoices):
    NONE = "", _("Neither list")
    RED = "red", _("Red list (守信)")
    BLACK = "black", _("Black list (失信)")
