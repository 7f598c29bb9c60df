from django.urls import path

from yangguang.backoffice import evaluation_views

urlpatterns = [
    path("command/rankings/", evaluation_views.rankings, name="command_rankings"),
    path("command/weights/", evaluation_views.weights, name="command_weights"),
    path("command/steps/", evaluation_views.steps, name="command_steps"),
]
