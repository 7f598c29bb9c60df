"""``yangguang import-calendar``."""

import io

import pytest
from django.core.management import CommandError, call_command

from yangguang.worktime.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_calendar_bad_file_lists_bad_lines_and_exits_non_zero(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-06,workday,补班\n2027-02-30,放假,春节\n",
        encoding="utf-8",
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_calendar", str(path), "--source", "通知", stderr=err)

    assert (caught.value.returncode, err.getvalue().splitlines(), str(caught.value)) == (
        1,
        [
            "Line 3: A make-up working day (调休上班) must be a Saturday or Sunday.",
            "Line 4: “2027-02-30” is not a date; write it as YYYY-MM-DD.",
        ],
        f"{path} has 2 error(s); nothing was imported.",
    )
    assert CalendarYear.objects.filter(year=2027).exists() is False


def test_import_calendar_good_file_prints_counts(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "\ufeffdate,kind,name\n2027-01-01,holiday,元旦\n2027-09-26,上班,国庆节调休上班\n",
        encoding="utf-8",
    )

    out, err = run(str(path), "--source", "推算", "--provisional")

    year = CalendarYear.objects.get(year=2027)
    assert (out, err, year.source, year.is_provisional, year.special_days.count()) == (
        "2027: 2 special days imported.\n",
        "",
        "推算",
        True,
        2,
    )


def test_import_calendar_missing_file_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "none.csv"), "--source", "通知")


def test_import_calendar_non_utf8_file_refused(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("2027-01-01,holiday,元旦\n".encode("gbk"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path), "--source", "通知")

    assert SpecialDay.objects.filter(date__year=2027).count() == 0
