"""The 门前三包 duties in 系统配置: a bureau with 门前五包/六包 adds its own; a duty in use
is retired (unticked), never deleted, so letters and inspections keep naming it."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yangguang.core.admin import RecordedConfigAdmin
from yangguang.merchants.models import Duty

CHECKLIST_MAX = 20


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["code", "name", "description", "checklist", "position", "active"]

    def clean_checklist(self) -> list[str]:
        items = self.cleaned_data.get("checklist")
        if not isinstance(items, list) or not 1 <= len(items) <= CHECKLIST_MAX:
            raise forms.ValidationError(
                _('Write the checklist as a list of 1 to %(max)d sentences, e.g. ["无乱堆放"].')
                % {"max": CHECKLIST_MAX}
            )
        cleaned = [" ".join(str(item).split()) for item in items]
        if any(not item or len(item) > 200 or "\x00" in item for item in cleaned):
            raise forms.ValidationError(
                _("Each checklist item is a sentence of 1 to 200 characters.")
            )
        return cleaned


@admin.register(Duty)
class DutyAdmin(RecordedConfigAdmin):
    form = DutyForm
    list_display = ["name", "code", "position", "active"]
    list_editable = ["position", "active"]
    ordering = ["position", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
