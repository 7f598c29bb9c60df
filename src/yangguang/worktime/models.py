"""The working calendar: which days are worked (statutory holidays and 调休 make-up
working days, year by year) and the working periods of a working day.

Writes go through ``services.py``; the deadline arithmetic itself is the pure
``calendar.py``, fed by ``selectors.work_calendar()``.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yangguang.worktime.enums import DayKind


class CalendarYear(models.Model):
    """A year whose holiday arrangement is configured.

    A year without a row here falls back to "Monday to Friday" and the UI warns about it.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_("The notice the arrangement comes from, with its date."),
    )
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "Computed from the statutory holiday rules; replace it with the State Council's "
            "annual notice once published."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("year",)
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(models.Model):
    """A day that differs from the weekly rhythm: a day off (holiday) or a make-up
    working day on a weekend (调休上班). Its date lies in its calendar year; the
    services check that, SQL cannot easily."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50)
    year = models.ForeignKey(
        CalendarYear,
        verbose_name=_("calendar year"),
        on_delete=models.CASCADE,
        related_name="special_days",
    )

    class Meta:
        ordering = ("date",)
        verbose_name = _("special day")
        verbose_name_plural = _("special days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class WorkPeriod(models.Model):
    """A period of the working day (09:00–12:00, 13:30–17:30 by default)."""

    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ("start",)
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        constraints = (
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="worktime_workperiod_end_after_start"
            ),
        )

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"
