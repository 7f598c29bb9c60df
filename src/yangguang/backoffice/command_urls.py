from django.urls import path

from yangguang.backoffice import command_views

urlpatterns = [
    path("command/", command_views.command_centre, name="command_centre"),
    path("command/screen/", command_views.command_screen, name="command_screen"),
    path("command/live.json", command_views.command_live_json, name="command_live_json"),
]
