"""Admin building blocks tying every ModelAdmin to the post matrix: a model's admin is
open only to the post that manages it, and its forms show the services' refusals."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from yangguang.core.services import config_delete, config_save, config_snapshot
from yangguang.org.rules import Action, permission_name


class ServiceValidatedForm(forms.ModelForm):
    """An admin form that runs the service's own validation in ``clean()``, so the
    service's refusals appear on the form's fields instead of as a server error."""

    def service_validate(self, data: dict) -> None:
        """Call the service's validator; raise ValidationError (by field) to refuse."""
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.service_validate(data)
            except ValidationError as exc:
                self._update_errors(exc)
        return data


class _PostPermission:
    """Every right on the model follows one action of the post matrix."""

    manage_permission: str = permission_name(Action.CONFIGURE_SYSTEM)

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm(self.manage_permission)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)


class PostPermissionAdmin(_PostPermission, admin.ModelAdmin):
    """A model admin open only to the post that manages the model.

    Writes must go through services: subclasses override ``save_model`` and
    ``delete_model`` where a service holds the rules.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)


class RecordedConfigAdmin(PostPermissionAdmin):
    """For configuration models without rules of their own: saves and deletes go
    through core.services, which records them."""

    def save_model(self, request, obj, form, change):
        config_save(instance=obj, before=config_snapshot(obj), actor=request.user)

    def delete_model(self, request, obj):
        config_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            config_delete(instance=obj, actor=request.user)


class PostPermissionInline(_PostPermission, admin.TabularInline):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)
