"""Open311 GeoReport v2: ``<resource>.<format>``, the format being xml or json (views
answer other suffixes with 404)."""

from django.urls import re_path

from yangguang.api.open311 import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>\w+)$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FORMAT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^requests" + FORMAT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FORMAT, views.service_request, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.token_lookup, name="token"),
]
