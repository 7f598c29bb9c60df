from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolConfig(AppConfig):
    name = "yangguang.patrol"
    label = "patrol"
    verbose_name = _("Patrol duty and positions (巡查在岗)")

    def ready(self) -> None:
        from yangguang.patrol.models import DutyShift
        from yangguang.patrol.selectors import get_shift_for_user
        from yangguang.records.registry import register

        # A shift's record (start, end, who looked at its track) belongs to the
        # officer's unit; only viewers of positions, in scope, open it.
        register(
            DutyShift,
            get_for_user=lambda user, object_id: get_shift_for_user(user=user, shift_id=object_id),
            unit_of=lambda shift: shift.user.unit,
        )
