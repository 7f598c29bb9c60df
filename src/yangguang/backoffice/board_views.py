"""The 门前三包 公示牌 (merchants/boards.py) as PDF downloads, for those who keep the
merchant file (``Action.MERCHANT_MANAGE``): one shop's board, or every open shop of a
street in one PDF (``?street=<name>&size=A4|A5``). A closed shop gets no board."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yangguang.merchants.boards import SIZES, board_pdf
from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.models import Shop
from yangguang.merchants.selectors import street_shops
from yangguang.org.rules import Action, allowed
from yangguang.records.registry import pk_or_404

STREET_MAX = Shop._meta.get_field("street_name").max_length


def _require(request: HttpRequest) -> None:
    if not allowed(request.user, Action.MERCHANT_MANAGE):
        raise PermissionDenied


def _size(request: HttpRequest) -> str | None:
    size = request.GET.get("size", "A4").strip().upper()
    return size if size in SIZES else None


def _bad_size() -> HttpResponse:
    return HttpResponse(
        _("A board is printed on A4 or A5."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def shop_board(request: HttpRequest, shop_id: str) -> HttpResponse:
    _require(request)
    shop = Shop.objects.filter(pk=pk_or_404(shop_id), status=ShopStatus.OPEN).first()
    if shop is None:
        raise Http404
    size = _size(request)
    if size is None:
        return _bad_size()
    return _pdf(board_pdf([shop], size=size), f"board-{shop.pk}-{size}.pdf")


@login_required
@require_GET
def street_boards(request: HttpRequest) -> HttpResponse:
    _require(request)
    street = request.GET.get("street", "").strip()
    if not street or len(street) > STREET_MAX or "\x00" in street:
        raise Http404
    size = _size(request)
    if size is None:
        return _bad_size()
    shops = list(street_shops(street))
    if not shops:  # no such street, or none of its shops is open
        raise Http404
    try:
        content = board_pdf(shops, size=size)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400, content_type="text/plain; charset=utf-8")
    return _pdf(content, f"boards-{street}-{size}.pdf")
