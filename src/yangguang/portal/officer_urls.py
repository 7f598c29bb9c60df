"""Officers' public identity (事中公示): the list of officers, identity pages, lookup by
certificate number, photos."""

from django.urls import URLPattern, path

from yangguang.portal import officer_views

urlpatterns: list[URLPattern] = [
    path("officers/", officer_views.officer_list, name="officers"),
    path("officers/lookup/", officer_views.officer_lookup, name="officer_lookup"),
    path("officers/<str:card_token>/", officer_views.officer, name="officer"),
    path("officers/<str:card_token>/photo.jpg", officer_views.officer_photo, name="officer_photo"),
]
