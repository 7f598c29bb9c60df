"""The shop's public page, behind the QR code of its 门前三包 公示牌 (一铺一码)."""

from django.urls import path

from yangguang.portal import shop_views

urlpatterns = [
    path("shops/<str:token>/", shop_views.shop, name="shop"),
]
