"""Forms of the evaluation pages: the period and subject of a ranking, the weights."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.analytics.evaluation import POST_KINDS
from yangguang.analytics.models import Subject
from yangguang.analytics.periods import PeriodKind
from yangguang.reports.measures import RATES
from yangguang.reports.tally import POST_ACTIONS

SUBJECTS = [*Subject.choices, *((code, kind.label) for code, kind in POST_KINDS.items())]
PERIOD_KINDS = [
    (PeriodKind.MONTH, _("Month")),
    (PeriodKind.QUARTER, _("Quarter")),
    (PeriodKind.YEAR, _("Year")),
]


class RankingForm(forms.Form):
    subject = forms.ChoiceField(label=_("Evaluated"), choices=SUBJECTS, required=False)
    period = forms.CharField(
        label=_("Period (2026-11, 2026-Q4 or 2026)"), max_length=7, required=False
    )


class WeightsForm(forms.Form):
    """One weight per rate of the 综合指标值, 0–100."""

    subject = forms.ChoiceField(label=_("Evaluated"), choices=Subject.choices)

    def __init__(self, *args, initial_weights: dict[str, Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, rate in RATES.items():
            self.fields[code] = forms.DecimalField(
                label=rate.label,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=(initial_weights or {}).get(code),
            )


class StepFilterForm(forms.Form):
    user = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    action = forms.MultipleChoiceField(choices=[(a, a) for a in sorted(POST_ACTIONS)])
    since = forms.DateField()
    until = forms.DateField()
