"""Leaders' reports in the back office: the list (kind, period, status, downloads, a
failure's error), a form to have one generated now, and the downloads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yangguang.analytics.leader_report_content import report_title
from yangguang.analytics.leader_reports import leader_report_request, report_period
from yangguang.analytics.models import LeaderReport
from yangguang.analytics.periods import (
    PeriodCodeError,
    PeriodKind,
    period_containing,
    period_from_code,
)
from yangguang.backoffice.form_errors import errors_onto
from yangguang.org.rules import Action, permission_name
from yangguang.org.selectors import bureau_root
from yangguang.records.registry import pk_or_404

COMMAND = permission_name(Action.VIEW_COMMAND_CENTRE)
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class LeaderReportForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period of the report (2026-11, 2026-Q4 or 2026)"), max_length=7
    )

    def clean_period(self):
        try:
            return period_from_code(self.cleaned_data["period"])
        except PeriodCodeError:
            raise ValidationError(
                _("Write a month (2026-11), a quarter (2026-Q4) or a year.")
            ) from None


def _shown_period(form: LeaderReportForm) -> str:
    """What the period box shows again: the input without control characters."""
    value = form.data.get("period", "") if form.is_bound else form.initial.get("period", "")
    return "".join(ch for ch in str(value) if ch.isprintable())[:7]


@login_required
@permission_required(COMMAND, raise_exception=True)
@require_http_methods(["GET", "POST"])
def leader_reports(request: HttpRequest) -> HttpResponse:
    last_month = period_containing(PeriodKind.MONTH, timezone.localdate()).previous()
    form = LeaderReportForm(request.POST or None, initial={"period": last_month.code})
    if request.method == "POST" and form.is_valid():
        try:
            leader_report_request(form.cleaned_data["period"], request.user)
        except ValidationError as error:
            errors_onto(form, error, default="period")
        else:
            messages.success(
                request, _("The report is queued; it will be ready here in a few minutes.")
            )
            return redirect("backoffice:leader_reports")
    page = Paginator(
        LeaderReport.objects.select_related("requested_by").order_by("-period_start", "kind"),
        30,
    ).get_page(request.GET.get("page"))
    for report in page:
        report.period = report_period(report)
    return render(
        request,
        "backoffice/command/leader_reports.html",
        {"form": form, "page": page, "shown_period": _shown_period(form)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required(COMMAND, raise_exception=True)
@require_GET
def leader_report_download(request: HttpRequest, report_id: str, fmt: str) -> FileResponse:
    if fmt not in FORMATS:
        raise Http404
    report = get_object_or_404(LeaderReport, pk=pk_or_404(report_id))
    name = getattr(report, fmt).name
    if not name or not default_storage.exists(name):
        raise Http404
    root = bureau_root()
    title = report_title(root.name if root else "", report_period(report))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{title}.{fmt}",
        content_type=FORMATS[fmt],
    )
