"""Unit grids (单元网格): the ~1 ha polygons every report and patrol is located in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Grid(models.Model):
    """A unit grid. ``code`` is 15 digits: the community's 12-digit code + a 3-digit
    sequence (reference.md §1.4). ``geometry`` is a GeoJSON Polygon or MultiPolygon in
    lon/lat (WGS 84 / CGCS2000 — they differ by centimetres)."""

    code = models.CharField(_("grid code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    community = models.ForeignKey(
        "org.Unit",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="grids",
        limit_choices_to={"kind": "community"},
    )
    squadron = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible squadron"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patrolled_grids",
        limit_choices_to={"kind": "squadron"},
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid officers"),
        blank=True,
        related_name="grids",
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    area_m2 = models.FloatField(_("area (m²)"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit grid")
        verbose_name_plural = _("unit grids")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{15}$"), name="grids_grid_code_15_digits"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="grids_grid_updated_idx")]

    def __str__(self) -> str:
        return self.code
