"""Reading inspections and 整改 requests for the staff pages: a shop's checklist, an
inspection with what it opened, the 整改 queue by status and street.

The merchant file is the bureau's (merchants.apps registers it bureau-wide): whoever
holds a work post may read it; who may inspect or check is ``Action.MERCHANT_MANAGE``.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from yangguang.merchants.enums import RectificationStatus
from yangguang.merchants.models import Duty, Inspection, Rectification, Shop
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.registry import pk_or_404

ITEM_MAX = 200  # merchants.inspections refuses a longer item

# The queue's filter: "" shows what is still to correct.
STILL_OPEN = (
    RectificationStatus.OPEN,
    RectificationStatus.SUBMITTED,
    RectificationStatus.OVERDUE,
)


@dataclass(frozen=True)
class ChecklistDuty:
    duty: Duty
    items: list[str]


def _readable(user: User) -> bool:
    return allowed(user, Action.VIEW_WORK)


def get_shop_for_user(*, user: User, shop_id: int | str) -> Shop:
    """The shop with its merchant, grid and duties; 404 when the user may not read it."""
    if not _readable(user):
        raise Http404
    shop = (
        Shop.objects.filter(pk=pk_or_404(shop_id))
        .select_related("merchant", "grid")
        .prefetch_related("duties")
        .first()
    )
    if shop is None:
        raise Http404
    return shop


def shop_checklist(shop: Shop) -> list[ChecklistDuty]:
    """Each duty of the shop with the items to check. A duty without a checklist is
    checked as one item, its name."""
    result = []
    for duty in shop.duties.all():
        items = [" ".join(str(item).split())[:ITEM_MAX] for item in duty.checklist or []]
        items = [item for item in items if item] or [duty.name[:ITEM_MAX]]
        result.append(ChecklistDuty(duty=duty, items=items))
    return result


def get_inspection_for_user(*, user: User, inspection_id: int | str) -> Inspection:
    if not _readable(user):
        raise Http404
    inspection = (
        Inspection.objects.filter(pk=pk_or_404(inspection_id))
        .select_related("shop", "shop__merchant", "inspector")
        .prefetch_related("items__duty", "items__rectification")
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def rectifications_for(
    *,
    user: User,
    status: str = "",
    street: str = "",
    now: datetime.datetime,
) -> QuerySet[Rectification]:
    """The 整改 queue, earliest deadline first. ``status`` "" is everything not yet
    corrected; "overdue" also takes open requests whose deadline has passed (the worker
    marks them within minutes)."""
    if not _readable(user):
        return Rectification.objects.none()
    requests = Rectification.objects.select_related("shop", "item", "item__duty")
    if status == RectificationStatus.OVERDUE:
        requests = requests.filter(
            Q(status=RectificationStatus.OVERDUE)
            | Q(status=RectificationStatus.OPEN, due_at__lt=now)
        )
    elif status:
        requests = requests.filter(status=status)
    else:
        requests = requests.filter(status__in=STILL_OPEN)
    if street:
        requests = requests.filter(shop__street_name=street)
    return requests.order_by("due_at", "pk")


def rectification_late(rectification: Rectification, now: datetime.datetime) -> bool:
    """Past its deadline and not corrected (marked red)."""
    return rectification.status == RectificationStatus.OVERDUE or (
        rectification.status == RectificationStatus.OPEN and rectification.due_at < now
    )


def get_rectification_for_user(*, user: User, rectification_id: int | str) -> Rectification:
    if not _readable(user):
        raise Http404
    rectification = (
        Rectification.objects.filter(pk=pk_or_404(rectification_id))
        .select_related(
            "shop",
            "shop__merchant",
            "item",
            "item__duty",
            "item__inspection",
            "item__inspection__inspector",
            "closed_by",
        )
        .first()
    )
    if rectification is None:
        raise Http404
    return rectification


def rectification_streets() -> list[str]:
    """The streets of shops that ever had a 整改 request (the queue's street filter)."""
    return list(
        Shop.objects.filter(rectifications__isnull=False)
        .exclude(street_name="")
        .values_list("street_name", flat=True)
        .distinct()
        .order_by("street_name")
    )
