"""Reports (问题/案件 in the 数字城管 sense): what citizens, the hotline, patrols and
sensors bring in, and the closed loop that handles them (reference.md §1.5).

Every change goes through ``reports.services``; the state machine is ``workflow.py``.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yangguang.reports.enums import (
    Channel,
    DeadlineState,
    Decision,
    DisposalMode,
    PhotoStage,
    Rating,
    ReportKind,
    RequestKind,
    Status,
)

DESCRIPTION_MAX = 4000  # Open311's limit too
# The public summary: a line, not a story (``reports.public``).
PUBLIC_SUMMARY_MAX = 200


class TrackingCounter(models.Model):
    """The last tracking number given out on a day."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Report(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    # What every public surface shows instead of the description and address: approved
    # at registration (受理), empty before (reports.public; 个人信息保护法 art 6).
    public_summary = models.CharField(
        _("public summary"),
        max_length=PUBLIC_SUMMARY_MAX,
        blank=True,
        help_text=_(
            "What the public reads of this report, instead of the reporter's own words: "
            "approved when it is registered."
        ),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    grid = models.ForeignKey(
        "grids.Grid",
        verbose_name=_("unit grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    community = models.ForeignKey(
        "org.Unit",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    street = models.ForeignKey(
        "org.Unit",
        verbose_name=_("sub-district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("proposed handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_reports",
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The camera, sensor or client's own id of the event."),
    )
    created_at = models.DateTimeField(_("received at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Handling
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("yellow light at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_state = models.CharField(
        _("time limit"), max_length=16, choices=DeadlineState.choices, default=DeadlineState.NORMAL
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.TextField(_("handling result"), blank=True)
    disposal_mode = models.CharField(
        _("721 disposal mode"), max_length=16, choices=DisposalMode.choices, blank=True
    )
    case_reference = models.CharField(
        _("enforcement case"),
        max_length=64,
        blank=True,
        help_text=_("Set when the report was handed over to an enforcement case."),
    )
    rework_count = models.PositiveSmallIntegerField(_("rework"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    delay_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
    )
    # Feedback
    public_reply = models.TextField(_("reply to the reporter"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "created_at"], name="reports_status_idx"),
            # A queue in deadline order (status = … ORDER BY deadline).
            models.Index(fields=["status", "deadline"], name="reports_status_deadline_idx"),
            models.Index(fields=["unit", "status"], name="reports_unit_status_idx"),
            models.Index(fields=["latitude", "longitude"], name="reports_position_idx"),
            # The overdue queue: few red lights among a million reports.
            models.Index(fields=["deadline_state", "status"], name="reports_light_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rework_count__gte=0) & Q(reopen_count__lte=1),
                name="reports_report_reopened_at_most_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="problem") | Q(unit__isnull=True),
                name="reports_report_only_problems_dispatched",
            ),
            # The summary is approved at registration: none while awaiting intake.
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(public_summary=""),
                name="reports_report_no_public_summary_before_intake",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    # The summaries follow every save (reports.tally): the facts as loaded are kept, and
    # a save that changes them appends the difference, in the same transaction.
    def save(self, *args, **kwargs) -> None:
        from yangguang.reports import tally

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not tally.touches_facts(update_fields):
            super().save(*args, **kwargs)
            return
        with transaction.atomic(savepoint=False):
            before = None if self._state.adding else tally.facts_before_save(self)
            super().save(*args, **kwargs)
            self._tallied = tally.report_changed(self, before)

    @classmethod
    def from_db(cls, db, field_names, values):
        from yangguang.reports import tally

        report = super().from_db(db, field_names, values)
        report._tallied = tally.loaded_facts(report)
        return report

    def owner_unit(self):
        """The unit whose staff read this report's records: the handling unit once
        dispatched, else the grid's squadron, else its sub-district."""
        if self.unit_id:
            return self.unit
        if self.grid_id and self.grid.squadron_id:
            return self.grid.squadron
        return self.street


class Reporter(models.Model):
    """Someone who reported it. Merged duplicates keep every reporter, and every
    reporter gets the reply."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reporters")
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        return self.name or str(_("anonymous"))


class ReportNote(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to the reporter on the tracking page.")
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class Supervision(models.Model):
    """A supervision order (督办): a leader's instruction with its own deadline and a
    required reply from the handling unit."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="supervisions")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    instruction = models.TextField(_("instruction"))
    deadline = models.DateTimeField(_("reply due"))
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")

    def __str__(self) -> str:
        return f"{self.report} {self.issued_at:%Y-%m-%d}"


class DelayRequest(models.Model):
    """A handling unit's written request to extend the time limit (延期) or to shelve the
    report (挂账), decided by the shift leader."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="delay_requests")
    kind = models.CharField(_("kind"), max_length=8, choices=RequestKind.choices)
    reason = models.TextField(_("reason"))
    amount = models.DecimalField(
        _("extra time"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class ReportPhoto(models.Model):
    """A field photo taken at a step of the loop (处置 after-photo, 核查 photo), kept in
    the evidence store. Not public until staff approve it (faces, number plates): then
    the tracking page shows a copy without EXIF, under ``public_key`` (reports.photos)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="photos")
    evidence = models.ForeignKey(
        "records.Evidence", on_delete=models.PROTECT, related_name="report_photos"
    )
    stage = models.CharField(_("step"), max_length=16, choices=PhotoStage.choices)
    # The record entry of the step (report.handle, report.verify_pass …) names it too.
    verb = models.CharField(_("action"), max_length=20)
    round = models.PositiveSmallIntegerField(
        _("round"), default=0, help_text=_("The rework count when the photo was taken.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("taken in at"))
    public_key = models.CharField(max_length=32, blank=True, editable=False)
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_approved_at = models.DateTimeField(
        _("approved for the public at"), null=True, blank=True
    )

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("field photo")
        verbose_name_plural = _("field photos")
        indexes = [models.Index(fields=["report", "stage"], name="reports_photo_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["public_key"],
                condition=~Q(public_key=""),
                name="reports_photo_public_key_unique",
            ),
            # Public exactly when approved: a key without an approval is never issued.
            models.CheckConstraint(
                condition=(Q(public_key="") & Q(public_approved_at__isnull=True))
                | (~Q(public_key="") & Q(public_approved_at__isnull=False)),
                name="reports_photo_public_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.stage} {self.evidence_id}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_key)


# The summaries of the loop (reports.tally): rows of facts and a count, appended by
# every change of a report (-1 for the facts it had, +1 for those it has) and folded
# into one row per distinct facts by the worker. Figures sum them; nothing here is
# edited by hand, and all of it can be rebuilt from the reports and the record.


class TallyRow(models.Model):
    n = models.IntegerField()
    # False for a change not yet folded in (tally.tallies_fold).
    folded = models.BooleanField(default=False)

    class Meta:
        abstract = True


def _fact_key(model: str, verbose: str) -> models.ForeignKey:
    # A reference without a database constraint or reverse accessor: a summary row
    # must never stop a unit or a category from being retired.
    return models.ForeignKey(
        model,
        verbose_name=verbose,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class ReportTally(TallyRow):
    """Reports by the day received (Asia/Shanghai) and their facts (reports.measures)."""

    day = models.DateField()
    kind = models.CharField(max_length=16)
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=20)
    deadline_state = models.CharField(max_length=16)
    disposal_mode = models.CharField(max_length=16, blank=True)
    rating = models.CharField(max_length=16, blank=True)
    category = _fact_key("categories.Category", _("category"))
    unit = _fact_key("org.Unit", _("handling unit"))
    street = _fact_key("org.Unit", _("sub-district"))
    community = _fact_key("org.Unit", _("community"))
    created_by = _fact_key(settings.AUTH_USER_MODEL, _("entered by"))
    is_dispatched = models.BooleanField()
    is_handled = models.BooleanField()
    handled_on_time = models.BooleanField()
    is_reworked = models.BooleanField()
    is_extended = models.BooleanField()
    is_answered = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="reports_tally_day_idx"),
            models.Index(fields=["status"], name="reports_tally_status_idx"),
            models.Index(
                fields=["id"], condition=Q(folded=False), name="reports_tally_unfolded_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.status} {self.n}"


class GridLoad(TallyRow):
    """Open reports by grid and light: the map's colours and the hot spots."""

    grid = _fact_key("grids.Grid", _("unit grid"))
    deadline_state = models.CharField(max_length=16)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=Q(folded=False), name="reports_gridload_unfolded_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.deadline_state} {self.n}"


class PostTally(TallyRow):
    """Steps of the loop taken by each person (report.accept, report.dispatch …), by
    the day of their record entry: the evaluation of posts (受理员, 派遣员, 监督员)."""

    day = models.DateField()
    user = _fact_key(settings.AUTH_USER_MODEL, _("staff"))
    action = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="reports_posttally_day_idx"),
            models.Index(
                fields=["id"], condition=Q(folded=False), name="reports_posttally_unfolded_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.action} {self.n}"
