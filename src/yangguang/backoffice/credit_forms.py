"""Forms of the credit pages: the legal office's decision on a 信用修复 application, and
the system administrator's new version of a scoring scheme (its rules as JSON)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.credit.enums import RepairStatus
from yangguang.credit.repair import TEXT_MAX

RULES_MAX_CHARS = 20_000
# No scheme needs larger figures; a larger one would not fit the score's column.
NUMBER_MAX = 1_000_000


class RepairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *RepairStatus.choices],
    )


class RepairDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason (required to refuse; the merchant reads it)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _reject_constant(name: str) -> None:
    raise ValueError(name)


def _numbers_in_range(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return -NUMBER_MAX <= value <= NUMBER_MAX
    if isinstance(value, dict):
        return all(_numbers_in_range(item) for item in value.values())
    if isinstance(value, list):
        return all(_numbers_in_range(item) for item in value)
    return True


class SchemeSaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    rules = forms.CharField(
        label=_("Rules (JSON)"),
        max_length=RULES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "class": "mono", "spellcheck": "false"}),
    )
    note = forms.CharField(label=_("What changed"), max_length=300)

    def clean_rules(self) -> object:
        text = self.cleaned_data["rules"]
        try:
            rules = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON: line %(line)d, column %(column)d (%(problem)s).")
                % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}
            ) from exc
        except (ValueError, RecursionError) as exc:
            raise forms.ValidationError(
                _("Not valid JSON: write plain numbers, nested at most a few levels.")
            ) from exc
        if not _numbers_in_range(rules):
            raise forms.ValidationError(
                _("Every number must lie between -%(max)d and %(max)d.") % {"max": NUMBER_MAX}
            )
        return rules
