from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "yangguang.records"
    label = "records"
    verbose_name = _("Whole-process record")

    def ready(self) -> None:
        from yangguang.org.rules import Action, permission_name
        from yangguang.records.models import Evidence, VerificationRun
        from yangguang.records.registry import bureau_wide, register
        from yangguang.records.selectors import get_evidence_by_pk_for_user

        register(
            Evidence,
            get_for_user=lambda user, pk: get_evidence_by_pk_for_user(user=user, evidence_id=pk),
            # Evidence entries carry the unit of the object it was first attached to.
            unit_of=lambda _evidence: None,
        )
        register(
            VerificationRun,
            get_for_user=bureau_wide(VerificationRun, permission_name(Action.READ_AUDIT_LOG)),
            unit_of=lambda _run: None,
        )
