from django.urls import path

from yangguang.backoffice import patrol_views

urlpatterns: list = [
    path("duty/bar/", patrol_views.duty_bar, name="duty_bar"),
    path("duty/start/", patrol_views.duty_start_view, name="duty_start"),
    path("duty/end/", patrol_views.duty_end_view, name="duty_end"),
    path("duty/positions/", patrol_views.duty_positions, name="duty_positions"),
    path("patrol/", patrol_views.positions_page, name="patrol_positions"),
    path("patrol/positions.json", patrol_views.positions_json, name="patrol_positions_json"),
    path("patrol/shifts/<int:shift_id>/", patrol_views.shift_page, name="patrol_shift"),
    path("patrol/grids/<int:grid_id>/", patrol_views.grid_page, name="patrol_grid"),
]
