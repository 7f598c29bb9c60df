"""The merchant's own page (issue 13): sign-in by the texted link or by credit code and
mobile, then their credit, shops, 责任书, 整改 requests and credit repair."""

from django.urls import URLPattern, path

from yangguang.portal import merchant_views

urlpatterns: list[URLPattern] = [
    path("merchant/", merchant_views.sign_in, name="merchant_sign_in"),
    path("merchant/l/<str:token>/", merchant_views.link, name="merchant_link"),
    path("merchant/home/", merchant_views.home, name="merchant_home"),
    path("merchant/sign-out/", merchant_views.sign_out, name="merchant_sign_out"),
    path(
        "merchant/letters/<str:letter_id>/sign/",
        merchant_views.letter_sign,
        name="merchant_letter_sign",
    ),
    path(
        "merchant/rectifications/<str:rectification_id>/",
        merchant_views.rectification,
        name="merchant_rectification",
    ),
    path(
        "merchant/events/<str:event_id>/repair/",
        merchant_views.repair,
        name="merchant_repair",
    ),
]
