"""Forms of the merchant's own page: sign-in (credit code and mobile, then the code by
text message), the after-photo of a 整改 request and the credit repair application.
The services check the rest (photo types, periods, states) and their messages are shown
as they are."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.core.privacy import comparable
from yangguang.credit.repair import TEXT_MAX
from yangguang.merchants.inspections import NOTE_MAX
from yangguang.portal.forms import MultipleFileField

CREDIT_CODE = re.compile(r"[0-9A-Z]{18}")
MOBILE = re.compile(r"1\d{10}")


class MerchantSignInForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18 characters on your business licence."),
    )
    phone = forms.CharField(
        label=_("Mobile number on file"),
        max_length=30,
        help_text=_("The number the bureau has for your business."),
    )

    def clean_credit_code(self) -> str:
        # Full-width letters and digits typed on a phone keyboard count as the same code.
        value = unicodedata.normalize("NFKC", self.cleaned_data["credit_code"])
        value = "".join(value.split()).upper()
        if not CREDIT_CODE.fullmatch(value):
            raise forms.ValidationError(
                _("A unified social credit code has 18 letters and digits.")
            )
        return value

    def clean_phone(self) -> str:
        value = comparable(self.cleaned_data["phone"]).strip()
        if not MOBILE.fullmatch(value):
            raise forms.ValidationError(_("Give the 11-digit mobile number."))
        return value


class MerchantCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )

    def clean_code(self) -> str:
        return comparable(self.cleaned_data["code"]).strip()


class RectificationPhotoForm(forms.Form):
    photos = MultipleFileField(label=_("Photos of the corrected zone"), required=False)
    note = forms.CharField(
        label=_("What you did (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RepairApplicationForm(forms.Form):
    commitment = forms.CharField(
        label=_("Your commitment (承诺书)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("That you have corrected the problem and will keep the rules from now on."),
    )
    correction = forms.CharField(
        label=_("How the problem was corrected"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proof = MultipleFileField(label=_("Proof (photos, optional)"), required=False)
