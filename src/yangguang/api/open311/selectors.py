"""What the Open311 endpoint reads: the services (our categories) and the public service
requests (our problem reports)."""

import datetime
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from yangguang.categories.enums import CategoryKind
from yangguang.categories.models import Category
from yangguang.categories.selectors import categories_search
from yangguang.reports.enums import TERMINAL, ReportKind, Status
from yangguang.reports.models import Report

# Component and event codes share one code space in GB/T 47678.5 (部件 01037 and 事件
# 01037 are different things), so a service code carries its kind as a prefix.
KIND_PREFIX = {CategoryKind.COMPONENT: "C", CategoryKind.EVENT: "E"}
PREFIX_KIND = {prefix: kind for kind, prefix in KIND_PREFIX.items()}

# Merged reports live on in the report they joined; void ones were never requests.
NOT_PUBLIC = [Status.MERGED, Status.VOID]
CLOSED = sorted(TERMINAL - set(NOT_PUBLIC))
MAX_REQUESTS = 1000


def service_code(category: Category) -> str:
    return KIND_PREFIX[category.kind] + category.code


def _kind_and_code(code: str) -> tuple[str, str] | None:
    kind = PREFIX_KIND.get(code[:1])
    return (kind, code[1:]) if kind and code[1:] else None


def services_list() -> list[Category]:
    """Active categories of the current code sets, one per service code: should two
    current sets share a code, the first set by its code wins (as in ``service_find``)."""
    services: dict[str, Category] = {}
    for category in categories_search().order_by("kind", "code", "standard__code"):
        services.setdefault(service_code(category), category)
    return list(services.values())


def service_find(code: str) -> Category | None:
    kind_and_code = _kind_and_code(code)
    if kind_and_code is None:
        return None
    kind, category_code = kind_and_code
    return (
        categories_search(kind=kind).filter(code=category_code).order_by("standard__code").first()
    )


def open311_requests() -> QuerySet[Report]:
    """Every problem report is a public service request, except merged and void ones.
    Reporters come along only so that their data can be masked in the staff's reply;
    sub-district and community make the public location."""
    return (
        Report.objects.filter(kind=ReportKind.PROBLEM)
        .exclude(status__in=NOT_PUBLIC)
        .select_related("category", "unit", "street", "community")
        .prefetch_related("reporters")
    )


def open311_request_find(tracking_number: str) -> Report | None:
    return open311_requests().filter(tracking_number=tracking_number).first()


def open311_requests_search(
    *,
    ids: Sequence[str] = (),
    service_codes: Sequence[str] = (),
    statuses: Sequence[str] = (),
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    offset: int = 0,
    limit: int = MAX_REQUESTS,
) -> list[Report]:
    """Newest first. ``ids`` (tracking numbers) override every other filter; the window
    applies to the time the request was received."""
    reports = open311_requests()
    if ids:
        reports = reports.filter(tracking_number__in=ids)
    else:
        # Lists show reports once intake has registered them and approved their public
        # summary. By id, its sender can still follow it (category, status, location).
        reports = reports.exclude(status=Status.SUBMITTED)
        if service_codes:
            wanted = Q(pk__in=[])
            for kind_and_code in filter(None, map(_kind_and_code, service_codes)):
                wanted |= Q(category__kind=kind_and_code[0], category__code=kind_and_code[1])
            reports = reports.filter(wanted)
        if set(statuses) == {"open"}:
            reports = reports.exclude(status__in=CLOSED)
        elif set(statuses) == {"closed"}:
            reports = reports.filter(status__in=CLOSED)
        if start is not None:
            reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
    limit = min(limit, MAX_REQUESTS)
    return list(reports.order_by("-created_at", "-pk")[offset : offset + limit])
