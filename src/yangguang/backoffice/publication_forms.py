"""Forms of the legal office's publication pages (事后公开)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.disclosure.enums import PublicationStatus, RefusalGround, WithdrawalGround


class PublicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *PublicationStatus.choices],
    )


class PublicationEditForm(forms.Form):
    title = forms.CharField(label=_("Cause (案由)"), max_length=200)
    facts = forms.CharField(
        label=_("Facts (summary)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    result = forms.CharField(
        label=_("Penalty"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PublicationRefuseForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Not published because"),
        choices=[c for c in RefusalGround.choices if c[0] != RefusalGround.SET_ASIDE],
    )
    reason = forms.CharField(
        label=_("Reason (recorded, not published)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PublicationWithdrawForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("The decision was"), required=False, choices=[("", "—"), *WithdrawalGround.choices]
    )
    reason = forms.CharField(
        label=_("Reason (published with the withdrawal notice)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
