"""Reads of cases, scoped to the reader's units (数据权限)."""

from django.db.models import QuerySet
from django.http import Http404

from yangguang.cases.models import Case, Violation
from yangguang.org.models import User
from yangguang.org.selectors import scope_filter


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases of units in the user's scope; bureau-wide posts see them all. The
    administrators see none (``view_work``: no business need, 等保2.0 8.1.4.2 c)."""
    from yangguang.org.rules import Action, permission_name

    if not user.has_perm(permission_name(Action.VIEW_WORK)):
        return Case.objects.none()
    return Case.objects.filter(scope_filter(user=user, unit_field="unit")).select_related(
        "unit", "violation"
    )


def get_case_for_user(*, user: User, case_id: int, for_update: bool = False) -> Case:
    """The case, or Http404 when it does not exist or lies outside the user's scope.
    ``for_update`` locks the row until the transaction ends."""
    cases = cases_visible_to(user)
    if for_update:
        cases = Case.objects.select_for_update().filter(pk__in=cases.values("pk"))
    try:
        return cases.get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def violations_current() -> QuerySet[Violation]:
    return Violation.objects.filter(is_current=True).prefetch_related("grades")


def may_see_party(user: User, case: Case) -> bool:
    """The party's identity and contacts in full: the case's officers and the posts
    that approve, review and decide cases."""
    from yangguang.org.rules import Action, allowed

    if any(
        allowed(user, action)
        for action in (Action.CASE_APPROVE, Action.CASE_LEGAL_REVIEW, Action.CASE_DECIDE)
    ):
        return True
    return case.officers.filter(user=user).exists()
