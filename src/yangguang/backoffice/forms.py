from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from yangguang.org.enums import PostCode
from yangguang.worktime.enums import TimeLimitUnit


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Login name"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or login"), required=False, max_length=50)
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    post = forms.ChoiceField(
        label=_("Post"), required=False, choices=[("", _("All posts")), *PostCode.choices]
    )


class DeadlineForm(forms.Form):
    """A deadline calculator for staff: start + limit on the working calendar."""

    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    amount = forms.DecimalField(
        label=_("Time limit"), min_value=Decimal("0.25"), max_value=Decimal(9999), decimal_places=2
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=TimeLimitUnit.choices)

    def clean(self):
        data = super().clean()
        amount, unit = data.get("amount"), data.get("unit")
        if (
            unit == TimeLimitUnit.WORKING_DAYS
            and amount is not None
            and amount != amount.to_integral()
        ):
            self.add_error("amount", _("A limit in working days must be a whole number."))
        return data
