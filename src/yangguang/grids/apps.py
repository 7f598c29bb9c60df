from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "yangguang.grids"
    label = "grids"
    verbose_name = _("Unit grids")

    def ready(self) -> None:
        from yangguang.grids.models import Grid
        from yangguang.grids.selectors import get_grid_for_user
        from yangguang.records.registry import pk_or_404, register

        register(
            Grid,
            get_for_user=lambda user, pk: get_grid_for_user(user=user, grid_id=pk_or_404(pk)),
            # The squadron patrols the grid; without one, the community's unit reads it.
            unit_of=lambda grid: grid.squadron or grid.community,
        )
