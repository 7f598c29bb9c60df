"""Reading credit for the public: the active scheme's criteria in words and figures, and
the red and black lists (shops by trade name and street — never an operator's name)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from yangguang.credit.enums import CreditList, EventKind
from yangguang.credit.scheme import PENALTY_SEVERITIES, Rules, rules_from
from yangguang.credit.scoring import active_scheme
from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.models import Shop


@dataclass(frozen=True)
class PointsRow:
    label: str
    points: int
    severity: str = ""


def active_rules() -> tuple[object, Rules]:
    scheme = active_scheme()
    return scheme, rules_from(scheme.rules)


def points_table(rules: Rules) -> list[PointsRow]:
    """Each kind of event with its points (penalties by discretion grade), as published."""
    from yangguang.cases.enums import Grade

    rows = []
    for kind in EventKind:
        if kind == EventKind.PENALTY_DECIDED:
            rows += [
                PointsRow(str(kind.label), rules.points_for(kind, s), str(Grade(s).label))
                for s in PENALTY_SEVERITIES
            ]
        elif kind == EventKind.INSPECTION_FAILED and rules.self_correction_exempt:
            continue
        else:
            rows.append(PointsRow(str(kind.label), rules.points_for(kind)))
    return rows


def listed_shops(credit_list: str) -> QuerySet[Shop]:
    """Open shops whose merchant is on ``credit_list`` (red or black)."""
    if credit_list not in (CreditList.RED, CreditList.BLACK):
        return Shop.objects.none()
    return (
        Shop.objects.filter(status=ShopStatus.OPEN, merchant__score__credit_list=credit_list)
        .select_related("merchant", "merchant__score")
        .order_by("street_name", "trade_name", "pk")
    )
