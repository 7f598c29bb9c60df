"""The campaign pages (星级评定/文明商家), inside the "backoffice" namespace."""

from django.urls import URLPattern, path

from yangguang.backoffice import campaign_views

urlpatterns: list[URLPattern] = [
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<str:campaign_id>/", campaign_views.campaign_detail, name="campaign"),
    path(
        "campaigns/<str:campaign_id>/step/<str:step>/",
        campaign_views.campaign_step,
        name="campaign_step",
    ),
    path(
        "campaigns/<str:campaign_id>/entries/<str:entry_id>/score/<str:role>/",
        campaign_views.entry_score,
        name="campaign_score",
    ),
]
