"""The bureau's evaluation weights (综合指标值). Leaders' periodic reports are kept in
``LeaderReport``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What an evaluation ranks (CJ/T 292: 区域, 部门, 岗位)."""

    STREET = "street", _("Sub-districts")
    COMMUNITY = "community", _("Communities")
    UNIT = "unit", _("Handling units")


class EvaluationWeight(models.Model):
    """The weight of one rate in the 综合指标值 of one subject. Without rows the
    defaults of ``analytics.evaluation.DEFAULT_WEIGHTS`` apply."""

    subject = models.CharField(_("evaluated"), max_length=16, choices=Subject.choices)
    rate = models.CharField(_("indicator"), max_length=32)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["subject", "rate"]
        verbose_name = _("evaluation weight")
        verbose_name_plural = _("evaluation weights")
        constraints = [
            models.UniqueConstraint(fields=["subject", "rate"], name="analytics_weight_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0) & models.Q(weight__lte=100),
                name="analytics_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.rate} {self.weight}"


class LeaderReport(models.Model):
    """A periodic report for the bureau's leaders (月报, 季报, 年报): a PDF and an .xlsx of
    one period. One per kind and period: the schedule queues it once the period has
    ended, a request queues it again (the new files replace the old once they are
    complete). Status is written by ``analytics.leader_reports`` only."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Monthly report")
        QUARTER = "quarter", _("Quarterly report")
        YEAR = "year", _("Annual report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for generation")
        GENERATING = "generating", _("Being generated")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Generation failed")

    kind = models.CharField(_("report kind"), max_length=8, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("report status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    # None: queued by the schedule.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("generation started at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="leader-reports/", blank=True, max_length=200)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(
        _("spreadsheet file"), upload_to="leader-reports/", blank=True, max_length=200
    )
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("generation error"), blank=True)

    class Meta:
        ordering = ["-period_start", "kind"]
        verbose_name = _("leaders' report")
        verbose_name_plural = _("leaders' reports")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start"], name="analytics_leader_report_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start:%Y-%m-%d}"
