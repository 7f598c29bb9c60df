from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "yangguang.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from yangguang.org.models import HandlingUnitType, Post, Rank, Unit, User
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root, get_staff_for_user, get_unit_for_user
        from yangguang.records.registry import bureau_wide, pk_or_404, register

        register(
            Unit,
            get_for_user=lambda user, pk: get_unit_for_user(user=user, unit_id=pk_or_404(pk)),
            unit_of=lambda unit: unit,
        )
        register(
            User,
            get_for_user=lambda user, pk: get_staff_for_user(user=user, staff_id=pk_or_404(pk)),
            unit_of=lambda staff: staff.unit,
        )
        for model in (HandlingUnitType, Post, Rank):
            register(
                model,
                get_for_user=bureau_wide(model, permission_name(Action.VIEW_ORGANISATION)),
                unit_of=lambda _obj: bureau_root(),
            )
