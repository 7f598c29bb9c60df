from django.contrib import admin

from yangguang.categories import services
from yangguang.categories.models import Category, CategoryStandard
from yangguang.core.admin import PostPermissionAdmin, RecordedConfigAdmin, ServiceValidatedForm


@admin.register(CategoryStandard)
class CategoryStandardAdmin(RecordedConfigAdmin):
    list_display = ["code", "name", "is_local", "is_current", "loaded_at"]
    list_editable = ["is_current"]
    fields = ["code", "name", "is_local", "is_current", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


class CategoryForm(ServiceValidatedForm):
    class Meta:
        model = Category
        fields = [
            "handling_type",
            "limit_amount",
            "limit_unit",
            "can_lead_to_case",
            "after_photo_required",
            "verification_photo_required",
            "keywords",
            "is_active",
        ]

    def service_validate(self, data: dict) -> None:
        services.category_limit_validate(
            limit_amount=data.get("limit_amount"), limit_unit=data.get("limit_unit", "")
        )


@admin.register(Category)
class CategoryAdmin(PostPermissionAdmin):
    """Codes and names are as published; the bureau configures routing and limits."""

    form = CategoryForm
    list_display = [
        "code",
        "name",
        "kind",
        "major_name",
        "handling_type",
        "limit_amount",
        "limit_unit",
        "can_lead_to_case",
        "after_photo_required",
        "verification_photo_required",
        "is_active",
    ]
    list_filter = [
        "standard",
        "kind",
        "major_name",
        "handling_type",
        "limit_unit",
        "can_lead_to_case",
        "after_photo_required",
        "verification_photo_required",
    ]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["standard", "handling_type"]
    readonly_fields = ["standard", "kind", "code", "major_code", "major_name", "name"]
    fields = readonly_fields + CategoryForm.Meta.fields

    def has_add_permission(self, request):
        # New code sets and local extensions come in through import-categories.
        return False

    def has_delete_permission(self, request, obj=None):
        # Reports and records refer to categories: deactivate one instead.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        # The form has already set the new values on ``obj``: configure the stored row,
        # so that the record shows what changed.
        services.category_configure(
            category=Category.objects.get(pk=obj.pk),
            actor=request.user,
            **{key: data.get(key) for key in CategoryForm.Meta.fields},
        )
