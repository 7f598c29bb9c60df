from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yangguang.cases"
    label = "cases"
    verbose_name = _("Enforcement cases")

    def ready(self) -> None:
        from yangguang.cases.models import Case, CaseRules, Violation
        from yangguang.cases.selectors import get_case_for_user
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, pk_or_404, register

        register(
            Case,
            get_for_user=lambda user, pk: get_case_for_user(user=user, case_id=pk_or_404(pk)),
            unit_of=lambda case: case.unit,
        )
        for model in (CaseRules, Violation):
            register(
                model,
                get_for_user=bureau_wide(model, permission_name(Action.VIEW_ORGANISATION)),
                unit_of=lambda _obj: bureau_root(),
            )
