"""Patrol duty (巡查在岗): shifts of the field staff and the positions their phones share
while on duty. Positions are personal data: kept ``POSITION_RETENTION_DAYS`` only
(services.positions_purge), seen only by the posts of ``VIEW_POSITIONS``, each look
recorded (docs/patrol.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class EndReason(models.TextChoices):
    USER = "user", _("ended by the patrol officer")
    MAXIMUM = "maximum", _("ended after the maximum shift length")


class DutyShift(models.Model):
    """One stretch of duty, from the officer's explicit start to their explicit end (or
    the worker's, after the maximum length). ``ended_at`` is empty while on duty; a
    user has at most one open shift (database constraint)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patrol officer"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
    )
    started_at = models.DateTimeField(_("duty started"))
    ended_at = models.DateTimeField(_("duty ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("how the duty ended"), max_length=10, choices=EndReason.choices, blank=True
    )
    # Where the duty started and ended, when the phone knew; cleared with the positions.
    start_lon = models.FloatField(null=True, blank=True)
    start_lat = models.FloatField(null=True, blank=True)
    end_lon = models.FloatField(null=True, blank=True)
    end_lat = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True),
                name="patrol_one_open_shift_per_user",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="patrol_shift_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["started_at"], name="patrol_shift_started_idx")]

    def __str__(self) -> str:
        return f"{self.user.name} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Position(models.Model):
    """One GPS fix of a phone on duty, in WGS 84 lon/lat, with the grid it fell in."""

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("duty shift"), on_delete=models.CASCADE, related_name="positions"
    )
    at = models.DateTimeField(_("fix time"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    accuracy_m = models.FloatField(_("accuracy (m)"))
    grid = models.ForeignKey(
        "grids.Grid",
        verbose_name=_("unit grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patrol_positions",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("patrol position")
        verbose_name_plural = _("patrol positions")
        indexes = [
            models.Index(fields=["shift", "at"], name="patrol_position_shift_at_idx"),
            models.Index(fields=["grid", "at"], name="patrol_position_grid_at_idx"),
            models.Index(fields=["at"], name="patrol_position_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.lon:.6f},{self.lat:.6f}"
