from django.urls import path

from yangguang.backoffice import record_views, report_views, views

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
    path("reports/", report_views.queues, name="queues"),
    path("reports/queue/<str:code>/", report_views.queues, name="queue"),
    path("reports/queue/<str:code>/export.<str:fmt>", report_views.export, name="queue_export"),
    path("reports/bulk-dispatch/", report_views.bulk_dispatch, name="bulk_dispatch"),
    path("reports/new/", report_views.hotline_entry, name="hotline"),
    path("reports/patrol/", report_views.patrol_entry, name="patrol"),
    path("reports/<int:report_id>/", report_views.detail, name="report"),
    path("reports/<int:report_id>/act/<str:verb>/", report_views.act, name="report_act"),
    path("reports/<int:report_id>/reply/", report_views.reply, name="report_reply"),
    path("reports/<int:report_id>/note/", report_views.note, name="report_note"),
    path("reports/<int:report_id>/supervise/", report_views.supervise, name="report_supervise"),
    path(
        "supervision/<int:order_id>/reply/",
        report_views.supervision_answer,
        name="supervision_reply",
    ),
    path("messages/", report_views.outbox, name="outbox"),
    path("indicators/", report_views.indicators_page, name="indicators"),
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
