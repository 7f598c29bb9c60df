"""Merchant credit (城市管理领域信用): the scoring scheme the bureau configures, the events
that come from the report loop, cases and the merchant file, each merchant's score and
grade for the year, and 信用修复.

Writers: ``credit.scoring`` (schemes, scores), ``credit.events`` (events, called by the
handlers other domains' announcements reach), ``credit.repair`` (repair applications).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yangguang.credit.enums import CreditList, Dishonesty, EventKind, RepairStatus


class CreditScheme(models.Model):
    """One version of a scoring scheme. A change saves a new version (the old ones stay,
    so every score says which rules made it); one version in all is active.

    ``rules`` holds the points per event, the grade bands and what each triggers, the
    repair periods and the list criteria: ``credit.scheme`` reads and checks it.
    """

    code = models.SlugField(_("code"), max_length=30)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    rules = models.JSONField(_("rules"))
    active = models.BooleanField(_("active"), default=False)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("credit scheme")
        verbose_name_plural = _("credit schemes")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="credit_scheme_version"),
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="credit_one_active_scheme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class CreditEvent(models.Model):
    """One thing that moves a merchant's score, naming the object it came from."""

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="credit_events"
    )
    shop = models.ForeignKey(
        "merchants.Shop", on_delete=models.PROTECT, related_name="credit_events", null=True
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    severity = models.CharField(
        _("severity"),
        max_length=12,
        blank=True,
        help_text=_("For a penalty, the discretion grade of the decision."),
    )
    occurred_at = models.DateTimeField(_("occurred"))
    year = models.PositiveSmallIntegerField(_("scoring year"))
    source_type = models.CharField(_("event source"), max_length=50)
    source_id = models.CharField(max_length=40)
    source_repr = models.CharField(_("source reference"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded"))
    repaired_at = models.DateTimeField(_("repaired"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "kind", "source_type", "source_id"], name="credit_event_once"
            )
        ]
        indexes = [models.Index(fields=["merchant", "year"], name="credit_events_merchant_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_repr}"


class CreditScore(models.Model):
    """A merchant's score for the current year, recomputed from the events whenever one
    is added or repaired, when the scheme changes and when the year turns."""

    merchant = models.OneToOneField(
        "merchants.Merchant", on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.IntegerField(_("points"))
    grade = models.CharField(_("credit grade"), max_length=10)
    credit_list = models.CharField(
        _("red or black list"), max_length=8, choices=CreditList.choices, blank=True, db_index=True
    )
    scheme = models.ForeignKey(CreditScheme, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("credit score")
        verbose_name_plural = _("credit scores")
        indexes = [models.Index(fields=["grade"], name="credit_scores_grade")]

    def __str__(self) -> str:
        return f"{self.merchant} {self.grade} {self.points}"


class RepairApplication(models.Model):
    """信用修复: the merchant asks that a negative event stop counting, with a written
    commitment (承诺书) and proof that the wrong was corrected; the legal office decides."""

    event = models.ForeignKey(CreditEvent, on_delete=models.PROTECT, related_name="repairs")
    dishonesty = models.CharField(_("level"), max_length=10, choices=Dishonesty.choices, blank=True)
    commitment = models.TextField(_("commitment (承诺书)"))
    correction = models.TextField(_("how it was corrected"))
    proof = models.JSONField(_("proof (SHA-256)"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(
        _("status"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(status="submitted"), name="credit_one_open_repair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.get_status_display()}"
