"""Staff pages of the merchant file (一户一档): the list, a merchant with its shops, zones,
责任书, score and repairs; adding and changing a merchant; registering a shop on patrol;
a shop's zone and duties; its 责任书; the workbook import.

Everyone who sees the loop's work reads these pages (VIEW_WORK). Every write goes
through ``merchants.services`` or ``merchants.imports``, which check MERCHANT_MANAGE and
the values: a refusal is shown on the page (403 for the post, 400 for the input). The
operator's name and mobile are masked unless the viewer may reveal personal data."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yangguang.backoffice.form_errors import errors_onto
from yangguang.backoffice.merchant_forms import (
    ImportForm,
    LetterScanForm,
    MerchantFilterForm,
    MerchantForm,
    ShopCloseForm,
    ShopForm,
    ZoneForm,
    licences_to_text,
)
from yangguang.core.privacy import comparable, mask_name, mask_phone
from yangguang.credit.models import CreditEvent, RepairApplication
from yangguang.merchants.enums import LetterStatus, RectificationStatus, ShopStatus
from yangguang.merchants.imports import ImportRefused, merchants_import, template_xlsx
from yangguang.merchants.models import Merchant, Rectification, Shop
from yangguang.merchants.selectors import current_letter, recent_inspections
from yangguang.merchants.services import (
    ShopFields,
    letter_issue,
    letter_sign_paper,
    merchant_save,
    shop_close,
    shop_register,
    shop_zone_set,
)
from yangguang.org.rules import Action, allowed, permission_name

VIEW_WORK = permission_name(Action.VIEW_WORK)
# A 整改 not yet closed: waiting for the merchant, for the inspector's check, or late.
OPEN_RECTIFICATIONS = (
    RectificationStatus.OPEN,
    RectificationStatus.SUBMITTED,
    RectificationStatus.OVERDUE,
)
# A merchant workbook of 5,000 rows is well under a megabyte; the general import limit
# (IMPORT_MAX_BYTES) is sized for evidence packages.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
EVENTS_SHOWN = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_reveal(user) -> bool:
    return allowed(user, Action.REVEAL_PERSONAL_DATA)


def _may_manage(user) -> bool:
    return allowed(user, Action.MERCHANT_MANAGE)


def _merchant(merchant_id: int) -> Merchant:
    merchant = Merchant.objects.filter(pk=merchant_id).select_related("score").first()
    if merchant is None:
        raise Http404
    return merchant


def _shop(shop_id: int) -> Shop:
    shop = Shop.objects.filter(pk=shop_id).select_related("merchant", "grid").first()
    if shop is None:
        raise Http404
    return shop


def _refused(request: HttpRequest, error: PermissionDenied) -> None:
    messages.error(request, str(error) or _("Your posts do not allow this."))


def _map_context() -> dict:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


# The list ---------------------------------------------------------------------------------


def _open_rectifications():
    count = (
        Rectification.objects.filter(shop__merchant=OuterRef("pk"), status__in=OPEN_RECTIFICATIONS)
        .order_by()
        .values("shop__merchant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def merchant_list(request: HttpRequest) -> HttpResponse:
    form = MerchantFilterForm(request.GET or None)
    merchants = (
        Merchant.objects.select_related("score")
        .prefetch_related(Prefetch("shops", queryset=Shop.objects.order_by("pk")))
        .annotate(open_rectifications=_open_rectifications())
    )
    if form.is_valid():
        data = form.cleaned_data
        word = comparable(data.get("q") or "").strip()
        if word:
            merchants = merchants.filter(
                Q(name__icontains=word)
                | Q(credit_code__startswith=word.upper())
                | Q(pk__in=Shop.objects.filter(trade_name__icontains=word).values("merchant"))
            )
        if data.get("street"):
            merchants = merchants.filter(
                pk__in=Shop.objects.filter(street_name=data["street"]).values("merchant")
            )
        if data.get("grade"):
            merchants = merchants.filter(score__grade=data["grade"])
    page = Paginator(merchants.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    for merchant in page:
        # Lists never show the operator in full (个人信息保护法 第五十一条); the
        # merchant's page does, to those who may reveal personal data.
        merchant.masked_operator = mask_name(merchant.operator_name)
        merchant.masked_phone = mask_phone(merchant.phone)
        merchant.open_shops = [s for s in merchant.shops.all() if s.status == ShopStatus.OPEN]
    return render(
        request,
        "backoffice/merchants/list.html",
        {"form": form, "page": page, "may_manage": _may_manage(request.user)},
    )


# A merchant -------------------------------------------------------------------------------


def _merchant_fields(data: dict, merchant: Merchant | None, *, keep_personal: bool) -> dict:
    fields = {key: data.get(key, "") for key in MerchantForm.base_fields}
    if merchant is not None and keep_personal:
        for key in ("operator_name", "phone"):
            if not str(fields.get(key) or "").strip():
                fields[key] = getattr(merchant, key)
    return fields


def _merchant_form_page(request: HttpRequest, *, merchant: Merchant | None) -> HttpResponse:
    keep_personal = merchant is not None and not _may_reveal(request.user)
    initial = {}
    if merchant is not None:
        initial = {key: getattr(merchant, key) for key in MerchantForm.base_fields}
        initial["licences"] = licences_to_text(merchant.licences)
        if keep_personal:
            initial["operator_name"] = initial["phone"] = ""
    form = MerchantForm(request.POST or None, initial=initial, keep_personal=keep_personal)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = merchant_save(
                    fields=_merchant_fields(
                        form.cleaned_data, merchant, keep_personal=keep_personal
                    ),
                    actor=request.user,
                    merchant=merchant,
                )
            except PermissionDenied as error:
                _refused(request, error)
                status = 403
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("%(name)s: saved.") % {"name": saved.name})
                return redirect("backoffice:merchant", merchant_id=saved.pk)
    context = {"form": form, "merchant": merchant, "may_manage": _may_manage(request.user)}
    return render(request, "backoffice/merchants/form.html", context, status=status)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def merchant_new(request: HttpRequest) -> HttpResponse:
    return _merchant_form_page(request, merchant=None)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def merchant_edit(request: HttpRequest, merchant_id: int) -> HttpResponse:
    return _merchant_form_page(request, merchant=_merchant(merchant_id))


def _shop_view(shop: Shop) -> dict:
    return {
        "shop": shop,
        "duties": list(shop.duties.all()),
        "letter": current_letter(shop),
        "letters": list(shop.letters.all()),
        "inspections": recent_inspections(shop),
        "rectifications": [r for r in shop.rectifications.all() if r.status in OPEN_RECTIFICATIONS],
        "zone_id": f"zone-{shop.pk}",
    }


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def merchant_detail(request: HttpRequest, merchant_id: int) -> HttpResponse:
    merchant = _merchant(merchant_id)
    reveal = _may_reveal(request.user)
    shops = (
        merchant.shops.select_related("grid")
        .prefetch_related("duties", "letters", "rectifications")
        .order_by("-status", "pk")  # "open" after "closed" in the alphabet: open first
    )
    # No score yet (RelatedObjectDoesNotExist is an AttributeError): a new merchant.
    score = getattr(merchant, "score", None)
    context = {
        "merchant": merchant,
        "operator": merchant.operator_name if reveal else mask_name(merchant.operator_name),
        "phone": merchant.phone if reveal else mask_phone(merchant.phone),
        "revealed": reveal,
        "shops": [_shop_view(shop) for shop in shops],
        "score": score,
        "events": CreditEvent.objects.filter(merchant=merchant).select_related("shop")[
            :EVENTS_SHOWN
        ],
        "repairs": RepairApplication.objects.filter(event__merchant=merchant).select_related(
            "event", "decided_by"
        ),
        "may_manage": _may_manage(request.user),
        **_map_context(),
    }
    return render(request, "backoffice/merchants/detail.html", context)


# Shops ------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def shop_new(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """The patrol's registration of a shop front on the spot, on a phone."""
    merchant = _merchant(merchant_id)
    form = ShopForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                shop = shop_register(
                    merchant=merchant,
                    data=ShopFields(
                        trade_name=data["trade_name"],
                        address=data["address"],
                        street_name=data["street_name"],
                        longitude=data["longitude"],
                        latitude=data["latitude"],
                        frontage_m=data["frontage_m"],
                        facing=data["facing"],
                        duties=data["duties"],
                    ),
                    actor=request.user,
                    front_photo=data.get("front_photo") or None,
                )
            except PermissionDenied as error:
                _refused(request, error)
                status = 403
            except ValidationError as error:
                errors_onto(form, error, renamed={"photos": "front_photo"})
            else:
                messages.success(request, _("%(shop)s is registered.") % {"shop": shop.trade_name})
                return redirect("backoffice:merchant", merchant_id=merchant.pk)
    context = {
        "form": form,
        "merchant": merchant,
        "may_manage": _may_manage(request.user),
        **_map_context(),
    }
    return render(request, "backoffice/merchants/shop_new.html", context, status=status)


