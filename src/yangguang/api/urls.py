"""/api/v1/… (the REST API) and /api/schema/ (its OpenAPI description)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from yangguang.api import (
    case_views,
    disclosure_views,
    errors,
    merchant_views,
    publication_views,
    views,
)

app_name = "api"

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("supervisions", views.SupervisionViewSet, basename="supervision")
router.register("cases", case_views.CaseViewSet, basename="case")
router.register("publications", publication_views.PublicationViewSet, basename="publication")
router.register("merchants", merchant_views.MerchantViewSet, basename="merchant")

v1 = [
    *router.urls,
    path("queues/", views.QueuesView.as_view(), name="queues"),
    path("events/", views.EventsView.as_view(), name="events"),
    path("calendar/deadline/", views.DeadlineView.as_view(), name="deadline"),
    path(
        "public/decisions/",
        disclosure_views.PublicDecisionList.as_view(),
        name="public-decisions",
    ),
    path(
        "public/decisions/<str:token>/",
        disclosure_views.PublicDecisionDetail.as_view(),
        name="public-decision",
    ),
    path(
        "credit/repairs/<str:pk>/decision/",
        merchant_views.RepairDecisionView.as_view(),
        name="credit-repair-decision",
    ),
    path(
        "public/shops/<str:token>/",
        merchant_views.PublicShopDetail.as_view(),
        name="public-shop",
    ),
    # Last: anything else under v1/ is an unknown endpoint, answered in the API's shape.
    re_path(r"^.*$", errors.not_found),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
