from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("yangguang.portal.urls")),
    path("staff/", include("yangguang.backoffice.urls")),
    path("api/", include("yangguang.api.urls")),
    path("open311/v2/", include("yangguang.api.open311.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
