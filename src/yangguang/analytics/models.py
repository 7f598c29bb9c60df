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
