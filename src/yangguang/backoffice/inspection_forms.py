"""Forms of the inspection pages: the checklist of a shop's duties (phone-friendly), the
整改 queue's filter and the inspector's check of a correction."""

from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from yangguang.merchants.enums import RectificationStatus
from yangguang.merchants.inspection_selectors import ChecklistDuty
from yangguang.merchants.inspections import NOTE_MAX, Finding
from yangguang.merchants.models import Duty
from yangguang.portal.forms import MultipleFileField, MultipleFileInput

PASS, FAIL = "pass", "fail"


@dataclass(frozen=True)
class ItemRow:
    number: int  # the number the service's messages give the item ("Item 3 failed …")
    duty: Duty
    text: str
    result: BoundField
    note: BoundField
    photos: BoundField


class InspectionForm(forms.Form):
    """One row per checklist item: pass/fail, what was found, photos (the rear camera on
    a phone). Whether a failed item has its finding and photo is the service's rule."""

    note = forms.CharField(
        label=_("Overall note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, checklist: list[ChecklistDuty], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._items: list[tuple[int, Duty, str]] = []
        number = 0
        for entry in checklist:
            for text in entry.items:
                number += 1
                self._items.append((number, entry.duty, text))
                self.fields[f"item{number}_result"] = forms.ChoiceField(
                    label=text,
                    choices=[(PASS, _("Pass")), (FAIL, _("Fail"))],
                    initial=PASS,
                    widget=forms.RadioSelect,
                )
                self.fields[f"item{number}_note"] = forms.CharField(
                    label=_("Finding"), required=False, max_length=NOTE_MAX
                )
                self.fields[f"item{number}_photos"] = MultipleFileField(
                    label=_("Photos"),
                    required=False,
                    widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
                )
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def groups(self) -> list[tuple[Duty, list[ItemRow]]]:
        """The rows by duty, for the page."""
        grouped: dict[int, tuple[Duty, list[ItemRow]]] = {}
        for number, duty, text in self._items:
            row = ItemRow(
                number=number,
                duty=duty,
                text=text,
                result=self[f"item{number}_result"],
                note=self[f"item{number}_note"],
                photos=self[f"item{number}_photos"],
            )
            grouped.setdefault(duty.pk, (duty, []))[1].append(row)
        return list(grouped.values())

    def findings(self) -> list[Finding]:
        data = self.cleaned_data
        return [
            Finding(
                duty=duty.code,
                item=text,
                passed=data[f"item{number}_result"] == PASS,
                note=data.get(f"item{number}_note") or "",
                photos=data.get(f"item{number}_photos") or [],
            )
            for number, duty, text in self._items
        ]


class RectificationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Not yet corrected")),
            (RectificationStatus.OPEN, _("Awaiting correction")),
            (RectificationStatus.SUBMITTED, _("Awaiting the check")),
            (RectificationStatus.OVERDUE, _("Overdue")),
            (RectificationStatus.CORRECTED, _("Corrected")),
        ],
    )
    street = forms.ChoiceField(label=_("Street"), required=False)

    def __init__(self, *args, streets: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All streets")), *((s, s) for s in streets)]


class RectificationCheckForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Send back"))])
    reason = forms.CharField(
        label=_("What is still wrong (to send it back)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
