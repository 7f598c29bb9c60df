from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "yangguang.credit"
    label = "credit"
    verbose_name = _("Merchant credit (诚信体系)")

    def ready(self) -> None:
        from yangguang.credit import handlers
        from yangguang.credit.models import CreditScheme, RepairApplication
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, register

        handlers.register()
        register(
            CreditScheme,
            get_for_user=bureau_wide(CreditScheme, permission_name(Action.VIEW_ORGANISATION)),
            unit_of=lambda _s: bureau_root(),
        )
        register(
            RepairApplication,
            get_for_user=bureau_wide(RepairApplication, permission_name(Action.VIEW_WORK)),
            unit_of=lambda _a: bureau_root(),
        )
