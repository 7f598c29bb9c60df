"""A credit scheme's rules: read from JSON, checked, and applied to events (pure functions).

No national standard fixes the figures: every bureau sets its own (reference in
docs/merchants.md — 日照 北京路街道 A/B/C/D on 1,000 points a year, reset yearly; 河南
1–5 stars; 上海 repair after 3 or 6 months). So all of it is configuration; the defaults
below are one reasonable scheme, not law.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yangguang.credit.enums import CreditList, Dishonesty, EventKind

PENALTY_SEVERITIES = ("minor", "general", "serious", "grave")  # cases.enums.Grade

DEFAULT_RULES: dict = {
    "base_points": 1000,
    "points": {
        EventKind.REPORT_VERIFIED: -20,
        EventKind.INSPECTION_FAILED: -10,
        EventKind.RECTIFICATION_OVERDUE: -50,
        EventKind.PENALTY_DECIDED: {"minor": -50, "general": -100, "serious": -200, "grave": -300},
        EventKind.CORRECTED_ON_TIME: 5,
        EventKind.COMMENDATION: 50,
        EventKind.VOLUNTEERING: 10,
        EventKind.CIVILISED_TITLE: 100,
    },
    "dishonesty": {
        EventKind.REPORT_VERIFIED: "general",
        EventKind.RECTIFICATION_OVERDUE: "general",
        EventKind.PENALTY_DECIDED: {
            "minor": "general",
            "general": "general",
            "serious": "serious",
            "grave": "serious",
        },
    },
    "bands": [
        {
            "grade": "A",
            "label": "A 诚信",
            "min_points": 950,
            "patrols_per_month": 1,
            "triggers": "免于日常检查以外的专项检查；优先推荐文明商家",
        },
        {
            "grade": "B",
            "label": "B 良好",
            "min_points": 850,
            "patrols_per_month": 2,
            "triggers": "常规巡查",
        },
        {
            "grade": "C",
            "label": "C 警示",
            "min_points": 700,
            "patrols_per_month": 4,
            "triggers": "约谈提醒，重点巡查",
        },
        {
            "grade": "D",
            "label": "D 失信",
            "min_points": None,
            "patrols_per_month": 8,
            "triggers": "重点督查，列入重点监管名单",
        },
    ],
    "repair_months": {"general": 3, "serious": 6},
    "self_correction_exempt": True,
    "report_categories": ["09005", "09006"],
    "red_list": {"grades": ["A"]},
    "black_list": {"serious_events": 1, "months": 12},
}

STAR_RULES: dict = {
    **DEFAULT_RULES,
    "bands": [
        {
            "grade": "5",
            "label": "★★★★★",
            "min_points": 1000,
            "patrols_per_month": 1,
            "triggers": "租金减免、优先选位、帮办代办",
        },
        {
            "grade": "4",
            "label": "★★★★",
            "min_points": 950,
            "patrols_per_month": 1,
            "triggers": "帮办代办",
        },
        {
            "grade": "3",
            "label": "★★★",
            "min_points": 850,
            "patrols_per_month": 2,
            "triggers": "常规巡查",
        },
        {
            "grade": "2",
            "label": "★★",
            "min_points": 700,
            "patrols_per_month": 4,
            "triggers": "约谈提醒",
        },
        {
            "grade": "1",
            "label": "★",
            "min_points": None,
            "patrols_per_month": 8,
            "triggers": "调整摊位或清退",
        },
    ],
    "red_list": {"grades": ["5", "4"]},
}


@dataclass(frozen=True)
class Band:
    grade: str
    label: str
    min_points: int | None  # None: everything below the band above
    patrols_per_month: int
    triggers: str


@dataclass(frozen=True)
class Rules:
    base_points: int
    points: Mapping[str, int | Mapping[str, int]]
    dishonesty: Mapping[str, str | Mapping[str, str]]
    bands: tuple[Band, ...]  # highest first
    repair_months: Mapping[str, int]
    self_correction_exempt: bool
    report_categories: tuple[str, ...]
    red_list_grades: frozenset[str]
    black_list_serious_events: int
    black_list_months: int

    def points_for(self, kind: str, severity: str = "") -> int:
        value = self.points.get(kind, 0)
        if isinstance(value, Mapping):
            return int(value.get(severity, 0))
        return int(value)

    def dishonesty_of(self, kind: str, severity: str = "") -> str:
        value = self.dishonesty.get(kind, Dishonesty.NONE)
        if isinstance(value, Mapping):
            return value.get(severity, Dishonesty.NONE)
        return value

    def band_for(self, points: int) -> Band:
        for band in self.bands:
            if band.min_points is None or points >= band.min_points:
                return band
        return self.bands[-1]

    def band(self, grade: str) -> Band | None:
        return next((band for band in self.bands if band.grade == grade), None)

    def score(self, events: Iterable[tuple[str, str, int]]) -> int:
        """The year's points: the base plus each counted event's points. ``events`` are
        (kind, severity, how many); a score is never below zero."""
        total = self.base_points + sum(
            self.points_for(kind, severity) * count for kind, severity, count in events
        )
        return max(total, 0)

    def credit_list(self, *, grade: str, negative_events: int, serious_recent: int) -> str:
        """The black list: at least ``black_list_serious_events`` unrepaired serious
        events within ``black_list_months``. The red list: a red grade and no unrepaired
        negative event this year."""
        if serious_recent >= self.black_list_serious_events:
            return CreditList.BLACK
        if grade in self.red_list_grades and negative_events == 0:
            return CreditList.RED
        return CreditList.NONE


# Points, minimums and months beyond this are typing mistakes (and would not fit a score).
LARGEST = 1_000_000


def _int(value: object, where: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("%(where)s: write a whole number.") % {"where": where})
    if abs(value) > LARGEST:
        raise ValidationError(_("%(where)s: at most %(max)d.") % {"where": where, "max": LARGEST})
    if minimum is not None and value < minimum:
        raise ValidationError(_("%(where)s: at least %(min)d.") % {"where": where, "min": minimum})
    return value


def _points(value: object) -> dict:
    if not isinstance(value, Mapping):
        raise ValidationError(_("“points” must give the points of each kind of event."))
    result: dict = {}
    for kind, points in value.items():
        if kind not in EventKind.values:
            raise ValidationError(
                _("“points”: there is no event kind “%(kind)s”.") % {"kind": kind}
            )
        if isinstance(points, Mapping):
            result[kind] = {
                str(severity): _int(p, f"points.{kind}.{severity}")
                for severity, p in points.items()
            }
        else:
            result[kind] = _int(points, f"points.{kind}")
    return result


def _dishonesty(value: object) -> dict:
    if not isinstance(value, Mapping):
        raise ValidationError(_("“dishonesty” must give the level of each kind of event."))
    levels = {Dishonesty.GENERAL.value, Dishonesty.SERIOUS.value, ""}
    result: dict = {}
    for kind, level in value.items():
        if kind not in EventKind.values:
            raise ValidationError(
                _("“dishonesty”: there is no event kind “%(kind)s”.") % {"kind": kind}
            )
        values = level.values() if isinstance(level, Mapping) else [level]
        if any(v not in levels for v in values):
            raise ValidationError(
                _("“dishonesty.%(kind)s”: write general or serious.") % {"kind": kind}
            )
        result[kind] = dict(level) if isinstance(level, Mapping) else level
    return result


def _bands(value: object) -> tuple[Band, ...]:
    if not isinstance(value, list) or not 2 <= len(value) <= 10:
        raise ValidationError(_("Give between 2 and 10 grade bands, highest first."))
    bands, previous = [], None
    for number, raw in enumerate(value, start=1):
        where = _("Band %(n)d") % {"n": number}
        if not isinstance(raw, Mapping):
            raise ValidationError(_("%(where)s: not a band.") % {"where": where})
        grade = str(raw.get("grade") or "").strip()
        if not grade or len(grade) > 10:
            raise ValidationError(
                _("%(where)s: give its grade (at most 10 characters).") % {"where": where}
            )
        last = number == len(value)
        min_points = raw.get("min_points")
        if last:
            if min_points is not None:
                raise ValidationError(
                    _(
                        "The last band takes every score below the one above: "
                        "leave its minimum empty."
                    )
                )
        else:
            min_points = _int(min_points, f"{where} min_points", minimum=0)
            if previous is not None and min_points >= previous:
                raise ValidationError(
                    _("%(where)s: its minimum must be lower than the band above's.")
                    % {"where": where}
                )
            previous = min_points
        bands.append(
            Band(
                grade=grade,
                label=str(raw.get("label") or grade)[:50],
                min_points=min_points,
                patrols_per_month=_int(
                    raw.get("patrols_per_month", 1), f"{where} patrols_per_month", minimum=0
                ),
                triggers=str(raw.get("triggers") or "")[:300],
            )
        )
    if len({band.grade for band in bands}) != len(bands):
        raise ValidationError(_("Two bands have the same grade."))
    return tuple(bands)


def rules_from(value: object) -> Rules:
    """The scheme's rules, or ValidationError naming the first thing wrong."""
    if not isinstance(value, Mapping):
        raise ValidationError(_("The rules must be a JSON object."))
    months = value.get("repair_months", {})
    if not isinstance(months, Mapping) or set(months) != {"general", "serious"}:
        raise ValidationError(_("“repair_months” gives the months for general and serious."))
    red = value.get("red_list", {})
    black = value.get("black_list", {})
    if not isinstance(red, Mapping) or not isinstance(black, Mapping):
        raise ValidationError(_("“red_list” and “black_list” must be objects."))
    categories = value.get("report_categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise ValidationError(_("“report_categories” lists category codes."))
    bands = _bands(value.get("bands"))
    red_grades = frozenset(str(g) for g in red.get("grades", []))
    unknown = red_grades - {band.grade for band in bands}
    if unknown:
        raise ValidationError(
            _("The red list names grades no band has: %(grades)s.")
            % {"grades": "、".join(sorted(unknown))}
        )
    return Rules(
        base_points=_int(value.get("base_points"), "base_points", minimum=1),
        points=_points(value.get("points", {})),
        dishonesty=_dishonesty(value.get("dishonesty", {})),
        bands=bands,
        repair_months={
            level: _int(months[level], f"repair_months.{level}", minimum=0) for level in months
        },
        self_correction_exempt=bool(value.get("self_correction_exempt", True)),
        report_categories=tuple(categories),
        red_list_grades=red_grades,
        black_list_serious_events=_int(
            black.get("serious_events", 1), "black_list.serious_events", minimum=1
        ),
        black_list_months=_int(black.get("months", 12), "black_list.months", minimum=1),
    )
