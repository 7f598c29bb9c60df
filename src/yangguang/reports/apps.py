from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "yangguang.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from yangguang.records.registry import pk_or_404, register
        from yangguang.reports.models import Report
        from yangguang.reports.selectors import get_report_for_user

        register(
            Report,
            get_for_user=lambda user, pk: get_report_for_user(user=user, report_id=pk_or_404(pk)),
            unit_of=lambda report: report.owner_unit(),
        )
