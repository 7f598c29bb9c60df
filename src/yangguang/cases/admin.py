from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yangguang.cases.enums import penalty_kind_labels
from yangguang.cases.models import CaseRules, DiscretionGrade, Violation
from yangguang.core.admin import PostPermissionAdmin, PostPermissionInline, RecordedConfigAdmin


@admin.register(CaseRules)
class CaseRulesAdmin(RecordedConfigAdmin):
    """The local figures of the procedure; one row, never deleted."""

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not CaseRules.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DiscretionGradeInline(PostPermissionInline):
    model = DiscretionGrade
    extra = 0
    fields = ["grade", "party", "conditions", "fine_min", "fine_max", "fine_basis"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Violation)
class ViolationAdmin(PostPermissionAdmin):
    """The catalogue is read here and changed by importing (`import-violations`): a
    change makes a new version, so decided cases keep theirs."""

    list_display = ["code", "name", "penalty_basis_shown", "version", "is_current"]
    list_filter = ["is_current", "domain", "local_basis_required"]
    search_fields = ["code", "name", "violated_law", "penalty_law"]
    inlines = [DiscretionGradeInline]
    # The penalty kinds by name, not as the stored list of codes.
    exclude = ["penalty_kinds"]
    readonly_fields = [
        *(f.name for f in Violation._meta.fields if f.name != "penalty_kinds"),
        "penalty_kinds_shown",
    ]

    @admin.display(description=_("penalty basis"))
    def penalty_basis_shown(self, violation: Violation) -> str:
        return violation.penalty_basis

    @admin.display(description=_("penalty kinds"))
    def penalty_kinds_shown(self, violation: Violation) -> str:
        return "、".join(penalty_kind_labels(violation.penalty_kinds))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
