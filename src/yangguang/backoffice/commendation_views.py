"""表彰 in the merchant file: the legal office records a commendation with its document;
credit counts it for the merchant."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from yangguang.backoffice.form_errors import errors_onto
from yangguang.merchants.commendations import commendation_record
from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.models import Merchant
from yangguang.org.rules import Action, permission_name
from yangguang.records.registry import pk_or_404


class CommendationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Commendation"), max_length=100)
    awarded_by = forms.CharField(label=gettext_lazy("Awarded by"), max_length=100)
    awarded_on = forms.DateField(
        label=gettext_lazy("Awarded on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=gettext_lazy("Document reference"), max_length=100, required=False
    )
    shop = forms.ModelChoiceField(
        label=gettext_lazy("Shop"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, merchant: Merchant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = merchant.shops.filter(status=ShopStatus.OPEN)


@login_required
@permission_required(permission_name(Action.CREDIT_DECIDE), raise_exception=True)
@require_http_methods(["GET", "POST"])
def commendation_new(request: HttpRequest, merchant_id: str) -> HttpResponse:
    merchant = get_object_or_404(Merchant, pk=pk_or_404(merchant_id))
    form = CommendationForm(request.POST or None, merchant=merchant)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                commendation_record(merchant=merchant, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request, _("The commendation is recorded and counts for the merchant.")
                )
                return redirect("backoffice:merchant", merchant.pk)
    return render(
        request,
        "backoffice/merchants/commendation.html",
        {"merchant": merchant, "form": form},
        status=status,
    )