def _zone_page(request, shop, *, zone_form=None, close_form=None, status=200) -> HttpResponse:
    if zone_form is None:
        zone_form = ZoneForm(
            initial={
                "frontage_m": shop.frontage_m,
                "depth_m": shop.depth_m,
                "facing": shop.facing,
                "zone": json.dumps(shop.zone) if shop.zone_drawn else "",
                "duties": [duty.code for duty in shop.duties.all()],
            }
        )
    context = {
        "shop": shop,
        "zone_form": zone_form,
        "close_form": close_form or ShopCloseForm(),
        "may_manage": _may_manage(request.user),
        "open": shop.status == ShopStatus.OPEN,
        **_map_context(),
    }
    return render(request, "backoffice/merchants/zone.html", context, status=status)


def _zone_from_text(text: str) -> object:
    """The pasted or drawn GeoJSON, or None for the frontage × depth rectangle."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError(
            {"zone": _("This is not GeoJSON: draw the zone on the map or paste a polygon.")}
        ) from None


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def shop_zone(request: HttpRequest, shop_id: int) -> HttpResponse:
    shop = _shop(shop_id)
    if request.method != "POST":
        return _zone_page(request, shop)
    form = ZoneForm(request.POST)
    if not form.is_valid():
        return _zone_page(request, shop, zone_form=form, status=400)
    data = form.cleaned_data
    try:
        shop_zone_set(
            shop=shop,
            zone=_zone_from_text(data["zone"]),
            actor=request.user,
            frontage_m=data["frontage_m"],
            depth_m=data["depth_m"],
            facing=data["facing"],
            duties=data["duties"],
        )
    except PermissionDenied as error:
        _refused(request, error)
        return _zone_page(request, shop, zone_form=form, status=403)
    except ValidationError as error:
        errors_onto(form, error)
        return _zone_page(request, shop, zone_form=form, status=400)
    messages.success(
        request,
        _("The zone of %(shop)s is saved. Issue a new 责任书 to bind the merchant to it.")
        % {"shop": shop.trade_name},
    )
    return redirect("backoffice:shop_zone", shop_id=shop.pk)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_POST
def shop_close_view(request: HttpRequest, shop_id: int) -> HttpResponse:
    shop = _shop(shop_id)
    form = ShopCloseForm(request.POST)
    if not form.is_valid():
        return _zone_page(request, shop, close_form=form, status=400)
    try:
        shop_close(shop=shop, actor=request.user, reason=form.cleaned_data["reason"])
    except PermissionDenied as error:
        _refused(request, error)
        return _zone_page(request, shop, close_form=form, status=403)
    except ValidationError as error:
        errors_onto(form, error)
        return _zone_page(request, shop, close_form=form, status=400)
    messages.success(request, _("%(shop)s is closed.") % {"shop": shop.trade_name})
    return redirect("backoffice:merchant", merchant_id=shop.merchant_id)


# 责任书 ------------------------------------------------------------------------------------


def _letter_page(request, shop, *, scan_form=None, status=200) -> HttpResponse:
    letter = current_letter(shop)
    context = {
        "shop": shop,
        "letter": letter,
        "letters": list(shop.letters.select_related("issued_by")),
        "scan_form": scan_form or LetterScanForm(),
        "may_sign": letter is not None and letter.status == LetterStatus.ISSUED,
        "may_manage": _may_manage(request.user),
        "open": shop.status == ShopStatus.OPEN,
    }
    return render(request, "backoffice/merchants/letter.html", context, status=status)


def _letter_issue_step(request: HttpRequest, shop: Shop) -> HttpResponse:
    try:
        letter = letter_issue(shop=shop, actor=request.user)
    except PermissionDenied as error:
        _refused(request, error)
        return _letter_page(request, shop, status=403)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _letter_page(request, shop, status=400)
    messages.success(
        request,
        _("责任书 %(number)s is issued; the merchant gets a link to sign it by text message.")
        % {"number": letter.number},
    )
    return redirect("backoffice:shop_letter", shop_id=shop.pk)


def _letter_scan_step(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = LetterScanForm(request.POST, request.FILES)
    letter = current_letter(shop)
    if letter is None:
        form.add_error(None, _("Issue a 责任书 first."))
    if not form.is_valid():
        return _letter_page(request, shop, scan_form=form, status=400)
    try:
        letter_sign_paper(letter=letter, scan=form.cleaned_data["scan"], actor=request.user)
    except PermissionDenied as error:
        _refused(request, error)
        return _letter_page(request, shop, scan_form=form, status=403)
    except ValidationError as error:
        errors_onto(form, error, renamed={"upload": "scan", "file": "scan"})
        return _letter_page(request, shop, scan_form=form, status=400)
    messages.success(request, _("%(number)s is signed on paper.") % {"number": letter.number})
    return redirect("backoffice:shop_letter", shop_id=shop.pk)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def shop_letter(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Issue a 责任书 (the merchant gets a link to sign it by text message), or upload
    the scan of the one signed on paper."""
    shop = _shop(shop_id)
    if request.method != "POST":
        return _letter_page(request, shop)
    step = request.POST.get("step")
    if step == "issue":
        return _letter_issue_step(request, shop)
    if step == "scan":
        return _letter_scan_step(request, shop)
    return _letter_page(request, shop, status=400)


# Import -----------------------------------------------------------------------------------


def _import_limit() -> int:
    return min(IMPORT_MAX_BYTES, getattr(settings, "IMPORT_MAX_BYTES", IMPORT_MAX_BYTES))


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
def merchant_import(request: HttpRequest) -> HttpResponse:
    """All rows or none: a refused workbook lists every problem and writes nothing."""
    form = ImportForm(request.POST or None, request.FILES or None, max_bytes=_import_limit())
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                added, shops = merchants_import(
                    upload=form.cleaned_data["workbook"], actor=request.user
                )
            except PermissionDenied as error:
                _refused(request, error)
                status = 403
            except ImportRefused as refusal:
                problems = refusal.problems
            else:
                messages.success(
                    request,
                    _("Imported %(merchants)d merchants with %(shops)d shops.")
                    % {"merchants": added, "shops": shops},
                )
                return redirect("backoffice:merchants")
    context = {
        "form": form,
        "problems": problems,
        "max_mb": round(_import_limit() / 1024 / 1024, 1),
        "may_manage": _may_manage(request.user),
    }
    return render(request, "backoffice/merchants/import.html", context, status=status)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def merchant_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="merchants.xlsx"'
    return response
