"""After enforcement (事后公开): published decisions, search, feeds, open data, statistics."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
