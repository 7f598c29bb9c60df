"""Merchant credit in public: the scheme's criteria and the red and black lists."""

from django.urls import URLPattern, path

from yangguang.portal import credit_views

urlpatterns: list[URLPattern] = [
    path("credit/", credit_views.overview, name="credit"),
    path("credit/<str:which>/", credit_views.listed, name="credit_list"),
]
