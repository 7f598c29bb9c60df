"""The inspection pages (门前三包 checklists, 整改) and the credit pages (信用修复, schemes)."""

from django.urls import URLPattern, path

from yangguang.backoffice import credit_views, inspection_views

urlpatterns: list[URLPattern] = [
    path("shops/<str:shop_id>/inspect/", inspection_views.shop_inspect, name="shop_inspect"),
    path(
        "inspections/<str:inspection_id>/",
        inspection_views.inspection_detail,
        name="inspection",
    ),
    path("rectifications/", inspection_views.rectification_list, name="rectifications"),
    path(
        "rectifications/<str:rectification_id>/",
        inspection_views.rectification_detail,
        name="rectification",
    ),
    path(
        "rectifications/<str:rectification_id>/check/",
        inspection_views.rectification_decide,
        name="rectification_check",
    ),
    path("credit/repairs/", credit_views.repair_list, name="credit_repairs"),
    path(
        "credit/repairs/<str:application_id>/",
        credit_views.repair_detail,
        name="credit_repair",
    ),
    path(
        "credit/repairs/<str:application_id>/decide/",
        credit_views.repair_decision,
        name="credit_repair_decide",
    ),
    path("credit/schemes/", credit_views.scheme_list, name="credit_schemes"),
    path(
        "credit/schemes/<str:scheme_id>/",
        credit_views.scheme_detail,
        name="credit_scheme",
    ),
    path(
        "credit/schemes/<str:scheme_id>/new-version/",
        credit_views.scheme_new_version,
        name="credit_scheme_save",
    ),
    path(
        "credit/schemes/<str:scheme_id>/activate/",
        credit_views.scheme_make_active,
        name="credit_scheme_activate",
    ),
]
