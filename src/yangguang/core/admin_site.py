"""The admin site (系统配置). Kept apart from core/admin.py, which registers models:
the site class must import without touching the registry it is building."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's own admin texts that its Simplified Chinese catalogue leaves in English (the
# app list's column captions, shown upper-case as "MODEL NAME"; the new user's note):
# listed here so that makemessages brings them into ours, which takes precedence.
DJANGO_ADMIN_TEXTS = (
    gettext_noop("Model name"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)


class YangguangAdminSite(admin.AdminSite):
    site_header = _("Yangguang · System configuration")
    site_title = _("Yangguang configuration")
    index_title = _("System configuration")
    site_url = "/staff/"

    def login(self, request: HttpRequest, extra_context=None):
        """One sign-in page for everybody (it records sign-ins): the back office's."""
        return redirect_to_login(
            request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index")),
            login_url=reverse("backoffice:login"),
        )

    def logout(self, request: HttpRequest, extra_context=None):
        """Signing out here is recorded like signing out of the back office."""
        from yangguang.org.signin import logout_recorded

        if request.method == "POST" and request.user.is_authenticated:
            logout_recorded(user=request.user)
        return super().logout(request, extra_context)

    def password_change(self, request: HttpRequest, extra_context=None):
        """One password page for everybody: the back office's applies the password policy
        and records the change."""
        return HttpResponseRedirect(reverse("backoffice:account_password"))

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.has_perm("yangguang.access_admin")
