from django.urls import include, path

from yangguang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("track/", views.track_lookup, name="lookup"),
    path("track/photo/<str:key>.jpg", views.public_photo, name="photo"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/rate/", views.rate, name="rate"),
    path("area.geojson", views.area, name="area"),
    path("v/<str:token>/", views.document, name="document"),
    path("party/<str:token>/", views.party, name="party"),
    path(
        "party/<str:token>/documents/<int:document_id>.pdf",
        views.party_document,
        name="party_document",
    ),
    path("", include("yangguang.portal.before_urls")),
    path("", include("yangguang.portal.officer_urls")),
    path("", include("yangguang.portal.opendata_urls")),
    path("", include("yangguang.portal.statistics_urls")),
    path("", include("yangguang.portal.shop_urls")),
    path("", include("yangguang.portal.credit_urls")),
    path("", include("yangguang.portal.merchant_urls")),
    path("", include("yangguang.portal.campaign_urls")),
]
