"""campaign_urls (filled in by its module of work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
