"""Officers' public identity (事中公示): the list of officers, identity pages, lookup by certificate number."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
