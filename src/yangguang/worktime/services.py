"""Writes to the working calendar: annual holiday arrangements, single special days and
the working periods of the day."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.org.models import User
from yangguang.org.selectors import bureau_root
from yangguang.records.diff import changes_between
from yangguang.records.registry import Target, target_for
from yangguang.records.services import record_append
from yangguang.worktime.calendar import validate_periods
from yangguang.worktime.calendar_file import (
    CALENDAR_YEARS,
    NAME_MAX_LENGTH,
    CalendarImportError,
    CalendarRow,
    make_up_day_problem,
    parse_calendar_csv,
    shipped_calendar_path,
    shipped_source,
)
from yangguang.worktime.enums import DayKind
from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod
from yangguang.worktime.statutory import statutory_holidays

PROVISIONAL_SOURCE = "按《全国年节及纪念日放假办法》推算，待国务院办公厅通知发布后导入正式安排"


def calendar_year_validate(*, year: int, source: str) -> None:
    """Raise ValidationError (by field) unless a calendar year may be saved."""
    errors: dict[str, str] = {}
    if year not in CALENDAR_YEARS:
        errors["year"] = _("The year must lie between %(first)d and %(last)d.") % {
            "first": CALENDAR_YEARS[0],
            "last": CALENDAR_YEARS[-1],
        }
    if not source.strip():
        errors["source"] = _("Name the notice the calendar comes from.")
    if errors:
        raise ValidationError(errors)


def _year_state(calendar_year: CalendarYear | None) -> dict[str, object]:
    """What the record keeps of a year: its source, status and every special day."""
    if calendar_year is None:
        return {}
    days = calendar_year.special_days.order_by("date").values_list("date", "kind", "name")
    return {
        "source": calendar_year.source,
        "is_provisional": calendar_year.is_provisional,
        "days": [f"{day.isoformat()} {kind} {name}" for day, kind, name in days],
    }


def _record_year(
    *, calendar_year: CalendarYear, before: dict, action: str, actor: User | None
) -> None:
    changes = changes_between(before, _year_state(calendar_year))
    if changes:
        record_append(action=action, target=calendar_year, actor=actor, changes=changes)


def _replace_year(
    *,
    year: int,
    rows: list[CalendarRow],
    source: str,
    provisional: bool,
    actor: User | None,
    action: str = "worktime.calendar.import",
) -> CalendarYear:
    before = _year_state(CalendarYear.objects.filter(year=year).first())
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "is_provisional": provisional}
    )
    SpecialDay.objects.filter(year=calendar_year).delete()
    SpecialDay.objects.bulk_create(
        SpecialDay(date=row.date, kind=row.kind, name=row.name, year=calendar_year) for row in rows
    )
    _record_year(calendar_year=calendar_year, before=before, action=action, actor=actor)
    return calendar_year


@transaction.atomic
def calendar_import_csv(
    *, text: str, source: str, provisional: bool = False, actor: User | None = None
) -> dict[int, int]:
    """Import a ``date,kind,name`` calendar file: all or nothing.

    Every row is checked first; any error raises CalendarImportError listing every bad
    line and nothing is written. Otherwise the special days of each year in the file
    are replaced, the year's source and provisional flag are set, and the number of
    days imported per year is returned. Side effect: a ``worktime.calendar.import``
    record per year that changed.
    """
    source = source.strip()
    if not source:
        raise CalendarImportError([(0, _("Name the notice the calendar comes from."))])
    rows = parse_calendar_csv(text=text)
    by_year: dict[int, list[CalendarRow]] = defaultdict(list)
    for row in rows:
        by_year[row.date.year].append(row)
    for year, year_rows in sorted(by_year.items()):
        _replace_year(
            year=year, rows=year_rows, source=source, provisional=provisional, actor=actor
        )
    return {year: len(year_rows) for year, year_rows in sorted(by_year.items())}


@transaction.atomic
def calendar_load_provisional(*, year: int, actor: User | None = None) -> CalendarYear:
    """Configure ``year`` from the statutory holiday rules, unless it is configured already
    (an official arrangement is never overwritten by a provisional one)."""
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    rows = [
        CalendarRow(line=0, date=day, kind=DayKind.HOLIDAY, name=name)
        for day, name in statutory_holidays(year)
    ]
    return _replace_year(
        year=year,
        rows=rows,
        source=PROVISIONAL_SOURCE,
        provisional=True,
        actor=actor,
        action="worktime.calendar.provisional",
    )


@transaction.atomic
def calendar_load_shipped(*, year: int, actor: User | None = None) -> CalendarYear:
    """Configure ``year`` from the official calendar shipped with Yangguang, or
    provisionally from the statutory rules when none is shipped.

    Idempotent: an official year already configured is left as it is (with any local
    corrections); a provisional one is replaced by the shipped official calendar.
    """
    path = shipped_calendar_path(year)
    if path is None:
        return calendar_load_provisional(year=year, actor=actor)
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None and not existing.is_provisional:
        return existing
    rows = parse_calendar_csv(text=path.read_text(encoding="utf-8"))
    strays = [
        (row.line, _("%(date)s is not in %(year)d.") % {"date": row.date, "year": year})
        for row in rows
        if row.date.year != year
    ]
    if strays:
        raise CalendarImportError(strays)
    return _replace_year(
        year=year, rows=rows, source=shipped_source(year), provisional=False, actor=actor
    )


@transaction.atomic
def calendar_year_set(
    *, year: int, source: str, is_provisional: bool, actor: User | None = None
) -> CalendarYear:
    """Create a calendar year, or change the source and status of an existing one.

    Side effect: a ``worktime.year.set`` record of what changed.
    """
    calendar_year_validate(year=year, source=source)
    before = _year_state(CalendarYear.objects.filter(year=year).first())
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source.strip(), "is_provisional": is_provisional}
    )
    _record_year(
        calendar_year=calendar_year, before=before, action="worktime.year.set", actor=actor
    )
    return calendar_year


@transaction.atomic
def calendar_year_delete(*, calendar_year: CalendarYear, actor: User | None = None) -> None:
    """Remove a year's arrangement (its special days go with it); the year then falls
    back to weekends only. Side effect: a ``worktime.year.delete`` record."""
    record_append(
        action="worktime.year.delete",
        target=calendar_year,
        actor=actor,
        changes={key: [value, None] for key, value in _year_state(calendar_year).items()},
    )
    calendar_year.delete()


def special_day_validate(
    *,
    day: datetime.date,
    kind: str,
    name: str,
    calendar_year: CalendarYear | None = None,
    special_day: SpecialDay | None = None,
) -> None:
    """Raise ValidationError (by field) unless the special day may be saved.

    ``calendar_year`` is the year it is entered under (admin inline), if any;
    ``special_day`` the row being edited, if any.
    """
    errors: dict[str, list[str]] = defaultdict(list)
    if kind not in DayKind.values:
        errors["kind"].append(_("Unknown kind of day."))
    elif problem := make_up_day_problem(day=day, kind=kind):
        errors["kind"].append(problem)
    if not name.strip():
        errors["name"].append(_("The name is empty."))
    elif len(name.strip()) > NAME_MAX_LENGTH:
        errors["name"].append(
            _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}
        )
    if calendar_year is not None:
        if day.year != calendar_year.year:
            errors["date"].append(_("The date is not in %(year)d.") % {"year": calendar_year.year})
    elif not CalendarYear.objects.filter(year=day.year).exists():
        errors["date"].append(
            _("%(year)d has no calendar yet: import its arrangement first.") % {"year": day.year}
        )
    if (
        special_day is not None
        and SpecialDay.objects.filter(date=day).exclude(pk=special_day.pk).exists()
    ):
        errors["date"].append(_("This date already has an entry."))
    if errors:
        raise ValidationError(dict(errors))


@transaction.atomic
def special_day_set(
    *,
    day: datetime.date,
    kind: str,
    name: str,
    special_day: SpecialDay | None = None,
    actor: User | None = None,
) -> SpecialDay:
    """Make ``day`` a holiday or a make-up working day of its calendar year.

    Without ``special_day`` an existing entry for the date is updated; with it, that
    entry is edited (its date may change). The year's ``updated_at`` is touched.
    Side effect: a ``worktime.day.set`` record on the year.
    """
    special_day_validate(day=day, kind=kind, name=name, special_day=special_day)
    calendar_year = CalendarYear.objects.select_for_update().get(year=day.year)
    before = _year_state(calendar_year)
    if special_day is None:
        special_day = SpecialDay.objects.filter(date=day).first() or SpecialDay()
    else:
        special_day = SpecialDay.objects.select_for_update().get(pk=special_day.pk)
    special_day.date = day
    special_day.kind = kind
    special_day.name = name.strip()
    special_day.year = calendar_year
    special_day.save()
    calendar_year.save(update_fields=["updated_at"])
    _record_year(calendar_year=calendar_year, before=before, action="worktime.day.set", actor=actor)
    return special_day


@transaction.atomic
def special_day_delete(*, special_day: SpecialDay, actor: User | None = None) -> None:
    """The date returns to the weekly rhythm. The year's ``updated_at`` is touched.
    Side effect: a ``worktime.day.delete`` record on the year."""
    calendar_year = CalendarYear.objects.select_for_update().get(pk=special_day.year_id)
    before = _year_state(calendar_year)
    special_day.delete()
    calendar_year.save(update_fields=["updated_at"])
    _record_year(
        calendar_year=calendar_year, before=before, action="worktime.day.delete", actor=actor
    )


def work_periods_validate(*, periods: list[tuple[datetime.time, datetime.time]]) -> None:
    """Raise ValidationError unless the periods are a non-empty set that do not overlap."""
    if not periods:
        raise ValidationError(_("At least one working period is needed."))
    try:
        validate_periods(periods)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def work_periods_replace(
    *, periods: list[tuple[datetime.time, datetime.time]], actor: User | None = None
) -> list[WorkPeriod]:
    """Replace the working periods of the day with ``periods``.

    Side effect: a ``worktime.periods.set`` record.
    """
    work_periods_validate(periods=periods)
    before = _periods_state()
    WorkPeriod.objects.all().delete()
    created = WorkPeriod.objects.bulk_create(
        WorkPeriod(start=start, end=end) for start, end in sorted(periods)
    )
    _record_periods(before=before, actor=actor)
    return created


def _periods_state() -> dict[str, object]:
    periods = WorkPeriod.objects.order_by("start").values_list("start", "end")
    return {"periods": [f"{start:%H:%M}–{end:%H:%M}" for start, end in periods]}


def _record_periods(*, before: dict, actor: User | None) -> None:
    """Working hours belong to the whole bureau: recorded on the bureau's timeline."""
    changes = changes_between(before, _periods_state())
    if not changes:
        return
    root = bureau_root()
    target = (
        target_for(root)
        if root
        else Target("worktime.workperiod", "*", str(_("Working hours")), None)
    )
    record_append(action="worktime.periods.set", target=target, actor=actor, changes=changes)


