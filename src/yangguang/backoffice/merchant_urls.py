"""The merchant file's staff pages (一户一档): merchants, their shops, zones and 责任书."""

from django.urls import URLPattern, path

from yangguang.backoffice import commendation_views, merchant_views, patrol_plan_views

urlpatterns: list[URLPattern] = [
    path("merchants/", merchant_views.merchant_list, name="merchants"),
    path("merchants/new/", merchant_views.merchant_new, name="merchant_new"),
    path("merchants/patrol-plan/", patrol_plan_views.plan, name="patrol_plan"),
    path("merchants/import/", merchant_views.merchant_import, name="merchant_import"),
    path(
        "merchants/import/template.xlsx",
        merchant_views.merchant_import_template,
        name="merchant_import_template",
    ),
    path("merchants/<int:merchant_id>/", merchant_views.merchant_detail, name="merchant"),
    path("merchants/<int:merchant_id>/edit/", merchant_views.merchant_edit, name="merchant_edit"),
    path("merchants/<int:merchant_id>/shops/new/", merchant_views.shop_new, name="shop_new"),
    path(
        "merchants/<str:merchant_id>/commendations/new/",
        commendation_views.commendation_new,
        name="commendation_new",
    ),
    path("shops/<int:shop_id>/zone/", merchant_views.shop_zone, name="shop_zone"),
    path("shops/<int:shop_id>/close/", merchant_views.shop_close_view, name="shop_close"),
    path("shops/<int:shop_id>/letter/", merchant_views.shop_letter, name="shop_letter"),
]
