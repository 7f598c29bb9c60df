from django.contrib import admin
from django.urls import include, path

from yangguang.core.views import health
from yangguang.notify.views import delivery_receipts

urlpatterns = [
    path("", include("yangguang.portal.urls")),
    path("staff/", include("yangguang.backoffice.urls")),
    path("api/", include("yangguang.api.urls")),
    path("open311/v2/", include("yangguang.api.open311.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("sms/receipts/", delivery_receipts, name="sms_receipts"),
    path("i18n/", include("django.conf.urls.i18n")),
]
