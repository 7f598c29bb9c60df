from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeLimitUnit(models.TextChoices):
    """How a time limit is counted (reference.md §1.6).

    A working hour (工作时) counts only inside working hours on working days; an
    emergency hour (紧急工作时) is a natural hour, 24×7; a working day (工作日) is a
    day that is neither a weekend nor a statutory holiday, or is a make-up working day.
    """

    WORKING_HOURS = "working_hours", _("working hours")
    EMERGENCY_HOURS = "emergency_hours", _("emergency (natural) hours")
    WORKING_DAYS = "working_days", _("working days")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (off work)")
    WORKDAY = "workday", _("Make-up working day (调休上班)")
