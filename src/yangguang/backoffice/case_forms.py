"""Forms of the case pages. They parse; the cases services decide."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.cases.enums import (
    Outcome,
    PartyKind,
    PenaltyKind,
    Procedure,
    RemedyResult,
    ReviewPoint,
    ServiceMethod,
    Source,
)
from yangguang.cases.enums import Status as CaseStatus
from yangguang.cases.models import Violation
from yangguang.cases.moves import INPUTS, MOVES
from yangguang.org.enums import PostCode
from yangguang.org.models import User

DATE = forms.DateInput(attrs={"type": "date"})
# ASCII digits only: Decimal() would also read "٣" as 3.
INSTALMENT_AMOUNT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")
TEXT = forms.Textarea(attrs={"rows": 3})


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CaseStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


def _violations():
    return Violation.objects.filter(is_current=True).order_by("code")


class CaseOpenForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Procedure.choices)
    source = forms.ChoiceField(label=_("Case source"), choices=Source.choices)
    report_number = forms.CharField(
        label=_("Tracking number of the report it comes from"), required=False, max_length=20
    )
    title = forms.CharField(label=_("Cause (案由)"), max_length=200)
    facts = forms.CharField(label=_("Facts"), required=False, widget=TEXT)
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    act_started_on = forms.DateField(label=_("Act began on"), widget=DATE)
    act_ended_on = forms.DateField(label=_("Act ended on"), required=False, widget=DATE)
    discovered_on = forms.DateField(label=_("Discovered on"), widget=DATE)
    harmed_safety = forms.BooleanField(
        label=_("Harmed life, health or financial safety"), required=False
    )
    complex_case = forms.BooleanField(label=_("Difficult or complex"), required=False)
    violation = forms.ModelChoiceField(label=_("Violation"), queryset=None, required=False)
    party_kind = forms.ChoiceField(label=_("Party kind"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("Party name"), required=False, max_length=100)
    party_id_number = forms.CharField(label=_("Identity number"), required=False, max_length=18)
    party_credit_code = forms.CharField(
        label=_("Unified social credit code"), required=False, max_length=18
    )
    party_representative = forms.CharField(
        label=_("Legal representative"), required=False, max_length=50
    )
    party_phone = forms.CharField(label=_("Party phone"), required=False, max_length=20)
    party_address = forms.CharField(label=_("Party address"), required=False, max_length=255)
    partner = forms.ModelChoiceField(
        label=_("Second officer (行政处罚法第四十二条)"), queryset=None, required=True
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["violation"].queryset = _violations()
        self.fields["partner"].queryset = (
            User.objects.filter(
                is_active=True,
                posts__code__in=[PostCode.OFFICER, PostCode.SQUAD_LEADER],
                unit=user.unit,
            )
            .exclude(pk=user.pk)
            .distinct()
            .order_by("name")
        )

    def clean_report_number(self) -> int | None:
        """The report's id, from a tracking number the user may see."""
        from yangguang.cases.services import report_for_number

        number = self.cleaned_data["report_number"]
        if not number:
            return None
        report_id = report_for_number(actor=self.user, tracking_number=number)
        if report_id is None:
            raise forms.ValidationError(_("No report with this tracking number."))
        return report_id


CIRCUMSTANCES = [
    ("minor", _("The violation is minor (轻微)")),
    ("first_offence", _("First offence in 12 months (初次违法)")),
    ("corrected_in_time", _("Corrected in time (及时改正)")),
    ("no_fault", _("No subjective fault, proven (没有主观过错)")),
    ("repeat", _("Repeated after a penalty or an order (再次违法)")),
    ("mitigating", _("Reduced the harm on their own initiative (第三十二条)")),
    ("aggravating", _("Aggravating circumstances")),
]
HARM = [
    ("none", _("No harmful consequence")),
    ("minor", _("Minor harm")),
    ("serious", _("Serious harm")),
]


def _circumstances_shown(value: object) -> object:
    """A case's recorded circumstances ({"minor": false, …, "harm": "serious"}) as the
    names of those that apply and the harm, for the record's change table."""
    if not isinstance(value, dict):
        return value
    flags = dict(CIRCUMSTANCES)
    shown = [str(flags[key]) for key, on in value.items() if key in flags and on is True]
    if value.get("harm"):
        harm = dict(HARM).get(value["harm"], value["harm"])
        shown.append(f"{_('Harm')}：{harm}")
    return shown


def record_value_formatters_register() -> None:
    """The record's change tables name a case's circumstances and penalty kinds."""
    from yangguang.cases.enums import penalty_kind_labels
    from yangguang.records.presenters import register_value_formatter

    register_value_formatter("cases.case", "circumstances", _circumstances_shown)
    register_value_formatter(
        "cases.case",
        "penalty_kinds",
        lambda kinds: penalty_kind_labels(kinds) if isinstance(kinds, list) else kinds,
    )


