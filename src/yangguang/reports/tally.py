"""Incrementally maintained summaries of the loop (docs/command-centre.md).

Three summaries, each a table of *facts → count*:

- ``ReportTally``: reports by the day received and their facts (``reports.measures``);
- ``GridLoad``: open reports by grid and light;
- ``PostTally``: steps of the loop by person and day (from their record entries).

Writers never update a row: a change appends rows (−1 for the facts a report had,
+1 for those it has now) in the transaction of the change, so concurrent writers
never wait on a shared counter row. The worker folds the appended rows into one row
per distinct facts (``tallies_fold``). A figure is the sum of the rows a measure
selects, folded or not. ``tallies_rebuild`` recomputes everything from the reports and
the record; ``tallies_snapshot`` lets a test compare the two.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from yangguang.reports.measures import MEASURES, TERMINAL, with_facts
from yangguang.reports.models import GridLoad, PostTally, Report, ReportTally

REPORT_FACTS = (
    "day",
    "kind",
    "channel",
    "status",
    "deadline_state",
    "disposal_mode",
    "rating",
    "category_id",
    "unit_id",
    "street_id",
    "community_id",
    "created_by_id",
    "is_dispatched",
    "is_handled",
    "handled_on_time",
    "is_reworked",
    "is_extended",
    "is_answered",
)
GRID_FACTS = ("grid_id", "deadline_state")
POST_FACTS = ("day", "user_id", "action")

# The report fields the facts are made of: a save touching none of them changes no
# summary.
SOURCE_FIELDS = frozenset(
    {
        "created_at",
        "kind",
        "channel",
        "status",
        "deadline_state",
        "disposal_mode",
        "rating",
        "category",
        "unit",
        "street",
        "community",
        "created_by",
        "grid",
        "dispatched_at",
        "handled_at",
        "deadline",
        "rework_count",
        "delay_count",
        "public_reply",
    }
)

# The steps counted for the evaluation of posts: those a person takes on a report.
POST_ACTIONS = frozenset(
    {
        "report.submit",
        "report.accept",
        "report.reject",
        "report.void",
        "report.answer",
        "report.merge",
        "report.dispatch",
        "report.return",
        "report.handle",
        "report.hand_over",
        "report.verify_pass",
        "report.verify_fail",
        "report.close",
        "report.reopen",
        "report.approve_delay",
        "report.refuse_delay",
        "report.approve_shelve",
        "report.refuse_shelve",
        "report.supervise",
    }
)

Facts = tuple[tuple, tuple | None]  # (report facts, grid facts or None when not open)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def facts_of(report: Report) -> Facts:
    """The report's facts, as its summaries hold them (the Python twin of
    ``measures.DERIVED_FACTS`` and ``_report_rows``)."""
    handled_on_time = (
        report.handled_at is not None
        and report.deadline is not None
        and report.handled_at <= report.deadline
    )
    report_facts = (
        _local_day(report.created_at),
        report.kind,
        report.channel,
        report.status,
        report.deadline_state,
        report.disposal_mode,
        report.rating,
        report.category_id,
        report.unit_id,
        report.street_id,
        report.community_id,
        report.created_by_id,
        report.dispatched_at is not None,
        report.handled_at is not None,
        handled_on_time,
        report.rework_count > 0,
        report.delay_count > 0,
        report.public_reply != "",
    )
    grid_facts = None
    if report.grid_id is not None and report.status not in TERMINAL:
        grid_facts = (report.grid_id, report.deadline_state)
    return report_facts, grid_facts


_SOURCE_ATTNAMES = frozenset(
    name + "_id"
    if name in {"category", "unit", "street", "community", "created_by", "grid"}
    else name
    for name in SOURCE_FIELDS
)


def loaded_facts(report: Report) -> Facts | None:
    """The facts of a report just loaded, or None when some were not loaded."""
    if _SOURCE_ATTNAMES & report.get_deferred_fields():
        return None
    return facts_of(report)


def touches_facts(update_fields: Iterable[str]) -> bool:
    return bool(SOURCE_FIELDS.intersection(update_fields))


def facts_before_save(report: Report) -> Facts | None:
    """The facts the database holds for ``report`` before it is saved again."""
    known = getattr(report, "_tallied", None)
    if known is not None:
        return known
    stored = Report.objects.filter(pk=report.pk).first()
    return facts_of(stored) if stored is not None else None


def report_changed(report: Report, before: Facts | None) -> Facts:
    """Append the difference between the report's facts ``before`` and now. Called by
    ``Report.save`` in the transaction of the save; returns the facts now."""
    after = facts_of(report)
    old_report, old_grid = before if before is not None else (None, None)
    new_report, new_grid = after
    _append(ReportTally, REPORT_FACTS, old_report, new_report)
    _append(GridLoad, GRID_FACTS, old_grid, new_grid)
    return after


def _append(model, names: tuple[str, ...], old: tuple | None, new: tuple | None) -> None:
    if old == new:
        return
    rows = []
    if old is not None:
        rows.append(model(n=-1, **dict(zip(names, old, strict=True))))
    if new is not None:
        rows.append(model(n=1, **dict(zip(names, new, strict=True))))
    model.objects.bulk_create(rows)


def step_counted(entry) -> None:
    """Count a record entry of a step of the loop for its actor (``PostTally``).
    Called right after ``record_append`` by the services of the loop."""
    if entry.actor_id is None or entry.action not in POST_ACTIONS:
        return
    PostTally.objects.create(
        n=1, day=_local_day(entry.recorded_at), user_id=entry.actor_id, action=entry.action
    )


# Folding ------------------------------------------------------------------------------

FOLD_BATCH = 20_000
_DELETE_CHUNK = 500


class FoldRacedError(Exception):
    """Another process folded some of the same rows first: nothing was written."""


def tallies_fold(*, batch: int = FOLD_BATCH) -> int:
    """Fold appended rows into one row per distinct facts, a batch at a time. Run by
    the worker. Returns the number of rows folded away."""
    folded = 0
    for model, names in _TALLIES:
        try:
            folded += _fold(model, names, batch=batch)
        except FoldRacedError:
            continue
    return folded


def _fold(model, names: tuple[str, ...], *, batch: int) -> int:
    with transaction.atomic():
        pending = model.objects.filter(folded=False).order_by("id")
        if "day" in names:
            days = set(pending.values_list("day", flat=True)[:batch])
            if not days:
                return 0
            scope = model.objects.filter(day__in=days)
        else:
            if not pending.exists():
                return 0
            scope = model.objects.all()
        # Locked, so that a second folder waits and then finds them gone (PostgreSQL).
        rows = list(scope.select_for_update().values_list("id", "n", *names))
        sums: Counter = Counter()
        for _id, n, *facts in rows:
            sums[tuple(facts)] += n
        ids = [row[0] for row in rows]
        deleted = 0
        for start in range(0, len(ids), _DELETE_CHUNK):
            deleted += model.objects.filter(id__in=ids[start : start + _DELETE_CHUNK]).delete()[0]
        if deleted != len(ids):
            # Some were folded by another process since we read them (SQLite has no row
            # locks): write nothing, the next round folds what is left.
            transaction.set_rollback(True)
            raise FoldRacedError
        model.objects.bulk_create(
            [
                model(n=n, folded=True, **dict(zip(names, facts, strict=True)))
                for facts, n in sums.items()
                if n
            ],
            batch_size=5000,
        )
        return len(ids) - sum(1 for n in sums.values() if n)


_TALLIES = ((ReportTally, REPORT_FACTS), (GridLoad, GRID_FACTS), (PostTally, POST_FACTS))


def tallies_maintain() -> int:
    """The worker's step: build the summaries once where reports exist without them (an
    installation upgraded to summaries), then fold. Returns rows folded or written."""
    if not ReportTally.objects.exists() and Report.objects.exists():
        return sum(tallies_rebuild().values())
    return tallies_fold()


# Rebuilding ---------------------------------------------------------------------------


def _report_rows() -> Iterable[dict]:
    columns = [name.removesuffix("_id") if name.endswith("_id") else name for name in REPORT_FACTS]
    rows = (
        with_facts(Report.objects.order_by())
        .annotate(day=TruncDate("created_at"))
        .values(*columns)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        yield {name: row[column] for name, column in zip(REPORT_FACTS, columns, strict=True)} | {
            "n": row["n"]
        }


def _grid_rows() -> Iterable[dict]:
    rows = (
        Report.objects.order_by()
        .filter(grid__isnull=False)
        .exclude(status__in=TERMINAL)
        .values("grid", "deadline_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        yield {"grid_id": row["grid"], "deadline_state": row["deadline_state"], "n": row["n"]}


def _post_rows() -> Iterable[dict]:
    from yangguang.records.models import RecordEntry

    rows = (
        RecordEntry.objects.order_by()
        .filter(action__in=POST_ACTIONS, actor__isnull=False)
        .annotate(day=TruncDate("recorded_at"))
        .values("day", "actor", "action")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        yield {"day": row["day"], "user_id": row["actor"], "action": row["action"], "n": row["n"]}


def tallies_rebuild() -> dict[str, int]:
    """Recompute every summary from the reports and the record, in one transaction
    (figures read meanwhile see the old summaries). Returns rows written per table."""
    written = {}
    with transaction.atomic():
        for model, rows in (
            (ReportTally, _report_rows),
            (GridLoad, _grid_rows),
            (PostTally, _post_rows),
        ):
            model.objects.all().delete()
            batch, count = [], 0
            for row in rows():
                batch.append(model(folded=True, **row))
                if len(batch) == 5000:
                    model.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            model.objects.bulk_create(batch)
            written[model.__name__] = count + len(batch)
    return written


def tallies_snapshot() -> dict[str, dict[tuple, int]]:
    """Each summary as {facts: count} without zero counts: equal for two summaries
    that give the same figures, however folded."""
    snapshot = {}
    for model, names in _TALLIES:
        sums: dict[tuple, int] = defaultdict(int)
        for n, *facts in model.objects.values_list("n", *names):
            sums[tuple(facts)] += n
        snapshot[model.__name__] = {facts: n for facts, n in sums.items() if n}
    return snapshot


# Reading ------------------------------------------------------------------------------

DIMENSIONS = {
    "unit": "unit",
    "street": "street",
    "community": "community",
    "category": "category",
    "channel": "channel",
    "created_by": "created_by",
    "status": "status",
    "day": "day",
}


def report_rows(
    *, since: datetime.date | None = None, until: datetime.date | None = None, **filters
) -> QuerySet[ReportTally]:
    """The summary rows of reports received from ``since`` to ``until`` (inclusive),
    narrowed by ``filters`` on the facts (e.g. ``unit=3``, ``channel="web"``)."""
    rows = ReportTally.objects.order_by()
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return rows.filter(**filters)


def measure_sums(rows: QuerySet, measures: Iterable[str]) -> dict[str, int]:
    """{measure: count} over summary ``rows``."""
    measures = list(measures)
    sums = rows.aggregate(**_sums_of(measures))
    return {code: sums[f"m_{code}"] or 0 for code in measures}


def measure_sums_by(rows: QuerySet, by: str, measures: Iterable[str]) -> dict:
    """{value of ``by``: {measure: count}} over summary ``rows``, for groups with any
    report."""
    measures = list(measures)
    grouped = (
        rows.values(DIMENSIONS[by]).annotate(**_sums_of(measures), m__total=Sum("n")).order_by()
    )
    return {
        row[DIMENSIONS[by]]: {code: row[f"m_{code}"] or 0 for code in measures}
        for row in grouped
        if row["m__total"]
    }


def _sums_of(measures: list[str]) -> dict:
    # Aliased: a measure may share its name with a column (handled_on_time).
    return {f"m_{code}": Sum("n", filter=MEASURES[code].condition) for code in measures}


def open_load_by_grid() -> dict[int, dict[str, int]]:
    """{grid id: {light: open reports}}."""
    load: dict[int, dict[str, int]] = defaultdict(lambda: {"normal": 0, "warning": 0, "overdue": 0})
    rows = (
        GridLoad.objects.order_by()
        .values("grid", "deadline_state")
        .annotate(total=Sum("n"))
        .filter(~Q(total=0))
    )
    for row in rows:
        load[row["grid"]][row["deadline_state"]] = row["total"]
    return dict(load)


def post_sums(
    *, since: datetime.date, until: datetime.date, actions: Iterable[str]
) -> dict[int, dict[str, int]]:
    """{user id: {action: steps}} for steps taken from ``since`` to ``until``."""
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PostTally.objects.order_by()
        .filter(day__gte=since, day__lte=until, action__in=list(actions))
        .values("user", "action")
        .annotate(total=Sum("n"))
    )
    for row in rows:
        if row["total"]:
            sums[row["user"]][row["action"]] = row["total"]
    return dict(sums)
