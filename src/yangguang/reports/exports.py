"""Report lists as CSV and .xlsx, written row by row: memory stays flat however long
the list (the reports are read in keyset pages; the workbook is a write-only one written
to a temporary file that is then streamed).

Addresses and other text come from citizens, so no cell may become a formula when the
file is opened in a spreadsheet (OWASP "CSV Injection"; ASVS 4.0 V5.3.1 output encoding
for the interpreter): in CSV a cell starting with ``= + - @``, a tab or a carriage
return gets a leading apostrophe; in .xlsx every cell is written as text, and the
characters XML cannot carry are dropped.
"""

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from yangguang.reports.enums import (
    Channel,
    DeadlineState,
    DisposalMode,
    Rating,
    ReportKind,
    Status,
)
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
            _("Time-limit state"),
            _("Closed at"),
            _("721 disposal mode"),
            _("Rework"),
            _("Rating"),
        ]
    ]


# The columns, in the order of ``headers()``; labels of coded values are looked up once.
COLUMNS = (
    "tracking_number",
    "created_at",
    "kind",
    "channel",
    "status",
    "category__code",
    "category__name",
    "address",
    "grid__code",
    "street__name",
    "unit__name",
    "deadline",
    "deadline_state",
    "closed_at",
    "disposal_mode",
    "rework_count",
    "rating",
)
CHOICES = {
    "kind": ReportKind,
    "channel": Channel,
    "status": Status,
    "deadline_state": DeadlineState,
    "disposal_mode": DisposalMode,
    "rating": Rating,
}
TIMES = {"created_at", "deadline", "closed_at"}


def rows(reports: QuerySet[Report]) -> Iterator[list[str]]:
    """One row per report, newest first: no reporter's personal data in exports.

    Read in pages of CHUNK rows by keyset (received time, then id), each page its own
    short query: memory stays flat, and no cursor is held open for the whole download
    (a planner given an open-ended cursor over a million rows may sort them all first).
    """
    labels = {
        column: {value: str(label) for value, label in enum.choices}
        for column, enum in CHOICES.items()
    }
    zone = timezone.get_current_timezone()
    convert = []
    for column in COLUMNS:
        if column in CHOICES:
            convert.append(lambda value, names=labels[column]: names.get(value, value or ""))
        elif column in TIMES:
            convert.append(
                lambda value: value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""
            )
        else:
            convert.append(lambda value: "" if value is None else str(value))
    ordered = reports.order_by("-created_at", "-pk").values_list("created_at", "pk", *COLUMNS)
    after: tuple | None = None
    while True:
        page = ordered
        if after is not None:
            # The plain bound lets the database start the index scan where the last
            # page ended; the OR alone would make it walk from the newest every time.
            page = ordered.filter(created_at__lte=after[0]).filter(
                Q(created_at__lt=after[0]) | Q(pk__lt=after[1])
            )
        batch = list(page[:CHUNK])
        for _created_at, _pk, *values in batch:
            yield [change(value) for change, value in zip(convert, values, strict=True)]
        if len(batch) < CHUNK:
            return
        after = batch[-1][:2]


# What makes a spreadsheet read a cell as a formula, or hide where one starts.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula (OWASP CSV Injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


# Rows are sent in pieces of about this many characters: one write per row would cost
# the server a system call each.
STREAM_PIECE = 64 * 1024


def csv_stream(reports: QuerySet[Report]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that Excel opens the Chinese text as UTF-8.
    piece = ["\ufeff" + writer.writerow(headers())]
    size = 0
    for row in rows(reports):
        line = writer.writerow([csv_safe(value) for value in row])
        piece.append(line)
        size += len(line)
        if size >= STREAM_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece)


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A text cell: openpyxl would store "=…" as a formula."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def xlsx_file(reports: QuerySet[Report]):
    """A temporary file holding the workbook, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports"))
    sheet.append(headers())
    for row in rows(reports):
        sheet.append([_text_cell(sheet, value) for value in row])
    # Closed by the FileResponse that streams it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