class AssessForm(forms.Form):
    violation = forms.ModelChoiceField(label=_("Violation"), queryset=None)
    additional = forms.BooleanField(
        label=_("Another act of the party, assessed on its own (分别裁量)"), required=False
    )
    circumstances = forms.MultipleChoiceField(
        label=_("Circumstances"),
        required=False,
        choices=CIRCUMSTANCES,
        widget=forms.CheckboxSelectMultiple,
    )
    harm = forms.ChoiceField(label=_("Harm"), choices=HARM, initial="minor")
    quantity = forms.DecimalField(
        label=_("Quantity (m², days or cost, as the standard measures)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    penalty_kinds = forms.MultipleChoiceField(
        label=_("Proposed penalty"),
        required=False,
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    fine = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0, decimal_places=2)
    departure_reason = forms.CharField(
        label=_("Reason for leaving the proposed range"), required=False, widget=TEXT
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violation"].queryset = _violations()


class CaseVerbForm(forms.Form):
    """The fields one step of the procedure reads (``moves.INPUTS``); only those shown."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXT)
    penalty_kinds = forms.MultipleChoiceField(
        label=_("Penalty"),
        required=False,
        choices=PenaltyKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    fine = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0, decimal_places=2)
    party_informed = forms.BooleanField(
        label=_("The party was told the facts, reasons and basis and was heard"), required=False
    )
    collect_on_the_spot = forms.BooleanField(label=_("Collected on the spot"), required=False)
    hard_to_enforce = forms.BooleanField(
        label=_("Hard to enforce afterwards (第六十八条)"), required=False
    )
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=50)
    items = forms.CharField(label=_("Items preserved"), required=False, widget=TEXT)
    decision = forms.CharField(label=_("Decision on the items"), required=False, widget=TEXT)
    points = forms.MultipleChoiceField(
        label=_("Points reviewed"),
        required=False,
        choices=ReviewPoint.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    opinion = forms.CharField(label=_("Legal review opinion"), required=False, widget=TEXT)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=TEXT)
    text = forms.CharField(label=_("What the party stated"), required=False, widget=TEXT)
    hearing_at = forms.DateTimeField(
        label=_("Hearing time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    presider = forms.ModelChoiceField(label=_("Presiding officer"), queryset=None, required=False)
    transcript = forms.CharField(label=_("Hearing transcript"), required=False, widget=TEXT)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    education_note = forms.CharField(label=_("Education given"), required=False, widget=TEXT)
    method = forms.ChoiceField(
        label=_("Service method"),
        required=False,
        choices=[c for c in ServiceMethod.choices if c[0] != ServiceMethod.ON_THE_SPOT],
    )
    applied_on = forms.DateField(label=_("The party applied on"), required=False, widget=DATE)
    pay_by = forms.DateField(label=_("Pay by"), required=False, widget=DATE)
    instalments = forms.CharField(
        label=_("Instalments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-11-30 2000.00"}),
        help_text=_("One instalment a line: the date it falls due and the amount in yuan."),
        max_length=2000,
    )
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount paid"), required=False, min_value=0, decimal_places=2
    )
    bank_receipt = forms.CharField(label=_("Bank receipt number"), required=False, max_length=50)
    started_on = forms.DateField(label=_("Filed on"), required=False, widget=DATE)
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DATE)
    result = forms.ChoiceField(label=_("Result"), required=False, choices=RemedyResult.choices)
    result_on = forms.DateField(label=_("Result given on"), required=False, widget=DATE)
    body = forms.CharField(label=_("Reconsideration body or court"), required=False, max_length=100)
    reference = forms.CharField(label=_("Its document number"), required=False, max_length=60)

    def __init__(self, *args, verb: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verb = verb
        self.fields["presider"].queryset = User.objects.filter(
            is_active=True, posts__code__in=[PostCode.LEADER, PostCode.SQUAD_LEADER]
        ).distinct()
        wanted = set(INPUTS.get(verb, ())) | {"reason"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if MOVES[verb].needs_reason:
            self.fields["reason"].required = True

    def clean_instalments(self) -> list[dict]:
        """ "2026-11-30 2000.00" a line → [{"due_on": date, "amount": Decimal}]."""
        plan = []
        lines = [line.split() for line in self.cleaned_data["instalments"].splitlines()]
        for number, parts in enumerate((p for p in lines if p), start=1):
            try:
                if len(parts) != 2 or not INSTALMENT_AMOUNT.fullmatch(parts[1]):
                    raise ValueError
                day = datetime.date.fromisoformat(parts[0])
                amount = Decimal(parts[1])
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("Line %(n)d: write the date (YYYY-MM-DD) and the amount, e.g. %(example)s.")
                    % {"n": number, "example": "2026-11-30 2000.00"}
                ) from None
            plan.append({"due_on": day, "amount": amount})
        return plan

    def payload(self) -> tuple[str, dict]:
        """The reason and the step's inputs, leaving out what was not filled in."""
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        booleans = {"party_informed", "collect_on_the_spot", "hard_to_enforce"}
        data.update({k: self.cleaned_data[k] for k in booleans if k in self.cleaned_data})
        return data.pop("reason", ""), data


class WrittenRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Record"), choices=())
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs) -> None:
        from yangguang.cases.documents import KINDS, WRITTEN_KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KINDS[kind].title) for kind in WRITTEN_KINDS]
