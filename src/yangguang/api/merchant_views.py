"""The merchant file and credit API (issue 13): /api/v1/merchants/ (the list and one
merchant, with shops, score and credit events; adding one through
``merchants.services.merchant_save``), /api/v1/credit/repairs/<id>/decision/ (the legal
office decides a 信用修复 through ``credit.repair.repair_decide``) and, without sign-in,
/api/v1/public/shops/<token>/ (what a board's QR code opens, read by
``merchants.shop_public``: never the operator or a phone).

The operator's name and mobile are masked in lists, and on one merchant unless the
caller may reveal personal data (个人信息保护法 第五十一条). A decision already taken is
409 with the code ``decided``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yangguang.api.disclosure_views import PublicAPIMixin, public_responses
from yangguang.api.merchant_serializers import (
    MerchantCreateSerializer,
    MerchantDetailSerializer,
    MerchantFilterSerializer,
    MerchantSerializer,
    PublicShopSerializer,
    RepairApplicationSerializer,
    RepairDecisionSerializer,
)
from yangguang.api.views import JsonAPIMixin, Pages, staff_responses
from yangguang.core.privacy import comparable, mask_name, mask_phone
from yangguang.credit.models import CreditEvent, CreditScore, RepairApplication
from yangguang.credit.repair import repair_decide
from yangguang.credit.scheme import rules_from
from yangguang.credit.scoring import active_scheme
from yangguang.merchants.models import Merchant, Shop
from yangguang.merchants.selectors import shop_for_board
from yangguang.merchants.services import merchant_save
from yangguang.merchants.shop_public import (
    active_rules,
    board_url,
    inspection_results,
    registered_name,
    shop_grade,
    shop_titles,
)
from yangguang.org.rules import Action, allowed
from yangguang.records.registry import pk_or_404

EVENTS_SHOWN = 100
# A board's code (secrets.token_urlsafe, at most the column's 16 characters).


class Conflict(APIException):
    """A step the object's state no longer allows (already decided)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This was decided already.")
    default_code = "decided"


# --- The merchant file ---------------------------------------------------------------------


def _score(merchant: Merchant) -> CreditScore | None:
    try:
        return merchant.score
    except CreditScore.DoesNotExist:
        return None


def _shops(merchant: Merchant) -> list[Shop]:
    return list(merchant.shops.all())


def _merchant_data(merchant: Merchant, *, full: bool) -> dict:
    return {
        "id": merchant.pk,
        "credit_code": merchant.credit_code,
        "name": merchant.name,
        "business_type": merchant.business_type,
        "operator": merchant.operator_name if full else mask_name(merchant.operator_name),
        "phone": merchant.phone if full else mask_phone(merchant.phone),
        "score": _score(merchant),
        "shops": _shops(merchant),
    }


def _event_data(merchant: Merchant) -> list[dict]:
    rules = rules_from(active_scheme().rules)
    events = CreditEvent.objects.filter(merchant=merchant).order_by("-occurred_at", "-pk")
    return [
        {
            "id": event.pk,
            "kind": event.kind,
            "severity": event.severity,
            "points": rules.points_for(event.kind, event.severity),
            "occurred_at": event.occurred_at,
            "reason": event.reason,
            "source_type": event.source_type,
            "source_id": event.source_id,
            "repaired_at": event.repaired_at,
        }
        for event in events[:EVENTS_SHOWN]
    ]


def _detail_data(merchant: Merchant, user) -> dict:
    return {
        **_merchant_data(merchant, full=allowed(user, Action.REVEAL_PERSONAL_DATA)),
        "address": merchant.address,
        "licences": [
            {**licence, "valid_until": licence.get("valid_until") or None}
            for licence in merchant.licences or []
        ],
        "is_sole_trader": merchant.is_sole_trader,
        "events": _event_data(merchant),
    }


def _merchants():
    return Merchant.objects.select_related("score").prefetch_related(
        Prefetch("shops", queryset=Shop.objects.order_by("pk"))
    )


