"""The legal office's publication API (/api/v1/publications/): the publications of the
cases in the user's scope, and the steps — correct the public text, approve, refuse,
withdraw — under the same rules as the pages (disclosure.services). A refused step is
409 with its code and reason; a text holding personal data is 400 naming the field."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yangguang.api.publication_serializers import (
    PublicationEditSerializer,
    PublicationFilterSerializer,
    PublicationRefuseSerializer,
    PublicationSerializer,
    PublicationWithdrawSerializer,
)
from yangguang.api.views import JsonAPIMixin, Pages, staff_responses
from yangguang.disclosure.models import Publication
from yangguang.disclosure.selectors import publication_light, publications_for
from yangguang.disclosure.services import (
    publication_approve,
    publication_edit,
    publication_refuse,
    publication_withdraw,
)
from yangguang.records.registry import pk_or_404

STEP = staff_responses({200: PublicationSerializer}, 400, 404, 409)


@extend_schema(tags=["publications"])
class PublicationViewSet(JsonAPIMixin, viewsets.GenericViewSet):
    """Decisions proposed for publication, published, refused or withdrawn (事后公开)."""

    queryset = Publication.objects.all()  # the model, for the schema
    serializer_class = PublicationSerializer
    pagination_class = Pages

    def get_queryset(self):
        return publications_for(self.request.user)

    def get_object(self) -> Publication:
        publication = self.get_queryset().filter(pk=pk_or_404(self.kwargs["pk"])).first()
        if publication is None:
            raise Http404
        return publication

    def _data(self, publication: Publication) -> dict:
        publication = self.get_queryset().get(pk=publication.pk)
        publication.light = publication_light(publication, timezone.now())
        return PublicationSerializer(publication, context=self.get_serializer_context()).data

    @extend_schema(
        parameters=[PublicationFilterSerializer],
        responses=staff_responses({200: PublicationSerializer(many=True)}, 404),
    )
    def list(self, request: Request) -> Response:
        params = PublicationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        publications = self.get_queryset()
        if status := params.validated_data.get("status"):
            publications = publications.filter(status=status)
        page = self.paginate_queryset(publications)
        now = timezone.now()
        for publication in page:
            publication.light = publication_light(publication, now)
        data = PublicationSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(responses=staff_responses({200: PublicationSerializer}, 404))
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._data(self.get_object()))

    @extend_schema(request=PublicationEditSerializer, responses=STEP)
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: str) -> Response:
        publication = self.get_object()
        given = PublicationEditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        publication_edit(publication_id=publication.pk, actor=request.user, **given.validated_data)
        return Response(self._data(publication))

    @extend_schema(request=None, responses=STEP)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        publication = self.get_object()
        publication_approve(publication_id=publication.pk, actor=request.user)
        return Response(self._data(publication))

    @extend_schema(request=PublicationRefuseSerializer, responses=STEP)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        publication = self.get_object()
        given = PublicationRefuseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        publication_refuse(
            publication_id=publication.pk, actor=request.user, **given.validated_data
        )
        return Response(self._data(publication))

    @extend_schema(request=PublicationWithdrawSerializer, responses=STEP)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        publication = self.get_object()
        given = PublicationWithdrawSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        publication_withdraw(
            publication_id=publication.pk, actor=request.user, **given.validated_data
        )
        return Response(self._data(publication))
