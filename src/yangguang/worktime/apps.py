from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "yangguang.worktime"
    label = "worktime"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, register
        from yangguang.worktime.models import CalendarYear, WorkPeriod

        for model in (CalendarYear, WorkPeriod):
            register(
                model,
                get_for_user=bureau_wide(model, permission_name(Action.VIEW_ORGANISATION)),
                unit_of=lambda _obj: bureau_root(),
            )