@extend_schema(tags=["merchants"])
class MerchantViewSet(JsonAPIMixin, viewsets.GenericViewSet):
    """The merchant file (一户一档): merchants with their shops and credit."""

    queryset = Merchant.objects.all()  # the model, for the schema
    serializer_class = MerchantSerializer
    pagination_class = Pages

    def get_object(self) -> Merchant:
        merchant = _merchants().filter(pk=pk_or_404(self.kwargs["pk"])).first()
        if merchant is None:
            raise Http404
        return merchant

    @extend_schema(
        summary="Merchants",
        parameters=[MerchantFilterSerializer],
        responses=staff_responses({200: MerchantSerializer(many=True)}, 404),
    )
    def list(self, request: Request) -> Response:
        params = MerchantFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        given = params.validated_data
        merchants = _merchants()
        word = comparable(given.get("q") or "").strip()
        if word:
            merchants = merchants.filter(
                Q(name__icontains=word)
                | Q(credit_code__startswith=word.upper())
                | Q(pk__in=Shop.objects.filter(trade_name__icontains=word).values("merchant"))
            )
        if street := given.get("street"):
            merchants = merchants.filter(
                pk__in=Shop.objects.filter(street_name=street).values("merchant")
            )
        if grade := given.get("grade"):
            merchants = merchants.filter(score__grade=grade)
        page = self.paginate_queryset(merchants.order_by("name", "pk"))
        # Lists never show the operator in full (个人信息保护法 第五十一条).
        rows = [_merchant_data(merchant, full=False) for merchant in page]
        return self.get_paginated_response(MerchantSerializer(rows, many=True).data)

    @extend_schema(
        summary="One merchant", responses=staff_responses({200: MerchantDetailSerializer}, 404)
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        merchant = self.get_object()
        return Response(MerchantDetailSerializer(_detail_data(merchant, request.user)).data)

    @extend_schema(
        summary="Add a merchant to the file",
        request=MerchantCreateSerializer,
        responses=staff_responses({201: MerchantDetailSerializer}),
    )
    def create(self, request: Request) -> Response:
        given = MerchantCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        saved = merchant_save(fields=given.to_fields(), actor=request.user)
        merchant = _merchants().get(pk=saved.pk)
        return Response(
            MerchantDetailSerializer(_detail_data(merchant, request.user)).data,
            status=status.HTTP_201_CREATED,
        )


# --- 信用修复 ------------------------------------------------------------------------------


@extend_schema(tags=["credit"])
class RepairDecisionView(JsonAPIMixin, APIView):
    @extend_schema(
        summary="Decide a credit repair application (信用修复)",
        description=(
            "The legal office approves (the event stops counting and the merchant is "
            "rescored) or refuses with a reason. An application decided already is 409."
        ),
        request=RepairDecisionSerializer,
        responses=staff_responses({200: RepairApplicationSerializer}, 404, 409),
    )
    def post(self, request: Request, pk: str) -> Response:
        application = (
            RepairApplication.objects.filter(pk=pk_or_404(pk)).select_related("event").first()
        )
        if application is None:
            raise Http404
        given = RepairDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            application = repair_decide(
                application=application,
                approve=given.validated_data["approve"],
                reason=given.validated_data.get("reason", ""),
                actor=request.user,
            )
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "decided":
                raise Conflict(error.messages[0]) from None
            raise
        score = CreditScore.objects.filter(merchant_id=application.event.merchant_id).first()
        data = {
            "id": application.pk,
            "event": application.event_id,
            "merchant": application.event.merchant_id,
            "status": application.status,
            "submitted_at": application.submitted_at,
            "decided_at": application.decided_at,
            "decision_reason": application.decision_reason,
            "points": score.points if score is not None else None,
        }
        return Response(RepairApplicationSerializer(data).data)


# --- The public shop view ------------------------------------------------------------------


@extend_schema(tags=["public"])
class PublicShopDetail(PublicAPIMixin, generics.GenericAPIView):
    serializer_class = PublicShopSerializer

    @extend_schema(
        summary="A shop behind its 门前三包 board (public)",
        description=(
            "What the board's QR code opens: the shop, its zone and duties, the merchant's "
            "grade, 文明商家 titles and recent inspection results. Nothing personal. An "
            "unknown or closed shop's code is 404."
        ),
        responses=public_responses({200: PublicShopSerializer}, 404),
    )
    def get(self, request: Request, token: str) -> Response:
        shop = shop_for_board(token)
        if shop is None:
            raise NotFound(_("There is no shop with this board code."))
        data = {
            "trade_name": shop.trade_name,
            "registered_name": registered_name(shop),
            "address": shop.address,
            "street": shop.street_name,
            "zone": shop.zone,
            "duties": list(shop.duties.all()),
            "grade": shop_grade(shop, active_rules()),
            "titles": shop_titles(shop),
            "inspections": inspection_results(shop),
            "url": board_url(shop),
        }
        return Response(PublicShopSerializer(data).data)
