"""The bureau before enforcement (事前公开): profile, units and areas, 权责清单, flow
charts, 随机抽查事项清单."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
