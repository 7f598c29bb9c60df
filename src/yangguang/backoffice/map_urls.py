from django.urls import path

from yangguang.backoffice import map_views

urlpatterns = [
    path("command/map/", map_views.command_map, name="command_map"),
    path("command/map/reports.json", map_views.command_map_reports, name="command_map_reports"),
    path(
        "command/map/reports/<str:report_id>.json",
        map_views.command_map_report,
        name="command_map_report",
    ),
    path("command/map/grids.geojson", map_views.command_map_grids, name="command_map_grids"),
]
