"""The 数字城管 evaluation of a period (docs/command-centre.md; reference: CJ/T 292 and
GB/T 30428.4 model — areas, departments, posts).

Areas (sub-districts, communities) and handling units are evaluated on the reports
received in the period: 立案数 and the rates of ``reports.measures.RATES``, and a
综合指标值 — the weighted mean of the rates (a "lower is better" rate, 返工率, enters
as 100 − rate), over the rates that have a denominator. Weights are the bureau's
(``EvaluationWeight``); ``DEFAULT_WEIGHTS`` apply until it sets its own.

Posts are evaluated on their own work: 监督员 on the patrol findings they filed (上报数,
有效上报数 — those registered — and 有效上报率) and the verifications they made (核查数);
受理员 on the reports they took in (受理数) and the hotline calls they entered; 派遣员 on
their dispatches.

Every figure comes with the link to the list of what it counts (``analytics.links``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.analytics.links import report_list_url, step_list_url
from yangguang.analytics.models import EvaluationWeight, Subject
from yangguang.analytics.periods import Period
from yangguang.org.models import Unit, User
from yangguang.org.selectors import bureau_root
from yangguang.records.services import record_append
from yangguang.reports import tally
from yangguang.reports.enums import Channel
from yangguang.reports.measures import RATES

# 按期结案率 and 结案率 carry most weight in published schemes (e.g. 金华: 50 and 20
# points); the rest shares the remainder. A bureau sets its own.
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "closing_on_time_rate": Decimal(40),
    "closing_rate": Decimal(20),
    "handling_on_time_rate": Decimal(10),
    "handling_rate": Decimal(5),
    "rework_rate": Decimal(10),
    "satisfaction_rate": Decimal(10),
    "feedback_rate": Decimal(5),
}

# The measures an area or a unit is shown with: 立案数 and every rate's two terms.
AREA_MEASURES = sorted(
    {"registered", "received"} | {m for rate in RATES.values() for m in (rate.part, rate.whole)}
)

BY_SUBJECT = {Subject.STREET: "street", Subject.COMMUNITY: "community", Subject.UNIT: "unit"}


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weights_for(subject: str) -> dict[str, Decimal]:
    """The weights in force for ``subject`` (the bureau's, else the defaults)."""
    stored = {row.rate: row.weight for row in EvaluationWeight.objects.filter(subject=subject)}
    return {code: stored.get(code, DEFAULT_WEIGHTS.get(code, Decimal(0))) for code in RATES}


def weights_set(*, subject: str, weights: dict[str, Decimal], actor: User) -> None:
    """Set the bureau's weights for ``subject`` (0–100 each, not all zero), recorded.
    ValidationError names each bad weight; nothing is written then."""
    if subject not in Subject.values:
        raise ValidationError({"subject": _("Unknown subject of evaluation.")})
    errors = {}
    cleaned = {}
    for code in RATES:
        value = weights.get(code, Decimal(0))
        try:
            value = Decimal(value)
        except (ArithmeticError, TypeError, ValueError):
            errors[code] = _("Enter a number from 0 to 100.")
            continue
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            errors[code] = _("Enter a number from 0 to 100.")
            continue
        cleaned[code] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    if not any(cleaned.values()):
        raise ValidationError({"__all__": _("At least one weight must be above zero.")})
    before = {code: str(value) for code, value in weights_for(subject).items()}
    now = timezone.now()
    with transaction.atomic():
        for code, value in cleaned.items():
            EvaluationWeight.objects.update_or_create(
                subject=subject,
                rate=code,
                defaults={"weight": value, "changed_at": now, "changed_by": actor},
            )
        record_append(
            action="evaluation.weights",
            target=bureau_root(),
            actor=actor,
            changes={subject: [before, {code: str(value) for code, value in cleaned.items()}]},
        )


def composite(rates: dict[str, Decimal | None], weights: dict[str, Decimal]) -> Decimal | None:
    """The 综合指标值: Σ weight × score / Σ weight over the rates that exist, where the
    score is the rate, or 100 − rate when lower is better. None without any."""
    total = weighted = Decimal(0)
    for code, rate in rates.items():
        weight = weights.get(code, Decimal(0))
        if rate is None or not weight:
            continue
        score = Decimal(100) - rate if RATES[code].lower_is_better else rate
        weighted += weight * score
        total += weight
    if not total:
        return None
    return (weighted / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    value: int | Decimal | None
    url: str = ""


@dataclass
class Row:
    key: int | None
    label: str
    figures: dict[str, Figure]
    rates: dict[str, Figure]
    composite: Decimal | None
    rank: int = 0
    previous_rank: int | None = None
    previous_composite: Decimal | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rank_change(self) -> int | None:
        """Places gained since the last period (negative: lost)."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def composite_change(self) -> Decimal | None:
        if self.composite is None or self.previous_composite is None:
            return None
        return self.composite - self.previous_composite


def _rank(rows: list[Row], key) -> None:
    """Competition ranking (1, 1, 3) by ``key`` descending; rows without a value last."""
    rows.sort(key=lambda row: (key(row) is None, -(key(row) or 0), row.label))
    previous_value, previous_rank = object(), 0
    for position, row in enumerate(rows, start=1):
        value = key(row)
        row.rank = previous_rank if value == previous_value else position
        previous_value, previous_rank = value, row.rank


def _area_rows(subject: str, period: Period) -> list[Row]:
    by = BY_SUBJECT[subject]
    weights = weights_for(subject)
    sums = tally.measure_sums_by(
        tally.report_rows(since=period.start, until=period.end).filter(**{f"{by}__isnull": False}),
        by,
        AREA_MEASURES,
    )
    names = dict(Unit.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    rows = []
    for key, counts in sums.items():

        def link(measure: str, key=key) -> str:
            return report_list_url(measure, since=period.start, until=period.end, **{by: key})

        rates = {
            code: Figure(_percent(counts[rate.part], counts[rate.whole]), link(rate.part))
            for code, rate in RATES.items()
        }
        rows.append(
            Row(
                key=key,
                label=names.get(key, str(key)),
                figures={code: Figure(n, link(code)) for code, n in counts.items()},
                rates=rates,
                composite=composite({c: f.value for c, f in rates.items()}, weights),
            )
        )
    _rank(rows, lambda row: row.composite)
    return rows


def evaluate(subject: str, period: Period) -> list[Row]:
    """The ranking of ``subject`` in ``period``, with each row's rank in the period
    before."""
    rows = _area_rows(subject, period)
    before = {row.key: row for row in _area_rows(subject, period.previous())}
    for row in rows:
        if row.key in before:
            row.previous_rank = before[row.key].rank
            row.previous_composite = before[row.key].composite
    return rows


def totals(period: Period) -> Row:
    """The whole bureau's figures and rates for ``period``."""
    counts = tally.measure_sums(
        tally.report_rows(since=period.start, until=period.end), AREA_MEASURES
    )

    def link(measure: str) -> str:
        return report_list_url(measure, since=period.start, until=period.end)

    rates = {
        code: Figure(_percent(counts[rate.part], counts[rate.whole]), link(rate.part))
        for code, rate in RATES.items()
    }
    return Row(
        key=None,
        label=_("Whole bureau"),
        figures={code: Figure(n, link(code)) for code, n in counts.items()},
        rates=rates,
        composite=composite({c: f.value for c, f in rates.items()}, weights_for(Subject.UNIT)),
    )


# Posts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostKind:
    code: str
    label: object
    # Steps of the loop counted as this post's work (PostTally actions).
    steps: dict[str, tuple[str, ...]]
    # Reports entered by the person, counted from the summaries: (channel, measures).
    entered: tuple[str, tuple[str, ...]] | None
    ranked_by: str


POST_KINDS = {
    kind.code: kind
    for kind in (
        PostKind(
            "inspector",
            gettext_lazy("Grid inspectors (监督员)"),
            steps={"verified": ("report.verify_pass", "report.verify_fail")},
            entered=(Channel.PATROL, ("received", "registered")),
            ranked_by="registered",
        ),
        PostKind(
            "intake",
            gettext_lazy("Intake operators (受理员)"),
            steps={
                "taken_in": (
                    "report.accept",
                    "report.reject",
                    "report.answer",
                    "report.void",
                    "report.merge",
                ),
            },
            entered=(Channel.HOTLINE, ("received",)),
            ranked_by="taken_in",
        ),
        PostKind(
            "dispatcher",
            gettext_lazy("Dispatchers (派遣员)"),
            steps={"dispatched": ("report.dispatch",)},
            entered=None,
            ranked_by="dispatched",
        ),
    )
}


def _post_rows(kind: PostKind, period: Period) -> list[Row]:
    values: dict[int, dict[str, Figure]] = {}
    actions = [action for group in kind.steps.values() for action in group]
    steps = tally.post_sums(since=period.start, until=period.end, actions=actions)
    for user, by_action in steps.items():
        for name, group in kind.steps.items():
            values.setdefault(user, {})[name] = Figure(
                sum(by_action.get(action, 0) for action in group),
                step_list_url(user=user, actions=list(group), since=period.start, until=period.end),
            )
    if kind.entered is not None:
        channel, measures = kind.entered
        sums = tally.measure_sums_by(
            tally.report_rows(since=period.start, until=period.end, channel=channel).filter(
                created_by__isnull=False
            ),
            "created_by",
            measures,
        )
        for user, counts in sums.items():
            for measure in measures:
                values.setdefault(user, {})[measure] = Figure(
                    counts[measure],
                    report_list_url(
                        measure,
                        since=period.start,
                        until=period.end,
                        created_by=user,
                        channel=channel,
                    ),
                )
    names = dict(User.objects.filter(pk__in=list(values)).values_list("pk", "name"))
    rows = []
    for user, figures in values.items():
        rates = {}
        if kind.code == "inspector":
            filed = figures.get("received", Figure(0)).value
            valid = figures.get("registered", Figure(0))
            rates["valid_rate"] = Figure(_percent(valid.value or 0, filed or 0), valid.url)
        rows.append(
            Row(
                key=user,
                label=names.get(user, str(user)),
                figures=figures,
                rates=rates,
                composite=None,
            )
        )
    _rank(rows, lambda row: row.figures.get(kind.ranked_by, Figure(0)).value or 0)
    return rows


def evaluate_posts(kind_code: str, period: Period) -> list[Row]:
    """The people of one post kind in ``period``, ranked by their main figure, with
    their rank in the period before."""
    kind = POST_KINDS[kind_code]
    rows = _post_rows(kind, period)
    before = {row.key: row for row in _post_rows(kind, period.previous())}
    for row in rows:
        if row.key in before:
            row.previous_rank = before[row.key].rank
    return rows


def today() -> datetime.date:
    return timezone.localdate()
