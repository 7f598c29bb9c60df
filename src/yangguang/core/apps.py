from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yangguang.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from yangguang.core import checks  # noqa: F401  (registers system checks)


class YangguangAdminConfig(admin_apps.AdminConfig):
    """Django admin with our site: only the system and security administrators enter."""

    default = False
    default_site = "yangguang.core.admin_site.YangguangAdminSite"
