"""After enforcement (事后公开): published decisions, search, feeds, open data, statistics."""

from django.urls import URLPattern, path

from yangguang.portal import opendata_views

urlpatterns: list[URLPattern] = [
    path("decisions/", opendata_views.decisions, name="decisions"),
    path("decisions/feed.atom", opendata_views.decisions_feed, name="decisions_feed"),
    path("decisions.csv", opendata_views.decisions_csv, name="decisions_csv"),
    path("decisions/<str:token>/", opendata_views.decision, name="decision"),
    path("sitemap.xml", opendata_views.sitemap_index, name="sitemap"),
    path(
        "sitemap-pages.xml",
        opendata_views.sitemap_section,
        {"section": "pages"},
        name="sitemap_pages",
    ),
    path(
        "sitemap-decisions.xml",
        opendata_views.sitemap_section,
        {"section": "decisions"},
        name="sitemap_decisions",
    ),
]
