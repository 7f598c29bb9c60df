"""Report lists as CSV and .xlsx, written row by row: memory stays flat however long
the list (the queryset is iterated in chunks; the workbook is a write-only one written
to a temporary file that is then streamed)."""

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yangguang.reports.enums import DeadlineState, Status
from yangguang.reports.models import Report

CHUNK = 2000


def headers() -> list[str]:
    return [
        str(header)
        for header in [
            _("Tracking number"),
            _("Received at"),
            _("Kind"),
            _("Channel"),
            _("Status"),
            _("Category code"),
            _("Category"),
            _("Address"),
            _("Grid"),
            _("Sub-district"),
            _("Handling unit"),
            _("Deadline"),
            _("Time limit"),
            _("Closed at"),
            _("721 disposal mode"),
            _("Rework"),
            _("Rating"),
        ]
    ]


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(reports: QuerySet[Report]) -> Iterator[list[str]]:
    """One row per report: no reporter's personal data in exports."""
    reports = reports.select_related("category", "grid", "street", "unit").order_by("-created_at")
    for report in reports.iterator(chunk_size=CHUNK):
        yield [
            str(value)
            for value in [
                report.tracking_number,
                _time(report.created_at),
                report.get_kind_display(),
                report.get_channel_display(),
                Status(report.status).label,
                report.category.code if report.category else "",
                report.category.name if report.category else "",
                report.address,
                report.grid.code if report.grid else "",
                report.street.name if report.street else "",
                report.unit.name if report.unit else "",
                _time(report.deadline),
                DeadlineState(report.deadline_state).label,
                _time(report.closed_at),
                report.get_disposal_mode_display(),
                str(report.rework_count),
                report.get_rating_display(),
            ]
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(reports: QuerySet[Report]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that Excel opens the Chinese text as UTF-8.
    yield "\ufeff" + writer.writerow(headers())
    for row in rows(reports):
        yield writer.writerow(row)


def xlsx_file(reports: QuerySet[Report]):
    """A temporary file holding the workbook, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports"))
    sheet.append(headers())
    for row in rows(reports):
        sheet.append(row)
    # Closed by the FileResponse that streams it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
