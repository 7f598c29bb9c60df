from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yangguang.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from yangguang.core import checks  # noqa: F401  (registers system checks)
        from yangguang.core.middleware import session_stamp

        # Every sign-in starts the session's clocks (idle and absolute lifetime).
        user_logged_in.connect(session_stamp, dispatch_uid="yangguang_session_stamp")


class YangguangAdminConfig(admin_apps.AdminConfig):
    """Django admin with our site: only the system and security administrators enter."""

    default = False
    default_site = "yangguang.core.admin_site.YangguangAdminSite"

    def ready(self) -> None:
        super().ready()  # registers every app's admin
        from django.contrib import admin
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Posts replace Django's groups; an unused Group screen would only confuse.
        # django-otp's admin would show each authenticator's secret key and QR code:
        # enrolment happens only on the owner's own sign-in page (org/signin.py).
        for model in (Group, TOTPDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
