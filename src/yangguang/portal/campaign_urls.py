"""The public campaign pages (文明商家 / 星级评定), inside the "portal" namespace."""

from django.urls import URLPattern, path

from yangguang.portal import campaign_views

urlpatterns: list[URLPattern] = [
    path("civilised-merchants/", campaign_views.civilised, name="civilised_merchants"),
    path(
        "civilised-merchants/<str:campaign_id>/vote/",
        campaign_views.vote,
        name="campaign_vote",
    ),
]
