"""Forms of the campaign pages (星级评定/文明商家). They parse; the rules (weights adding up
to 100, score bounds, who may do what) live in ``merchants.campaigns``."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.privacy import comparable
from yangguang.merchants.campaigns import CRITERIA_MAX, TEXT_MAX, CampaignFields
from yangguang.merchants.models import CampaignKind
from yangguang.merchants.selectors import street_names

# "item | points", a full-width bar or a tab between them.
SEPARATOR = re.compile(r"\s*[|｜\t]\s*")
LINES_MAX = 50


class DateInput(forms.DateInput):
    input_type = "date"


def _lines(text: str) -> list[list[str]]:
    if "\x00" in text:
        raise ValidationError(_("Remove the control characters."))
    rows = [line.strip() for line in text.splitlines() if line.strip()]
    if len(rows) > LINES_MAX:
        raise ValidationError(_("At most %(max)d lines.") % {"max": LINES_MAX})
    return [SEPARATOR.split(row) for row in rows]


def _number(text: str) -> int | None:
    digits = comparable(text).strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 6 else None


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CampaignKind.choices)
    starts_on = forms.DateField(label=gettext_lazy("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("Ends"), widget=DateInput)
    criteria = forms.CharField(
        label=gettext_lazy("Criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One a line: the item, a bar, its maximum points (门前三包落实 | 40)."
        ),
    )
    weight_inspectors = forms.IntegerField(
        label=gettext_lazy("Inspectors' weight (%)"), min_value=0, max_value=100, initial=60
    )
    weight_streets = forms.IntegerField(
        label=gettext_lazy("Sub-districts' weight (%)"), min_value=0, max_value=100, initial=20
    )
    weight_public = forms.IntegerField(
        label=gettext_lazy("Public vote weight (%)"),
        min_value=0,
        max_value=100,
        initial=20,
        help_text=gettext_lazy("The three weights add up to 100; 0 here means no public vote."),
    )
    streets = forms.MultipleChoiceField(
        label=gettext_lazy("Streets entered"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every open shop of these streets is entered."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title awarded"),
        max_length=100,
        help_text=gettext_lazy("As published, e.g. 2026年度文明商家."),
    )
    titles = forms.IntegerField(
        label=gettext_lazy("Number of titles (文明商家)"),
        required=False,
        min_value=1,
        max_value=10_000,
    )
    star_thresholds = forms.CharField(
        label=gettext_lazy("Star levels (star rating)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line: stars, a bar, the least result of 100 (5 | 90)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["streets"].choices = [(name, name) for name in street_names()]

    def clean_criteria(self) -> list[dict]:
        criteria = []
        for row in _lines(self.cleaned_data["criteria"]):
            points = _number(row[-1]) if len(row) == 2 else None
            if points is None:
                raise ValidationError(
                    _("Write each criterion as: item | maximum points ( %(line)s ).")
                    % {"line": " | ".join(row)[:60]}
                )
            criteria.append({"item": row[0], "max_points": points})
        if len(criteria) > CRITERIA_MAX:
            raise ValidationError(_("At most %(max)d criteria.") % {"max": CRITERIA_MAX})
        return criteria

    def clean_star_thresholds(self) -> list[dict]:
        levels = []
        for row in _lines(self.cleaned_data["star_thresholds"]):
            stars = _number(row[0]) if len(row) == 2 else None
            least = _number(row[-1]) if stars is not None else None
            if least is None:
                raise ValidationError(
                    _("Write each level as: stars | least result ( %(line)s ).")
                    % {"line": " | ".join(row)[:60]}
                )
            levels.append({"stars": stars, "min_result": least})
        return levels

    def fields_for_service(self) -> CampaignFields:
        data = self.cleaned_data
        return CampaignFields(
            name=data["name"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            criteria=data["criteria"],
            weight_inspectors=data["weight_inspectors"],
            weight_streets=data["weight_streets"],
            weight_public=data["weight_public"],
            streets=data["streets"],
            title=data["title"],
            titles=data.get("titles"),
            star_thresholds=data.get("star_thresholds") or [],
        )


class ScoreForm(forms.Form):
    """One field per criterion of the campaign, 0 to its maximum."""

    def __init__(self, *args, criteria: list[dict], initial_points: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        for index, criterion in enumerate(criteria):
            self.fields[f"item_{index}"] = forms.IntegerField(
                label=f"{criterion['item']} (0–{criterion['max_points']})",
                min_value=0,
                max_value=criterion["max_points"],
                initial=initial_points.get(index),
            )

    def points(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.fields]


class ApproveForm(forms.Form):
    minutes = forms.CharField(
        label=gettext_lazy("Committee minutes or comment"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
