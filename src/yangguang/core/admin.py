"""The admin site (系统配置) and the base class tying every ModelAdmin to the post
matrix: a model's admin is open only to the post that manages it."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from yangguang.org.rules import Action, permission_name


class PostPermissionAdmin(admin.ModelAdmin):
    """Every right on the model follows one action of the post matrix.

    Writes must go through services: subclasses override ``save_model`` and
    ``delete_model`` where a service holds the rules.
    """

    manage_permission: str = permission_name(Action.CONFIGURE_SYSTEM)

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(self.manage_permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)


class PostPermissionInline(admin.TabularInline):
    manage_permission: str = permission_name(Action.CONFIGURE_SYSTEM)

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(self.manage_permission)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)


# Posts replace Django's groups; an unused Group screen would only confuse.
admin.site.unregister(Group)
