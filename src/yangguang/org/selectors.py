"""Reads of the organisation, and the unit-subtree scoping (数据权限) every module uses.

A user sees the subtree of their own unit; a post whose data scope is "the whole
bureau" (dispatchers, legal reviewers, leaders …) widens that to the bureau's tree.
Objects outside the scope are answered with 404 by the ``get_<thing>_for_user`` helpers,
so their existence does not leak.
"""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from yangguang.org.enums import DataScope
from yangguang.org.models import Certificate, Unit, User


def user_post_codes(user: User) -> frozenset[str]:
    """The codes of the user's posts, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_post_codes", None)
    if cached is None:
        cached = frozenset(user.posts.values_list("code", flat=True))
        user._post_codes = cached
    return cached


def user_scope_roots(user: User) -> list[Unit]:
    """The unit(s) whose subtrees the user may see: empty when the user has no unit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_scope_roots", None)
    if cached is not None:
        return cached
    roots: list[Unit] = []
    if user.unit_id is not None:
        unit = user.unit
        wide = user.posts.filter(data_scope=DataScope.BUREAU).exists()
        if wide:
            root_pk = int(unit.path.split("/", 1)[0])
            unit = unit if unit.pk == root_pk else Unit.objects.get(pk=root_pk)
        roots = [unit]
    user._scope_roots = roots
    return roots


def scope_filter(*, user: User, unit_field: str) -> Q:
    """A Q object keeping rows whose ``unit_field`` lies in the user's scope.

    ``unit_field`` names a ForeignKey to Unit (``"unit"``, ``"community"``,
    ``"assigned_unit"`` …). Several fields may be OR-ed by calling this twice.
    """
    roots = user_scope_roots(user)
    if not roots:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{unit_field}__path__startswith": root.path}) for root in roots))


def units_visible_to(user: User) -> QuerySet[Unit]:
    roots = user_scope_roots(user)
    if not roots:
        return Unit.objects.none()
    query = reduce(or_, (Q(path__startswith=root.path) for root in roots))
    return Unit.objects.filter(query).select_related("handling_type")


def get_unit_for_user(*, user: User, unit_id: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=unit_id)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def staff_visible_to(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(scope_filter(user=user, unit_field="unit"), is_active=True)
        .select_related("unit", "rank")
        .prefetch_related(
            "posts",
            Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to")),
        )
    )


def get_staff_for_user(*, user: User, staff_id: int) -> User:
    try:
        return staff_visible_to(user).get(pk=staff_id)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def certificates_expiring(
    *, user: User, today: datetime.date, within_days: int = 60
) -> QuerySet[Certificate]:
    """Valid certificates in the user's scope that expire within ``within_days``."""
    return (
        Certificate.objects.filter(
            scope_filter(user=user, unit_field="holder__unit"),
            status="valid",
            valid_to__gte=today,
            valid_to__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("holder", "holder__unit")
        .order_by("valid_to")
    )


def bureau_root() -> Unit | None:
    return Unit.objects.filter(parent__isnull=True).order_by("pk").first()
