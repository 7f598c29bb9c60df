from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from yangguang.core.admin import PostPermissionAdmin
from yangguang.grids import services
from yangguang.grids.models import Grid


@admin.register(Grid)
class GridAdmin(PostPermissionAdmin):
    """Boundaries come from GIS files (``yangguang import-grids``), which checks them
    against the neighbours; here the name, squadron and grid officers are edited."""

    list_display = ["code", "name", "community", "squadron", "area_m2", "officer_count"]
    list_filter = ["community__parent", "squadron"]
    search_fields = ["code", "name", "community__name"]
    list_select_related = ["community", "squadron"]
    fields = ["code", "name", "community", "squadron", "officers", "area_m2", "geometry"]
    readonly_fields = ["code", "community", "area_m2", "geometry"]
    filter_horizontal = ["officers"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(officer_total=Count("officers"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("grid officers"), ordering="officer_total")
    def officer_count(self, grid: Grid) -> int:
        return grid.officer_total

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.grid_update(
            grid=obj,
            name=data.get("name", ""),
            squadron=data.get("squadron"),
            officers=list(data.get("officers", [])),
            actor=request.user,
        )

    def save_related(self, request, form, formsets, change):
        """The officers were set by grid_update in save_model."""

    def delete_model(self, request, obj):
        services.grid_delete(grid=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for grid in queryset:
            services.grid_delete(grid=grid, actor=request.user)
