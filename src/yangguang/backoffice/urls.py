from django.contrib.auth import views as auth_views
from django.urls import path

from yangguang.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/", views.units, name="units"),
    path("staff/", views.staff, name="staff"),
    path("grids/", views.grids, name="grids"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("categories/", views.categories, name="categories"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:year>/", views.calendar, name="calendar_year"),
    path("audit/", views.audit, name="audit"),
]
