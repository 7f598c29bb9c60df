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
