from django.urls import path

from yangguang.backoffice import record_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("units/", views.units, name="units"),
    path("staff/", views.staff, name="staff"),
    path("grids/", views.grids, name="grids"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("categories/", views.categories, name="categories"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:year>/", views.calendar, name="calendar_year"),
    path("audit/", record_views.audit, name="audit"),
    path("audit/digests/", record_views.audit_digests, name="digests"),
    path("records/entry/<int:sequence>/", record_views.entry, name="entry"),
    path(
        "records/<str:object_type>/<str:object_id>/",
        record_views.timeline,
        name="timeline",
    ),
    path(
        "records/<str:object_type>/<str:object_id>/record.pdf",
        record_views.timeline_pdf,
        name="timeline_pdf",
    ),
    path(
        "records/<str:object_type>/<str:object_id>/evidence/",
        record_views.evidence_upload,
        name="evidence_upload",
    ),
    path("evidence/<str:sha256>/", record_views.evidence_detail, name="evidence"),
    path("evidence/<str:sha256>/file", record_views.evidence_file, name="evidence_file"),
]
