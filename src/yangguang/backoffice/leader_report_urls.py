from django.urls import path

from yangguang.backoffice import leader_report_views

urlpatterns = [
    path("command/leader-reports/", leader_report_views.leader_reports, name="leader_reports"),
    path(
        "command/leader-reports/<str:report_id>/<str:fmt>/",
        leader_report_views.leader_report_download,
        name="leader_report_download",
    ),
]
