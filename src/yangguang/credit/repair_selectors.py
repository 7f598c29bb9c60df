"""Reading 信用修复 applications and credit schemes for the staff pages.

Repair applications are read by every work post (credit.apps registers them so) and
decided by the legal office (``Action.CREDIT_DECIDE``); schemes are configuration, read
by whoever may see the organisation and changed by the system administrator.
"""

from django.db.models import QuerySet
from django.http import Http404

from yangguang.credit.models import CreditScheme, CreditScore, RepairApplication
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.registry import pk_or_404


def repairs_for(*, user: User, status: str = "") -> QuerySet[RepairApplication]:
    """Applications, the oldest waiting first."""
    if not allowed(user, Action.VIEW_WORK):
        return RepairApplication.objects.none()
    applications = RepairApplication.objects.select_related(
        "event", "event__merchant", "event__shop", "decided_by"
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("submitted_at", "pk")


def get_repair_for_user(*, user: User, application_id: int | str) -> RepairApplication:
    application = repairs_for(user=user).filter(pk=pk_or_404(application_id)).first()
    if application is None:
        raise Http404
    return application


def merchant_score(merchant_id: int) -> CreditScore | None:
    return CreditScore.objects.filter(merchant_id=merchant_id).select_related("scheme").first()


def schemes_for(*, user: User) -> QuerySet[CreditScheme]:
    """Every version of every scheme: by code, newest version first."""
    if not allowed(user, Action.VIEW_ORGANISATION):
        return CreditScheme.objects.none()
    return CreditScheme.objects.select_related("created_by").order_by("code", "-version")


def get_scheme_for_user(*, user: User, scheme_id: int | str) -> CreditScheme:
    scheme = schemes_for(user=user).filter(pk=pk_or_404(scheme_id)).first()
    if scheme is None:
        raise Http404
    return scheme
