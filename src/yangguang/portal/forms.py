from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from yangguang.categories.models import Category
from yangguang.categories.selectors import categories_search
from yangguang.reports.enums import Rating, ReportKind
from yangguang.reports.models import DESCRIPTION_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            data = [item for item in data if item]
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data or self.required else []


class PublicReportForm(forms.Form):
    """The citizen's report. Location by map pin or device (hidden fields filled by
    the page's script) or by address; name and phone optional."""

    MAX_PHOTOS = 6

    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=ReportKind.choices,
        initial=ReportKind.PROBLEM,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("I am not sure — the operator will choose"),
    )
    description = forms.CharField(
        label=_("Describe it"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(
        label=_("Where (address or landmark)"), required=False, max_length=255
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    photos = MultipleFileField(label=_("Photos"), required=False)
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=50)
    phone = forms.CharField(
        label=_("Mobile for the reply (optional)"),
        required=False,
        max_length=20,
        help_text=_("Only the staff handling your report see it; public pages never show it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_search().order_by("kind", "code")

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > self.MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos, please.") % {"n": self.MAX_PHOTOS})
        return photos


class TrackLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=20,
        validators=[RegexValidator(r"^\d{13}$", _("The tracking number has 13 digits."))],
    )
    phone_end = forms.CharField(
        label=_("Last four digits of the phone you gave"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Give four digits."))],
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
