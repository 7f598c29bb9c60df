"""Forms of the officers' public pages: the list's unit filter and the lookup by
certificate number. Whatever arrives is answered with a message, never an error page."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.org.identity import NUMBER_MAX_LENGTH, number_clean
from yangguang.org.models import Unit


class OfficerFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = [("", _("All units"))] + [
            (unit.pk, unit.name) for unit in units
        ]

    def chosen_unit(self) -> Unit | None:
        return self.units.get(self.cleaned_data.get("unit")) if self.is_valid() else None


class OfficerLookupForm(forms.Form):
    # Room for a number typed with spaces or in full-width characters; the number
    # itself is checked against the certificates' limit once folded.
    number = forms.CharField(label=_("Certificate number"), max_length=NUMBER_MAX_LENGTH * 2)

    def clean_number(self) -> str:
        number = number_clean(self.cleaned_data["number"])
        if not number:
            raise forms.ValidationError(_("Give a certificate number."), code="required")
        if len(number) > NUMBER_MAX_LENGTH:
            raise forms.ValidationError(
                _("A certificate number has at most %(n)d characters.") % {"n": NUMBER_MAX_LENGTH},
                code="max_length",
            )
        if any(unicodedata.category(char)[0] in "CZ" for char in number):
            raise forms.ValidationError(
                _("The certificate number holds characters no certificate number has."),
                code="characters",
            )
        return number
