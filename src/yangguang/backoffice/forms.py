from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.org.selectors import staff_visible_to
from yangguang.records.actions import action_label
from yangguang.records.enums import RecordingScene
from yangguang.worktime.enums import TimeLimitUnit


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


class EvidenceForm(forms.Form):
    """A file to attach, and for audio and video the 执法记录仪 recording details."""

    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    device = forms.CharField(label=_("Recording device number"), required=False, max_length=64)
    recorder = forms.ModelChoiceField(
        label=_("Recorded by"), queryset=User.objects.none(), required=False
    )
    recording_started_at = forms.DateTimeField(
        label=_("Recording started"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    recording_ended_at = forms.DateTimeField(
        label=_("Recording ended"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    scene = forms.ChoiceField(
        label=_("Kind of scene"),
        choices=RecordingScene.choices,
        initial=RecordingScene.SCENE,
        required=False,
    )
    scene_note = forms.CharField(label=_("Scene"), required=False, max_length=200)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorder"].queryset = staff_visible_to(user)
        self.fields["recorder"].initial = user.pk

    def clean(self):
        data = super().clean()
        recording = [
            data.get("device"),
            data.get("recording_started_at"),
            data.get("recording_ended_at"),
        ]
        if any(recording) and not all(recording):
            raise forms.ValidationError(
                _("For a recording give the device, when it started and when it ended.")
            )
        return data


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Person or object"), required=False, max_length=50)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("Recorded from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Recorded until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [
            (code, f"{action_label(code)} ({code})") for code in actions
        ]