def work_period_validate(
    *, start: datetime.time, end: datetime.time, work_period: WorkPeriod | None = None
) -> None:
    """Raise ValidationError unless the period (new, or replacing ``work_period``) ends
    after it starts and overlaps no other period."""
    others = WorkPeriod.objects.all()
    if work_period is not None:
        others = others.exclude(pk=work_period.pk)
    work_periods_validate(periods=[*others.values_list("start", "end"), (start, end)])


@transaction.atomic
def work_period_set(
    *,
    start: datetime.time,
    end: datetime.time,
    work_period: WorkPeriod | None = None,
    actor: User | None = None,
) -> WorkPeriod:
    """Add a working period, or change ``work_period``; it may not overlap the others.

    Side effect: a ``worktime.periods.set`` record.
    """
    list(WorkPeriod.objects.select_for_update())  # no concurrent edit may slip in between
    work_period_validate(start=start, end=end, work_period=work_period)
    before = _periods_state()
    period = work_period if work_period is not None else WorkPeriod()
    period.start = start
    period.end = end
    period.save()
    _record_periods(before=before, actor=actor)
    return period


@transaction.atomic
def work_period_delete(*, work_period: WorkPeriod, actor: User | None = None) -> None:
    """Remove a working period; the last one cannot be removed.

    Side effect: a ``worktime.periods.set`` record.
    """
    if not WorkPeriod.objects.select_for_update().exclude(pk=work_period.pk).exists():
        raise ValidationError(_("At least one working period is needed."))
    before = _periods_state()
    work_period.delete()
    _record_periods(before=before, actor=actor)
