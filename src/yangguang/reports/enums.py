from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """What the citizen brings: a problem to handle (投诉/举报), a question (咨询, answered
    and closed without dispatch) or a suggestion (建议)."""

    PROBLEM = "problem", _("Problem")
    CONSULTATION = "consultation", _("Question")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Public website")
    HOTLINE = "hotline", _("Hotline")
    PATROL = "patrol", _("Patrol finding")
    MACHINE = "machine", _("Sensor or video analytics")
    OPEN311 = "open311", _("Open311 client")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting intake")
    REGISTERED = "registered", _("Awaiting dispatch")
    RETURNED = "returned", _("Returned by the handling unit")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("Being handled")
    DELAY_REQUESTED = "delay_requested", _("Extension requested")
    SHELVE_REQUESTED = "shelve_requested", _("Shelving requested")
    SHELVED = "shelved", _("Shelved")
    HANDLED = "handled", _("Awaiting verification")
    VERIFIED = "verified", _("Awaiting closing")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not registered")
    VOID = "void", _("Void")
    MERGED = "merged", _("Merged into another report")


# Where the report is in the public's three-step view of it (tracking page, Open311).
PUBLIC_STAGE = {
    Status.SUBMITTED: "received",
    Status.REGISTERED: "in_progress",
    Status.RETURNED: "in_progress",
    Status.DISPATCHED: "in_progress",
    Status.IN_PROGRESS: "in_progress",
    Status.DELAY_REQUESTED: "in_progress",
    Status.SHELVE_REQUESTED: "in_progress",
    Status.SHELVED: "in_progress",
    Status.HANDLED: "in_progress",
    Status.VERIFIED: "in_progress",
    Status.CLOSED: "done",
    Status.REJECTED: "done",
    Status.VOID: "done",
    Status.MERGED: "done",
}
TERMINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.VOID, Status.MERGED})
# Statuses in which the handling clock runs (a deadline applies).
CLOCK_RUNNING = frozenset(
    {Status.DISPATCHED, Status.IN_PROGRESS, Status.DELAY_REQUESTED, Status.SHELVE_REQUESTED}
)


class DisposalMode(models.TextChoices):
    """The 721 working method (reference.md §6): 70 % solved by service, 20 % by
    management, 10 % by enforcement."""

    SERVICE = "service", _("Service (劝导/帮扶)")
    MANAGEMENT = "management", _("Management (责令改正/约谈)")
    ENFORCEMENT = "enforcement", _("Enforcement (立案查处)")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class DeadlineState(models.TextChoices):
    NORMAL = "normal", _("On time")
    # xgettext:no-python-format  # noqa: ERA001
    WARNING = "warning", _("Yellow light: 80 % of the time used")
    OVERDUE = "overdue", _("Red light: overdue")


class RequestKind(models.TextChoices):
    DELAY = "delay", _("Extension (延期)")
    SHELVE = "shelve", _("Shelving (挂账)")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PhotoStage(models.TextChoices):
    """The step a field photo belongs to. The report's own photos (received with it)
    are the "before"; these come after (reports.photos)."""

    HANDLING = "handling", _("After handling (处置后)")
    VERIFICATION = "verification", _("Verification (核查)")
