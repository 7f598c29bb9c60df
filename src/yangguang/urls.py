from django.contrib import admin
from django.urls import include, path

from yangguang.core.views import health, live
from yangguang.notify.views import delivery_receipts

urlpatterns = [
    path("", include("yangguang.portal.urls")),
    path("staff/", include("yangguang.backoffice.urls")),
    path("api/", include("yangguang.api.urls")),
    path("open311/v2/", include("yangguang.api.open311.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("livez", live, name="live"),
    path("sms/receipts/", delivery_receipts, name="sms_receipts"),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Errors outside the API views answer in the format of their door (bad_input.py).
handler400 = "yangguang.bad_input.bad_request"
handler403 = "yangguang.bad_input.permission_denied"
handler404 = "yangguang.bad_input.page_not_found"
handler500 = "yangguang.bad_input.server_error"
