"""The admin site (系统配置). Kept apart from core/admin.py, which registers models:
the site class must import without touching the registry it is building."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class YangguangAdminSite(admin.AdminSite):
    site_header = _("Yangguang · System configuration")
    site_title = _("Yangguang configuration")
    index_title = _("System configuration")
    site_url = "/staff/"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.has_perm("yangguang.access_admin")
