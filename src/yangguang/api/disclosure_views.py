"""Published decisions as open data (/api/v1/public/decisions/): read-only, no sign-in,
the portal's search (disclosure.opendata) with its filters and its messages, paginated.
A withdrawn decision gives its number and withdrawal notice, never its content.

Anonymous callers are limited per network address (429 with Retry-After past it), in
the shared cache, like the portal's other public limits."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from yangguang.api.serializers import ErrorSerializer, QuerySerializer
from yangguang.api.views import Pages
from yangguang.disclosure.enums import PublicationStatus, WithdrawalGround
from yangguang.disclosure.models import Publication
from yangguang.disclosure.opendata import (
    TEXT_LIMITS,
    decision_by_token,
    decision_filters_parse,
    decision_record,
    decisions_public,
)
from yangguang.records.context import client_from_request

ERROR = OpenApiResponse(ErrorSerializer)
# 400 bad input (a NUL character, a bad filter or page), 429 over the limit; no
# endpoint here needs credentials, so none answers 401 or 403 … except to a session
# whose CSRF check fails, which a GET never triggers.
PUBLIC_ERRORS = (400, 413, 429)


def public_responses(success: dict, *errors: int) -> dict:
    return {**success, **dict.fromkeys(sorted({*errors, *PUBLIC_ERRORS}), ERROR)}


class PublicReadThrottle(SimpleRateThrottle):
    """Requests per network address and minute, counted in the cache (REDIS_URL shares
    the count between workers)."""

    scope = "public_api"
    rate = "120/min"

    def get_cache_key(self, request: Request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_from_request(request).ip}


class PublicDecisionPages(Pages):
    page_size = 50


class PublicDecisionQuerySerializer(QuerySerializer):
    """The search's parameters: a parameter given empty is refused, as the schema says;
    disclosure.opendata parses the rest as it parses the portal's form."""

    def get_fields(self) -> dict:
        text = {
            "category": _("Category, exactly as listed."),
            "street": _("Street (sub-district), exactly as listed."),
            "number": _("Document number (文号): exact, else contained."),
            "org": _("Part of an organisation's name (individuals are not searchable)."),
            "q": _("A word in the cause (案由)."),
        }
        return {
            "from": serializers.DateField(
                required=False, help_text=_("Decided on or after (YYYY-MM-DD).")
            ),
            "to": serializers.DateField(
                required=False, help_text=_("Decided on or before (YYYY-MM-DD).")
            ),
            **{
                name: serializers.CharField(
                    required=False, max_length=TEXT_LIMITS[name], help_text=help_text
                )
                for name, help_text in text.items()
            },
        }


class PublicDecisionContentSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("Cause (案由)."))
    facts = serializers.CharField()
    basis = serializers.CharField()
    result = serializers.CharField()
    penalty_kinds = serializers.ListField(child=serializers.CharField())
    fine = serializers.DecimalField(max_digits=12, decimal_places=2)
    confiscation_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    party = serializers.CharField(help_text=_("As published: individuals by surname only."))
    party_is_organisation = serializers.BooleanField()
    party_credit_code = serializers.CharField(
        allow_blank=True, help_text=_("Unified social credit code, for organisations only.")
    )
    authority = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField()
    content_sha256 = serializers.CharField()


class PublicWithdrawalSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=WithdrawalGround.choices)
    ground_label = serializers.CharField()
    reason = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()


class PublicDecisionSerializer(serializers.Serializer):
    token = serializers.CharField()
    document_number = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN]
    )
    published_at = serializers.DateTimeField(allow_null=True)
    publish_until = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(help_text=_("The decision's public page."))
    check_url = serializers.URLField(help_text=_("The page that checks its hash."))
    decision = PublicDecisionContentSerializer(
        allow_null=True, help_text=_("The published content; null once withdrawn.")
    )
    withdrawal = PublicWithdrawalSerializer(
        allow_null=True, help_text=_("The withdrawal notice; null unless withdrawn.")
    )


def _record(request: Request, publication: Publication) -> dict:
    token = publication.verify_token
    return {
        **decision_record(publication),
        "url": request.build_absolute_uri(reverse("portal:decision", args=[token])),
        "check_url": request.build_absolute_uri(reverse("portal:document", args=[token])),
    }


class PublicAPIMixin:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicReadThrottle]


@extend_schema(tags=["public"])
class PublicDecisionList(PublicAPIMixin, generics.ListAPIView):
    serializer_class = PublicDecisionSerializer
    pagination_class = PublicDecisionPages

    @extend_schema(
        summary="Published decisions (open data)",
        description=(
            "Published administrative penalty decisions, newest decision first, and the "
            "withdrawal notices of those withdrawn (their content is not given). No "
            "sign-in. The filters are the portal's; a page past the last is 404."
        ),
        parameters=[PublicDecisionQuerySerializer],
        responses=public_responses({200: PublicDecisionSerializer(many=True)}, 404),
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        PublicDecisionQuerySerializer().refuse_blank(request.query_params)
        filters = decision_filters_parse(request.query_params)
        page = self.paginate_queryset(decisions_public(filters))
        rows = [_record(request, publication) for publication in page]
        return self.get_paginated_response(PublicDecisionSerializer(rows, many=True).data)


@extend_schema(tags=["public"])
class PublicDecisionDetail(PublicAPIMixin, generics.GenericAPIView):
    serializer_class = PublicDecisionSerializer

    @extend_schema(
        summary="One published decision (open data)",
        description="By its token (from the list or the QR code); withdrawn: the notice only.",
        responses=public_responses({200: PublicDecisionSerializer}, 404),
    )
    def get(self, request: Request, token: str) -> Response:
        publication = decision_by_token(token)
        if publication is None:
            raise NotFound(_("There is no published decision with this token."))
        return Response(PublicDecisionSerializer(_record(request, publication)).data)
