"""Forms of the report pages: the work-queue filters, the loop's verbs, hotline and
patrol entry, the public summary, reply, notes and supervision orders."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yangguang.categories.selectors import categories_search
from yangguang.org.models import Unit
from yangguang.portal.forms import MultipleFileField, MultipleFileInput
from yangguang.reports.enums import Channel, DisposalMode, ReportKind, Status
from yangguang.reports.measures import MEASURES
from yangguang.reports.models import DESCRIPTION_MAX, PUBLIC_SUMMARY_MAX
from yangguang.reports.photos import PHOTOS_MAX
from yangguang.reports.public import public_summary_default, validate_public_summary
from yangguang.reports.selectors import dispatch_units
from yangguang.reports.workflow import MOVES

PUBLIC_SUMMARY_HELP = _(
    "Published on Open311 and the tracking page instead of the reporter's words: no "
    "names, house or flat numbers, phone or identity numbers."
)

# The largest id a filter accepts (a 32-bit key): beyond it no row exists, and the
# database would refuse the number.
ID_MAX = 2**31 - 1

SORTS = [
    ("-created_at", _("Newest first")),
    ("created_at", _("Oldest first")),
    ("deadline", _("Deadline soonest")),
]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    category = forms.CharField(label=_("Category code"), required=False, max_length=12)
    since = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)
    # What a figure of the command centre counts (analytics.links): kept as hidden
    # fields, named in the heading of the list.
    measure = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(code, m.label) for code, m in MEASURES.items()],
        widget=forms.HiddenInput,
    )
    unit = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    street = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    community = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    created_by = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    category_id = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    grid = forms.CharField(required=False, max_length=15, widget=forms.HiddenInput)


class BulkDispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Dispatch to"), queryset=Unit.objects.none())
    reports = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = dispatch_units()


class VerbForm(forms.Form):
    """The fields one verb of the loop needs; only those are shown."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None, required=False)
    reply = forms.CharField(
        label=_("Answer to the reporter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    into = forms.CharField(
        label=_("Tracking number of the report to merge into"), required=False, max_length=20
    )
    amount = forms.DecimalField(
        label=_("Extra time (in the category's unit)"), required=False, min_value=0
    )
    result = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    disposal_mode = forms.ChoiceField(
        label=_("How it was solved (721)"),
        required=False,
        choices=[("", "—"), *DisposalMode.choices],
    )
    case_reference = forms.CharField(
        label=_("Enforcement case number"), required=False, max_length=64
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        validators=[validate_public_summary],
        help_text=PUBLIC_SUMMARY_HELP,
        widget=forms.TextInput(attrs={"maxlength": PUBLIC_SUMMARY_MAX}),
    )
    # On a phone the field opens the camera (the rear one); reports.photos has the rules.
    photos = MultipleFileField(
        label=_("Photos of the place"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    FIELDS = {
        "accept": ["category", "public_summary"],
        "reject": ["reason"],
        "void": ["reason"],
        "answer": ["reply"],
        "merge": ["into"],
        "dispatch": ["unit"],
        "return": ["reason"],
        "claim": [],
        "request_delay": ["amount", "reason"],
        "request_shelve": ["reason"],
        "approve_delay": ["reason"],
        "refuse_delay": ["reason"],
        "approve_shelve": ["reason"],
        "refuse_shelve": ["reason"],
        "resume": [],
        "handle": ["photos", "result", "disposal_mode"],
        "hand_over": ["case_reference", "result"],
        "verify_pass": ["photos", "reason"],
        "verify_fail": ["photos", "reason"],
        "close": [],
        "reopen": ["reason"],
    }

    def __init__(self, *args, verb: str, report=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verb = verb
        self.move = MOVES[verb]
        self.fields["category"].queryset = categories_search().order_by("kind", "code")
        self.fields["unit"].queryset = dispatch_units()
        if report is not None:
            self.fields["category"].initial = report.category_id
            self.fields["unit"].initial = report.proposed_unit_id
            self.fields["public_summary"].initial = public_summary_default(report)
        wanted = self.FIELDS[verb]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "reason" in self.fields and self.move.needs_reason:
            self.fields["reason"].required = True
        if "photos" in self.fields:
            self.fields["photos"].help_text = gettext("At most %(n)d photos.") % {"n": PHOTOS_MAX}
            if verb == "handle":
                self.fields["photos"].label = _("After-photos (处置后照片)")


class ReportEntryForm(forms.Form):
    """A report entered by staff: a hotline call (受理员) or a patrol finding (监督员)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReportKind.choices, initial=ReportKind.PROBLEM
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    reporter_name = forms.CharField(label=_("Caller's name"), required=False, max_length=50)
    reporter_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=20)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args, patrol: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_search().order_by("kind", "code")
        if patrol:
            # A patrol finding is a problem seen on the spot: photo first, no caller.
            del self.fields["kind"], self.fields["reporter_name"], self.fields["reporter_phone"]
            self.fields["photos"].required = True
            self.fields["latitude"].widget = forms.HiddenInput()
            self.fields["longitude"].widget = forms.HiddenInput()
            self.order_fields(["photos", "category", "description", "address"])


class PublicSummaryForm(forms.Form):
    """A change of the public summary approved at registration."""

    text = forms.CharField(
        label=_("Public summary"),
        validators=[validate_public_summary],
        help_text=PUBLIC_SUMMARY_HELP,
        widget=forms.TextInput(attrs={"maxlength": PUBLIC_SUMMARY_MAX}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the reporter"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    public = forms.BooleanField(label=_("Show on the tracking page"), required=False)


class SupervisionForm(forms.Form):
    instruction = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateTimeField(
        label=_("Reply due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class SupervisionReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    since = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[("unit", _("Handling unit")), ("street", _("Sub-district")), ("grid", _("Grid"))],
    )
