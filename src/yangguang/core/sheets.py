"""Reading the first sheet of an uploaded .xlsx workbook into rows, for imports that are
all-or-nothing: the caller checks every row and names each bad one."""

from collections.abc import Sequence
from typing import BinaryIO

from django.utils.translation import gettext as _


class SheetError(ValueError):
    """The workbook cannot be read as the import expects; the message says why."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a cell: 13800000000, not 13800000000.0
    return str(value).strip()


def sheet_rows(upload: BinaryIO, headers: Sequence[str], *, max_rows: int) -> list[dict[str, str]]:
    """The rows of the first sheet as {heading: text}, for the ``headers`` (the first row
    holds the headings, in any order; other columns are ignored; blank rows skipped)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError(
            _("This is not a readable .xlsx workbook (%s).") % type(error).__name__
        ) from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(lines, ())]
    missing = [h for h in headers if h not in header]
    if missing:
        raise SheetError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    index = {h: header.index(h) for h in headers}
    rows = []
    for line in lines:
        if all(v in (None, "") for v in line):
            continue
        if len(rows) >= max_rows:
            raise SheetError(_("At most %(max)d rows.") % {"max": max_rows})
        padded = list(line) + [None] * len(header)
        rows.append({h: _cell(padded[i]) for h, i in index.items()})
    return rows
