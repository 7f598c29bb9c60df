"""The bureau before enforcement (事前公开): profile, units and areas, 权责清单, flow
charts, 随机抽查事项清单."""

from django.urls import URLPattern, path

from yangguang.portal import before_views

urlpatterns: list[URLPattern] = [
    path("bureau/", before_views.bureau, name="bureau"),
    path("bureau/areas.geojson", before_views.bureau_areas, name="bureau_areas"),
    path("powers/", before_views.power_list, name="powers"),
    path("powers/<str:power_code>/", before_views.power_detail, name="power"),
    path("procedure/", before_views.procedure, name="procedure"),
    path("inspections/", before_views.inspections, name="inspections"),
    path("inspections/list.xlsx", before_views.inspections_xlsx, name="inspections_xlsx"),
    path(
        "inspections/versions/<str:version>/",
        before_views.inspection_version,
        name="inspection_version",
    ),
]
