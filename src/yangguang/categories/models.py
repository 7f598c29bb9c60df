"""Component and event categories as versioned data: several incompatible code sets are
in use (CJ/T 214, GB/T 30428.2, GB/T 47678.5) and cities add local extensions, so the
key is (standard, kind, code), never an enum (reference.md §1.1)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yangguang.categories.enums import CategoryKind
from yangguang.worktime.enums import TimeLimitUnit


class CategoryStandard(models.Model):
    """A code set: a national standard edition or a local extension list."""

    code = models.CharField(_("standard"), max_length=50, unique=True)
    name = models.CharField(_("title"), max_length=200)
    is_local = models.BooleanField(_("local extension"), default=False)
    is_current = models.BooleanField(
        _("current for new reports"),
        default=False,
        help_text=_("The code set offered when filing new reports. Several may be current."),
    )
    note = models.TextField(_("note"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-is_current", "code"]
        verbose_name = _("category standard")
        verbose_name_plural = _("category standards")

    def __str__(self) -> str:
        return self.code


class Category(models.Model):
    standard = models.ForeignKey(
        CategoryStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="categories",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CategoryKind.choices)
    code = models.CharField(_("code"), max_length=12)
    major_code = models.CharField(_("major class code"), max_length=6)
    major_name = models.CharField(_("major class"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    handling_type = models.ForeignKey(
        "org.HandlingUnitType",
        verbose_name=_("handling-unit type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
    )
    limit_amount = models.DecimalField(
        _("time limit"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    limit_unit = models.CharField(
        _("time limit unit"), max_length=16, choices=TimeLimitUnit.choices, blank=True
    )
    can_lead_to_case = models.BooleanField(
        _("can lead to an enforcement case"),
        default=False,
        help_text=_("Whether a report of this kind may be handed over to an enforcement case."),
    )
    # 数字城管 proves handling with before/after photos: the report's own (before) and
    # the handling unit's (after). Required by default for every component and event;
    # the system administrator switches it off for problems a photo cannot show
    # (noise, 噪声扰民, is off from the start: migration 0003).
    after_photo_required = models.BooleanField(
        _("after-photo required at handling"),
        default=True,
        help_text=_("Handling (处置) is reported done only with at least one after-photo."),
    )
    verification_photo_required = models.BooleanField(
        _("photo required at verification"),
        default=False,
        help_text=_("The inspector's on-site verification (核查) needs at least one photo."),
    )
    keywords = models.CharField(
        _("search keywords"),
        max_length=200,
        blank=True,
        help_text=_("Other words citizens use for it, to help the category search."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["standard", "kind", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "kind", "code"], name="categories_category_key"
            ),
            models.CheckConstraint(
                condition=(Q(limit_amount__isnull=True) & Q(limit_unit=""))
                | (Q(limit_amount__gt=0) & ~Q(limit_unit="")),
                name="categories_category_limit_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
