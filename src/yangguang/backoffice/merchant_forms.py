"""Forms of the merchant file's staff pages (一户一档): the list's filters, a merchant,
a shop registered on patrol, its zone, its 责任书 scan, the workbook import.

The forms only collect text and files; ``merchants.services`` checks the values (credit
code, mobile, positions, metres, duties), so the page and the import refuse the same input
with the same message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.credit.models import CreditScore
from yangguang.merchants.models import Duty
from yangguang.merchants.selectors import street_names

# A zone drawn on the map is a few dozen vertices; a pasted one may be longer, not this.
ZONE_TEXT_MAX = 50_000
LICENCE_LINES_MAX = 20


def _duty_choices() -> list[tuple[str, str]]:
    return [(duty.code, duty.name) for duty in Duty.objects.filter(active=True)]


class MerchantFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, trade name or credit code"), required=False, max_length=50)
    street = forms.ChoiceField(label=_("Street"), required=False)
    grade = forms.ChoiceField(label=_("Credit grade"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All")), *((s, s) for s in street_names())]
        grades = CreditScore.objects.values_list("grade", flat=True).distinct().order_by("grade")
        self.fields["grade"].choices = [("", _("All")), *((g, g) for g in grades)]


def licences_from_text(text: str) -> list[dict[str, str]]:
    """One licence a line, “kind: number: valid until” (full-width colons allowed)."""
    licences = []
    for line in text.splitlines():
        if line.strip():
            kind, _sep, rest = line.replace("：", ":").partition(":")
            number, _sep, valid_until = rest.partition(":")
            licences.append(
                {"kind": kind.strip(), "number": number.strip(), "valid_until": valid_until.strip()}
            )
    return licences


def licences_to_text(licences: list[dict]) -> str:
    return "\n".join(
        ":".join(str(licence.get(key) or "") for key in ("kind", "number", "valid_until")).rstrip(
            ":"
        )
        for licence in licences or []
    )


class MerchantForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Registered name"), max_length=200)
    operator_name = forms.CharField(label=_("Operator (经营者/负责人)"), max_length=100)
    phone = forms.CharField(
        label=_("Operator's mobile"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Registered address"), max_length=400, required=False)
    business_type = forms.CharField(label=_("Business type"), max_length=100)
    licences = forms.CharField(
        label=_("Licences"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: kind:number:valid until, e.g. 食品经营许可证:JY1370:2027-06-30"),
    )

    def __init__(self, *args, keep_personal: bool = False, **kwargs) -> None:
        """``keep_personal``: the viewer may not read the operator's name and mobile, so
        the fields start empty and an empty one keeps what is on file."""
        super().__init__(*args, **kwargs)
        self.keep_personal = keep_personal
        if keep_personal:
            for name in ("operator_name", "phone"):
                self.fields[name].required = False
                self.fields[name].help_text = _("Leave empty to keep what is on file.")

    def clean_licences(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("licences") or ""
        licences = licences_from_text(text)
        if len(licences) > LICENCE_LINES_MAX:
            raise forms.ValidationError(
                _("List at most %(max)d licences.") % {"max": LICENCE_LINES_MAX}
            )
        return licences


class ShopForm(forms.Form):
    """A shop front registered on patrol, on a phone: position from the device or a tap
    on the map, a photo of the front from the rear camera."""

    trade_name = forms.CharField(label=_("Trade name (招牌)"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=400)
    street_name = forms.CharField(label=_("Street"), max_length=100, required=False)
    # Text, not FloatField: the service reads full-width digits and says what is wrong.
    longitude = forms.CharField(
        label=_("Longitude"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    latitude = forms.CharField(
        label=_("Latitude"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    frontage_m = forms.CharField(
        label=_("Frontage (m)"),
        max_length=20,
        initial="6",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    facing = forms.CharField(
        label=_("Facing (degrees from north)"),
        max_length=20,
        initial="180",
        help_text=_("The direction the front faces, towards the street: 0 north, 90 east."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    duties = forms.MultipleChoiceField(
        label=_("Duties"), widget=forms.CheckboxSelectMultiple, required=False
    )
    front_photo = forms.FileField(
        label=_("Photo of the front"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = _duty_choices()
        self.fields["duties"].choices = choices
        self.fields["duties"].initial = [code for code, _name in choices]


class ZoneForm(forms.Form):
    frontage_m = forms.CharField(
        label=_("Frontage (m)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    depth_m = forms.CharField(
        label=_("Zone depth from the front (m)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    facing = forms.CharField(
        label=_("Facing (degrees from north)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    zone = forms.CharField(
        label=_("Zone drawn on the map (GeoJSON)"),
        required=False,
        max_length=ZONE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Tap the corners on the map, or paste a GeoJSON polygon. Empty: the frontage × "
            "depth in front of the shop."
        ),
    )
    duties = forms.MultipleChoiceField(
        label=_("Duties"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duties"].choices = _duty_choices()


class ShopCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the shop is closed"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class LetterScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Scan or photo of the signed paper letter"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The workbook is larger than %(mb)s MB.")
                % {"mb": round(self.max_bytes / 1024 / 1024, 1)}
            )
        return upload
