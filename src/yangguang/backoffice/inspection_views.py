"""Staff pages of 门前三包 inspections: the checklist of a shop on a phone, the inspection
with the 整改 requests it opened, the 整改 queue and one request with its photos, to
accept the correction or send it back. The rules live in ``merchants.inspections``;
their refusals are shown on the page (HTTP 400)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.backoffice.inspection_forms import (
    InspectionForm,
    RectificationCheckForm,
    RectificationFilterForm,
)
from yangguang.merchants.enums import RectificationStatus
from yangguang.merchants.inspection_selectors import (
    get_inspection_for_user,
    get_rectification_for_user,
    get_shop_for_user,
    rectification_late,
    rectification_streets,
    rectifications_for,
    shop_checklist,
)
from yangguang.merchants.inspections import inspection_record, rectification_check
from yangguang.merchants.shop_public import report_point
from yangguang.org.rules import Action, allowed, permission_name

VIEW_WORK = permission_name(Action.VIEW_WORK)
MERCHANT_MANAGE = permission_name(Action.MERCHANT_MANAGE)


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for problems in exc.message_dict.values() for message in problems]
    return list(exc.messages)


@login_required
@permission_required(MERCHANT_MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shop_inspect(request: HttpRequest, shop_id: str) -> HttpResponse:
    """The checklist of every duty of the shop; saving records the inspection, and each
    failed item opens a 整改 request due on a working day."""
    shop = get_shop_for_user(user=request.user, shop_id=shop_id)
    posted = request.method == "POST"
    form = InspectionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        checklist=shop_checklist(shop),
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                inspection = inspection_record(
                    shop=shop,
                    findings=form.findings(),
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Inspection of %(shop)s recorded.") % {"shop": shop.trade_name}
                )
                return redirect("backoffice:inspection", inspection_id=inspection.pk)
    context = {"shop": shop, "form": form, "groups": form.groups(), "posted": posted}
    return render(request, "backoffice/inspections/inspect.html", context, status=status)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def inspection_detail(request: HttpRequest, inspection_id: str) -> HttpResponse:
    inspection = get_inspection_for_user(user=request.user, inspection_id=inspection_id)
    items = list(inspection.items.all())
    opened = [item.rectification for item in items if hasattr(item, "rectification")]
    context = {"inspection": inspection, "items": items, "opened": opened}
    return render(request, "backoffice/inspections/inspection.html", context)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    form = RectificationFilterForm(request.GET or None, streets=rectification_streets())
    status, street = "", ""
    if form.is_valid():
        status, street = form.cleaned_data["status"], form.cleaned_data["street"]
    now = timezone.now()
    requests = rectifications_for(user=request.user, status=status, street=street, now=now)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    for rectification in page:
        rectification.late = rectification_late(rectification, now)
    return render(
        request,
        "backoffice/inspections/rectifications.html",
        {"form": form, "page": page},
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


def _render_rectification(request, rectification, *, form=None, status=200) -> HttpResponse:
    may_check = (
        allowed(request.user, Action.MERCHANT_MANAGE)
        and rectification.status == RectificationStatus.SUBMITTED
    )
    context = {
        "rectification": rectification,
        "item": rectification.item,
        "late": rectification_late(rectification, timezone.now()),
        "may_check": may_check,
        "form": form or RectificationCheckForm(),
        "patrol_link": _patrol_link(request, rectification),
    }
    return render(request, "backoffice/inspections/rectification.html", context, status=status)


def _patrol_link(request, rectification) -> str:
    """An overdue 整改 may go into the report loop as a patrol finding (and from there to a
    case): the patrol form, filled with the shop's place and what was not corrected."""
    if rectification.status != RectificationStatus.OVERDUE or not allowed(
        request.user, Action.REPORT_PATROL
    ):
        return ""
    shop = rectification.shop
    lon, lat = report_point(shop)
    query = urlencode(
        {
            "lon": f"{lon:.7f}",
            "lat": f"{lat:.7f}",
            "address": shop.address,
            "description": _(
                "门前三包 整改 not done by its deadline at %(shop)s (%(address)s): %(what)s"
            )
            % {"shop": shop.trade_name, "address": shop.address, "what": rectification.requirement},
        }
    )
    return f"{reverse('backoffice:patrol')}?{query}"


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def rectification_detail(request: HttpRequest, rectification_id: str) -> HttpResponse:
    rectification = get_rectification_for_user(user=request.user, rectification_id=rectification_id)
    return _render_rectification(request, rectification)


@login_required
@permission_required(MERCHANT_MANAGE, raise_exception=True)
@require_POST
def rectification_decide(request: HttpRequest, rectification_id: str) -> HttpResponse:
    """Accept the merchant's correction, or send it back with what is still wrong."""
    rectification = get_rectification_for_user(user=request.user, rectification_id=rectification_id)
    form = RectificationCheckForm(request.POST)
    if not form.is_valid():
        return _render_rectification(request, rectification, form=form, status=400)
    accepted = form.cleaned_data["decision"] == "accept"
    try:
        rectification_check(
            rectification=rectification,
            accepted=accepted,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form.add_error(None, exc.messages)
        rectification = get_rectification_for_user(
            user=request.user, rectification_id=rectification.pk
        )
        return _render_rectification(request, rectification, form=form, status=400)
    messages.success(
        request,
        _("The correction is accepted.")
        if accepted
        else _("The request is sent back to the merchant."),
    )
    return redirect("backoffice:rectification", rectification_id=rectification.pk)
