from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.api.models import ApiClient, StaffToken
from yangguang.api.services import api_client_register, staff_token_revoke
from yangguang.core.admin import PostPermissionAdmin, RecordedConfigAdmin
from yangguang.org.rules import Action, permission_name


@admin.register(ApiClient)
class ApiClientAdmin(RecordedConfigAdmin):
    """Keys are made here and shown once; only their hash is stored."""

    list_display = ["name", "kind", "key_prefix", "requests_per_hour", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    fields = ["name", "kind", "contact", "requests_per_hour", "is_active", "key_prefix"]
    readonly_fields = ["key_prefix"]

    def get_readonly_fields(self, request, obj=None):
        return ["key_prefix", "kind"] if obj else ["key_prefix"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = api_client_register(
            name=obj.name,
            kind=obj.kind,
            contact=obj.contact,
            requests_per_hour=obj.requests_per_hour,
            actor=request.user,
        )
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        messages.warning(
            request,
            _("The key of %(client)s, shown only now: %(key)s") % {"client": client, "key": key},
        )


@admin.register(StaffToken)
class StaffTokenAdmin(PostPermissionAdmin):
    """Staff tokens are credentials: the security administrator sees them and may
    revoke them (stopping a program is not acting as its owner), but cannot issue one —
    a token acts as its owner, so only the owner issues it, on their account page. A
    token is never edited or deleted, only revoked (its record stays)."""

    manage_permission = permission_name(Action.MANAGE_ACCOUNTS)
    list_display = [
        "name",
        "user",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
        "revoked_by",
    ]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username", "user__name", "key_prefix"]
    list_select_related = ["user", "revoked_by"]
    actions = ["revoke"]
    fields = [
        "user",
        "name",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            staff_token_revoke(token=token, actor=request.user)
        messages.success(request, _("Tokens revoked."))
