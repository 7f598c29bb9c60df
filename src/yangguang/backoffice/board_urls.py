"""The 门前三包 公示牌 downloads: one shop's board, a street's boards in one PDF."""

from django.urls import path

from yangguang.backoffice import board_views

urlpatterns = [
    path("boards/shop/<str:shop_id>.pdf", board_views.shop_board, name="board_shop"),
    path("boards/street.pdf", board_views.street_boards, name="board_street"),
]
