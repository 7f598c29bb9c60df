"""Public statistics: the report loop per sub-district and month, and the annual
enforcement statistics report (行政执法统计年报) as a page, PDF and .xlsx."""

from django.urls import URLPattern, path

from yangguang.portal import statistics_views

urlpatterns: list[URLPattern] = [
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/annual/", statistics_views.annual_index, name="statistics_annual_index"),
    path("statistics/annual/<int:year>/", statistics_views.annual, name="statistics_annual"),
    path(
        "statistics/annual/<int:year>.pdf",
        statistics_views.annual_report_pdf,
        name="statistics_annual_pdf",
    ),
    path(
        "statistics/annual/<int:year>.xlsx",
        statistics_views.annual_report_xlsx,
        name="statistics_annual_xlsx",
    ),
]
