"""Explicit input and output serializers of the REST API.

Inputs only parse: they turn JSON into the values the services take (a category code
into a Category, a unit id into a Unit) and reject malformed input field by field.
Whether a move is allowed is the services' business. No serializer writes a model, and
none has a writable ``status``: the status changes only through the verbs.
"""

import base64
import binascii
import datetime
import re
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yangguang.categories.enums import CategoryKind
from yangguang.categories.models import Category
from yangguang.categories.selectors import categories_search
from yangguang.core.privacy import mask_name, mask_phone
from yangguang.org.rules import Action, permission_name
from yangguang.records.registry import ASCII_DIGITS, PK_MAX, target_for
from yangguang.records.selectors import evidence_of
from yangguang.reports.enums import (
    CLOCK_RUNNING,
    Channel,
    DeadlineState,
    Decision,
    DisposalMode,
    PhotoStage,
    Rating,
    ReportKind,
    RequestKind,
    Status,
)
from yangguang.reports.models import DESCRIPTION_MAX, Report
from yangguang.reports.photos import PHOTOS_MAX
from yangguang.reports.public import validate_public_summary
from yangguang.reports.selectors import dispatch_units, reports_visible_to
from yangguang.reports.workflow import MOVES

SNAPSHOT_MAX_BYTES = 5 * 1024 * 1024
JPEG_MAGIC = b"\xff\xd8\xff"


# --- Fields ------------------------------------------------------------------------------


def ascii_id(data: object) -> int | None:
    """An id as JSON gives it (a number) or as a query gives it (ASCII digits), else
    None. DRF's IntegerField would read "٣" (Arabic-Indic three) as 3 and "¹" as an error
    deep in Python; ids are ASCII digits and nothing else (OWASP ASVS V5.1.3)."""
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return data if 1 <= data <= PK_MAX else None
    if isinstance(data, str) and ASCII_DIGITS.fullmatch(data):
        value = int(data)
        return value if 1 <= value <= PK_MAX else None
    return None


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": PK_MAX})
class IdField(serializers.Field):
    """The id of an object: a positive whole number."""

    default_error_messages = {"invalid": _("Give the id as a positive whole number.")}

    def to_internal_value(self, data) -> int:
        value = ascii_id(data)
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value) -> int:
        return int(value)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by its id, read as ``IdField`` reads it."""

    def to_internal_value(self, data):
        value = ascii_id(data)
        if value is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(value)


class AsciiDecimalField(serializers.DecimalField):
    """A decimal in ASCII digits: ``Decimal("٣")`` is 3, and an amount of money or time
    is written as people write it on forms."""

    ascii_number = re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*")

    def to_internal_value(self, data):
        if isinstance(data, str) and not self.ascii_number.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class BoundedDictField(serializers.DictField):
    """A JSON object of at most ``max_items`` keys, each at most ``max_key_length``
    characters: every input the API reads is bounded."""

    default_error_messages = {
        "max_items": _("Give at most %(max)s entries."),
        "key_length": _("A key is longer than %(max)s characters."),
    }

    def __init__(self, *, max_items: int, max_key_length: int = 50, **kwargs) -> None:
        self.max_items = max_items
        self.max_key_length = max_key_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if len(data) > self.max_items:
                self.fail("max_items", max=self.max_items)
            if any(len(str(key)) > self.max_key_length for key in data):
                self.fail("key_length", max=self.max_key_length)
        return super().to_internal_value(data)


class EnumField(serializers.ChoiceField):
    """A choice among a TextChoices class. In the schema each class is one named enum
    (``Status``, ``Channel`` …), however many serializers use it; an empty value is
    given as null."""

    def __init__(
        self, choices_class: type[models.TextChoices], *, schema_name: str = "", **kwargs
    ) -> None:
        self.choices_class = choices_class
        # Two apps may name their enums alike (reports' and cases' Status).
        self.schema_name = schema_name or choices_class.__name__
        super().__init__(choices=choices_class.choices, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.schema_name

    def map_serializer_field(self, auto_schema, direction) -> dict:
        choices = self.target.choices_class.choices
        return {
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        }


@extend_schema_field(OpenApiTypes.BYTE)
class JpegBase64Field(serializers.Field):
    """A JPEG image in base64 (a ``data:image/jpeg;base64,`` prefix is allowed), at
    most 5 MB once decoded; parsed into its bytes."""

    default_error_messages = {
        "invalid": _("The snapshot is not valid base64."),
        "too_large": _("The snapshot is larger than 5 MB."),
        "not_jpeg": _("The snapshot is not a JPEG image."),
    }

    def to_internal_value(self, data) -> bytes:
        if not isinstance(data, str):
            self.fail("invalid")
        text = data.partition(",")[2] if data.startswith("data:") else data
        # Cheap check first: base64 grows the data by a third.
        if len(text) > (SNAPSHOT_MAX_BYTES * 4) // 3 + 4:
            self.fail("too_large")
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid")
        if len(content) > SNAPSHOT_MAX_BYTES:
            self.fail("too_large")
        if not content.startswith(JPEG_MAGIC):
            self.fail("not_jpeg")
        return content

    def to_representation(self, value) -> str:
        return base64.b64encode(value).decode("ascii")


# --- Query parameters --------------------------------------------------------------------


class QuerySerializer(serializers.Serializer):
    """Query parameters: a parameter given empty (``?status=``) is refused rather than
    read as absent, so that a client's mistake does not silently widen its list."""

    default_error_messages = {"blank": _("Give a value, or leave the parameter out.")}

    def to_internal_value(self, data):
        self.refuse_blank(data)
        return super().to_internal_value(data)

    def refuse_blank(self, data) -> None:
        """Raise the 400 naming each parameter given empty (the types are left to
        whoever parses them)."""
        blank = {
            name: [str(self.error_messages["blank"])]
            for name in self.fields
            if hasattr(data, "getlist") and "" in data.getlist(name)
        }
        if blank:
            raise serializers.ValidationError(blank)


# --- Deadline lights ---------------------------------------------------------------------


class Light(models.TextChoices):
    """The deadline light of the staff pages (亮灯: 绿灯, 黄灯, 红灯)."""

    GREEN = "green", _("Green: on time")
    YELLOW = "yellow", _("Yellow: most of the time used")
    RED = "red", _("Red: overdue")


STATE_LIGHT = {
    DeadlineState.NORMAL: Light.GREEN,
    DeadlineState.WARNING: Light.YELLOW,
    DeadlineState.OVERDUE: Light.RED,
}


def report_light(report: Report, *, now: datetime.datetime) -> str | None:
    """The report's light at ``now``. While its clock runs (CLOCK_RUNNING) it is read from
    the deadline and the yellow-light moment, so that it does not wait for the worker;
    a red light marked by the worker stays red. Once the clock stops, the light is what
    the worker last marked."""
    if report.deadline is None:
        return None
    stored = STATE_LIGHT.get(report.deadline_state, Light.GREEN)
    if report.status not in CLOCK_RUNNING:
        return stored
    if stored == Light.RED or now > report.deadline:
        return Light.RED
    if stored == Light.YELLOW or (report.warn_at is not None and now >= report.warn_at):
        return Light.YELLOW
    return Light.GREEN


# --- Shared shapes -----------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable, machine-readable code."))
    message = serializers.CharField(help_text=_("For people, in the request's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages by input field; empty unless the input was invalid."),
    )


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API (see api/errors.py)."""

    error = ErrorDetailSerializer()


class CategoryRefSerializer(serializers.Serializer):
    """A category given by its code, among the categories in use (current code sets).
    Components and events share one code space, so give ``kind`` (and ``standard``)
    when a code is ambiguous. Parsed into the Category."""

    code = serializers.CharField(max_length=12)
    kind = EnumField(CategoryKind, required=False)
    standard = serializers.CharField(max_length=50, required=False)

    def validate(self, attrs) -> Category:
        candidates = categories_search(kind=attrs.get("kind", "")).filter(code=attrs["code"])
        if attrs.get("standard"):
            candidates = candidates.filter(standard__code=attrs["standard"])
        found = list(candidates.order_by("standard__code")[:2])
        if not found:
            raise serializers.ValidationError(_("No category in use has this code."))
        if len(found) > 1:
            raise serializers.ValidationError(
                _("Several categories in use have this code; give its kind or standard.")
            )
        return found[0]


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    standard = serializers.CharField(source="standard.code")
    kind = EnumField(CategoryKind)
    code = serializers.CharField()
    name = serializers.CharField()
    major_name = serializers.CharField()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReportRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_number = serializers.CharField()


def may_see_contacts(user) -> bool:
    """Posts that call reporters back (intake, dispatch, shift lead): the same posts the
    staff pages show reporters' contact details to in full."""
    return any(
        user.has_perm(permission_name(action))
        for action in (Action.REPORT_ACCEPT, Action.REPORT_DISPATCH, Action.REPORT_CLOSE)
    )


class ReporterSerializer(serializers.Serializer):
    """A reporter's name and phone. Masking follows the serializer's ``full`` context:
    see ``ReportListSerializer`` and ``ReportDetailSerializer`` for the rule."""

    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    channel = EnumField(Channel)
    created_at = serializers.DateTimeField()

    def _full(self, part: str) -> bool:
        return bool(self.context.get(f"full_{part}"))

    def get_name(self, reporter) -> str:
        return reporter.name if self._full("names") else mask_name(reporter.name)

    def get_phone(self, reporter) -> str:
        return reporter.phone if self._full("phones") else mask_phone(reporter.phone)


# --- Reports: output ---------------------------------------------------------------------


class ReportListSerializer(serializers.Serializer):
    """A report in a list.

    Reporters' personal data: phone numbers are always masked in lists (a list is read
    over shoulders and exported); names are shown in full to the posts that call
    reporters back (intake, dispatch, shift lead — ``may_see_contacts``) and masked
    (王*明) for everyone else, as on the staff pages.
    """

    id = serializers.IntegerField()
    tracking_number = serializers.CharField()
    kind = EnumField(ReportKind)
    channel = EnumField(Channel)
    status = EnumField(Status)
    status_label = serializers.CharField(source="get_status_display")
    category = CategorySerializer(allow_null=True)
    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    grid = serializers.CharField(source="grid.code", allow_null=True, default=None)
    unit = UnitRefSerializer(allow_null=True)
    deadline = serializers.DateTimeField(allow_null=True)
    deadline_state = EnumField(
        DeadlineState, help_text=_("As the worker last marked it (every 30 seconds).")
    )
    light = serializers.SerializerMethodField(
        help_text=_(
            "The deadline light now: green, yellow from 80 per cent of the time limit, red "
            "when overdue; null without a deadline. Once the clock stops (handled, closed …) "
            "the light stays as it was."
        )
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("The deadline has passed while the clock ran (the red light).")
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reporters = serializers.SerializerMethodField()

    def _reporter_context(self) -> dict:
        return {"full_names": may_see_contacts(self.context["request"].user), "full_phones": False}

    def _now(self) -> datetime.datetime:
        # One instant for the whole response, so that every row is judged alike.
        return self.context.setdefault("now", timezone.now())

    @extend_schema_field(EnumField(Light, allow_null=True))
    def get_light(self, report) -> str | None:
        return report_light(report, now=self._now())

    def get_overdue(self, report) -> bool:
        return report_light(report, now=self._now()) == Light.RED

    @extend_schema_field(ReporterSerializer(many=True))
    def get_reporters(self, report) -> list:
        return ReporterSerializer(
            report.reporters.all(), many=True, context=self._reporter_context()
        ).data


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.name", allow_null=True, default=None)
    text = serializers.CharField()
    public = serializers.BooleanField(source="is_public")
    created_at = serializers.DateTimeField()


class SupervisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    issued_by = serializers.CharField(source="issued_by.name")
    issued_at = serializers.DateTimeField()
    instruction = serializers.CharField()
    deadline = serializers.DateTimeField()
    reply = serializers.CharField()
    replied_by = serializers.CharField(source="replied_by.name", allow_null=True, default=None)
    replied_at = serializers.DateTimeField(allow_null=True)


class DelayRequestSerializer(serializers.Serializer):
    kind = EnumField(RequestKind)
    reason = serializers.CharField()
    amount = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    requested_by = serializers.CharField(source="requested_by.name")
    requested_at = serializers.DateTimeField()
    decision = EnumField(Decision)
    decided_by = serializers.CharField(source="decided_by.name", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    sha256 = serializers.CharField(source="evidence.sha256")
    kind = serializers.CharField(source="evidence.kind")
    name = serializers.CharField(source="evidence.original_name")
    size = serializers.IntegerField(source="evidence.size")
    taken_at = serializers.DateTimeField(source="evidence.taken_at", allow_null=True)
    linked_at = serializers.DateTimeField()


class VerbSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()


class ReportPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = EnumField(PhotoStage)
    verb = serializers.CharField(help_text=_("The step of the loop that took it."))
    round = serializers.IntegerField(help_text=_("The rework count when it was taken."))
    sha256 = serializers.CharField(source="evidence.sha256")
    added_by = serializers.CharField(source="added_by.name")
    added_at = serializers.DateTimeField()
    public = serializers.BooleanField(
        source="is_public", help_text=_("Approved by staff for the tracking page.")
    )


class PhotoPublicSerializer(serializers.Serializer):
    public = serializers.BooleanField(
        help_text=_(
            "true: show the photo on the reporter's tracking page (as a copy without "
            "EXIF), after checking it shows no face or number plate; false: withdraw it."
        )
    )


class ReportDetailSerializer(ReportListSerializer):
    """One report, as its detail page shows it.

    Reporters' personal data: the posts that call reporters back (intake, dispatch,
    shift lead — ``may_see_contacts``) see names and phone numbers in full; everyone
    else who may see the report sees both masked (王*明, 139****5678), as on the staff
    pages. ``actions`` are the verbs the user's posts allow from the current status;
    the loop may still refuse one (another unit's report, a missing reply …) with 409.
    """

    community = UnitRefSerializer(allow_null=True)
    street = UnitRefSerializer(allow_null=True)
    proposed_unit = UnitRefSerializer(allow_null=True)
    source_reference = serializers.CharField()
    dispatched_at = serializers.DateTimeField(allow_null=True)
    warn_at = serializers.DateTimeField(allow_null=True)
    handled_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    disposal_mode = EnumField(DisposalMode, allow_null=True)
    case_reference = serializers.CharField()
    rework_count = serializers.IntegerField()
    reopen_count = serializers.IntegerField()
    delay_count = serializers.IntegerField()
    merged_into = ReportRefSerializer(allow_null=True)
    public_reply = serializers.CharField()
    public_summary = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    rating = EnumField(Rating, allow_null=True)
    rating_comment = serializers.CharField()
    rated_at = serializers.DateTimeField(allow_null=True)
    notes = serializers.SerializerMethodField()
    supervisions = serializers.SerializerMethodField()
    requests = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField(
        help_text=_(
            "Field photos by step (after-photos of the handling, photos of the "
            "verification); the files are under `evidence`."
        )
    )
    actions = serializers.SerializerMethodField()

    def _reporter_context(self) -> dict:
        full = may_see_contacts(self.context["request"].user)
        return {"full_names": full, "full_phones": full}

    @extend_schema_field(NoteSerializer(many=True))
    def get_notes(self, report) -> list:
        return NoteSerializer(report.notes.select_related("author"), many=True).data

    @extend_schema_field(SupervisionSerializer(many=True))
    def get_supervisions(self, report) -> list:
        orders = report.supervisions.select_related("issued_by", "replied_by")
        return SupervisionSerializer(orders, many=True).data

    @extend_schema_field(DelayRequestSerializer(many=True))
    def get_requests(self, report) -> list:
        requests = report.delay_requests.select_related("requested_by", "decided_by")
        return DelayRequestSerializer(requests, many=True).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, report) -> list:
        return EvidenceSerializer(evidence_of(target=target_for(report)), many=True).data

    @extend_schema_field(ReportPhotoSerializer(many=True))
    def get_photos(self, report) -> list:
        photos = report.photos.select_related("evidence", "added_by")
        return ReportPhotoSerializer(photos, many=True).data

    @extend_schema_field(VerbSerializer(many=True))
    def get_actions(self, report) -> list:
        user = self.context["request"].user
        return [
            {"verb": verb, "label": str(move.label)}
            for verb, move in MOVES.items()
            if report.status in move.sources and user.has_perm(permission_name(move.action))
        ]


class ReportCreatedSerializer(ReportDetailSerializer):
    tracking_token = serializers.SerializerMethodField(
        help_text=_(
            "The reporter's secret tracking token: returned only in this response (and "
            "texted to the reporter's phone)."
        )
    )

    def get_tracking_token(self, report) -> str:
        return self.context["token"]


# --- Reports: input ----------------------------------------------------------------------

ORDERINGS = ["-created_at", "created_at", "deadline", "-deadline"]


class ReportFilterSerializer(QuerySerializer):
    """Query parameters of the report list."""

    status = EnumField(Status, required=False)
    queue = serializers.CharField(
        required=False,
        max_length=30,
        help_text=_("A work-queue code of yours (see /api/v1/queues/)."),
    )
    category = serializers.CharField(required=False, max_length=12, help_text=_("Category code."))
    unit = IdField(required=False, help_text=_("Handling unit id."))
    q = serializers.CharField(
        required=False,
        max_length=50,
        help_text=_("Tracking number (its beginning), or words in the address or description."),
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False, default="-created_at")


class ReportCreateSerializer(serializers.Serializer):
    """A report entered by staff: a hotline call (needs the right to accept reports)
    or a patrol finding (needs the right to file patrol findings; always a problem)."""

    channel = EnumField(Channel, help_text=_("hotline or patrol."))
    kind = EnumField(ReportKind, required=False, default=ReportKind.PROBLEM)
    category = CategoryRefSerializer(required=False, allow_null=True)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    address = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    reporter_name = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True
    )
    reporter_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )

    def validate_channel(self, value: str) -> str:
        if value not in (Channel.HOTLINE, Channel.PATROL):
            raise serializers.ValidationError(_("Staff enter hotline calls or patrol findings."))
        return value

    def validate(self, attrs: dict) -> dict:
        if attrs["channel"] == Channel.PATROL and attrs["kind"] != ReportKind.PROBLEM:
            raise serializers.ValidationError({"kind": _("A patrol finding is a problem.")})
        return attrs


# One input serializer per shape of verb; which verb takes which is ``VERB_INPUTS``.


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AcceptSerializer(serializers.Serializer):
    category = CategoryRefSerializer(
        required=False, help_text=_("Defaults to the category the report came with.")
    )
    public_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        validators=[validate_public_summary],
        help_text=_(
            "What Open311 and the tracking page show instead of the reporter's words; "
            "defaults to the category and the sub-district and community. No names, "
            "house or flat numbers, phone or identity numbers."
        ),
    )


class AnswerSerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=DESCRIPTION_MAX)


class MergeSerializer(serializers.Serializer):
    into = IdField(help_text=_("Id of the report to merge into."))

    def validate_into(self, value: int) -> Report:
        report = reports_visible_to(self.context["request"].user).filter(pk=value).first()
        if report is None:
            raise serializers.ValidationError(_("No report with this id among yours."))
        return report


class DispatchSerializer(serializers.Serializer):
    unit = IdField(
        required=False, help_text=_("Id of the handling unit; defaults to the proposed unit.")
    )

    def validate_unit(self, value: int):
        unit = dispatch_units().filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(_("Choose an active unit that handles reports."))
        return unit


class RequestDelaySerializer(serializers.Serializer):
    amount = AsciiDecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        help_text=_("Extra time, in the unit of the category's time limit."),
    )
    reason = serializers.CharField(max_length=2000)


def photos_field(help_text: str) -> serializers.ListField:
    """Photos sent as multipart/form-data parts named ``photos`` (a JSON body cannot
    carry them); the loop checks they are photos, at most ``PHOTOS_MAX``."""
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        max_length=PHOTOS_MAX,
        help_text=help_text,
    )


class HandleSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=DESCRIPTION_MAX)
    disposal_mode = EnumField(DisposalMode)
    photos = photos_field(
        _(
            "After-photos (处置后照片), as multipart/form-data parts named photos: required "
            "unless the category says otherwise; at most 9."
        )
    )


class VerifyPassSerializer(OptionalReasonSerializer):
    photos = photos_field(
        _(
            "Photos of the verification, as multipart/form-data parts named photos: "
            "required where the category says so; at most 9."
        )
    )


class VerifyFailSerializer(ReasonSerializer):
    photos = photos_field(
        _(
            "Photos of the verification, as multipart/form-data parts named photos: "
            "required where the category says so; at most 9."
        )
    )


class HandOverSerializer(serializers.Serializer):
    case_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    result = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True)


# What each verb reads from the body (None: no body). A test checks that every verb of
# the loop is here and that the verbs needing a reason require one.
VERB_INPUTS: dict[str, type[serializers.Serializer] | None] = {
    "accept": AcceptSerializer,
    "reject": ReasonSerializer,
    "void": ReasonSerializer,
    "answer": AnswerSerializer,
    "merge": MergeSerializer,
    "dispatch": DispatchSerializer,
    "return": ReasonSerializer,
    "claim": None,
    "request_delay": RequestDelaySerializer,
    "request_shelve": ReasonSerializer,
    "approve_delay": OptionalReasonSerializer,
    "refuse_delay": ReasonSerializer,
    "approve_shelve": OptionalReasonSerializer,
    "refuse_shelve": ReasonSerializer,
    "resume": None,
    "handle": HandleSerializer,
    "hand_over": HandOverSerializer,
    "verify_pass": VerifyPassSerializer,
    "verify_fail": VerifyFailSerializer,
    "close": None,
    "reopen": ReasonSerializer,
}


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=DESCRIPTION_MAX)


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=DESCRIPTION_MAX)
    public = serializers.BooleanField(
        required=False, default=False, help_text=_("Shown to the reporter on the tracking page.")
    )


class SupervisionInputSerializer(serializers.Serializer):
    instruction = serializers.CharField(max_length=DESCRIPTION_MAX)
    deadline = serializers.DateTimeField(help_text=_("When the handling unit must reply."))


class SupervisionReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=DESCRIPTION_MAX)


# --- Timeline and queues -----------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()
    masked = serializers.BooleanField(help_text=_("Personal data, masked."))


class TimelineEntrySerializer(serializers.Serializer):
    """A record entry made readable (records.presenters), personal data masked."""

    sequence = serializers.IntegerField(source="entry.sequence")
    recorded_at = serializers.DateTimeField(source="entry.recorded_at")
    action = serializers.CharField(source="entry.action")
    action_label = serializers.CharField(source="action")
    actor = serializers.CharField()
    reason = serializers.CharField(source="entry.reason")
    changes = ChangeSerializer(many=True)
    entry_hash = serializers.CharField(source="entry.entry_hash")


class QueueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


# --- Machine events ----------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    """An event from a sensor or video analytics."""

    event_id = serializers.RegexField(
        r"^[\w.:-]+$",
        max_length=64,
        help_text=_(
            "Your own id of the event. Sending it again returns the report made the first "
            "time (200) instead of a new one (201)."
        ),
    )
    category = CategoryRefSerializer(required=False, allow_null=True)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    snapshot = JpegBase64Field(required=False, allow_null=True)


class EventReportSerializer(serializers.Serializer):
    """The report an event became."""

    id = serializers.IntegerField()
    tracking_number = serializers.CharField()
    status = EnumField(Status)
    created_at = serializers.DateTimeField()
    event_id = serializers.SerializerMethodField()

    def get_event_id(self, report) -> str:
        return report.source_reference.partition(":")[2]


# --- The working-time deadline calculator -------------------------------------------------


class CountUnit(models.TextChoices):
    """How a time limit is counted (worktime.calendar)."""

    WORKING_DAYS = "working_days", _("working days (工作日: the start day not counted)")
    WORKING_HOURS = "working_hours", _("working hours (工作时: inside working periods)")
    NATURAL_HOURS = "natural_hours", _("natural hours (紧急工作时: round the clock)")
    CALENDAR_DAYS = "calendar_days", _("calendar days (自然日: ending on a working day)")


# Far enough for any legal period (the longest, 5 years of limitation, is 1,826 days) and
# near enough that every date stays inside the calendar's arithmetic.
MAX_DAYS = 3660
MAX_HOURS = 9999
FIRST_YEAR, LAST_YEAR = 2000, 2099


class DeadlineQuerySerializer(QuerySerializer):
    """A start, an amount and a unit: the calendar page's calculator."""

    start = serializers.DateTimeField(
        help_text=_("When the period starts, with its time zone (Asia/Shanghai if none).")
    )
    amount = AsciiDecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(MAX_HOURS),
        help_text=_("Whole days for days; hours may have two decimals."),
    )
    unit = EnumField(CountUnit)

    def validate_start(self, value: datetime.datetime) -> datetime.datetime:
        if not FIRST_YEAR <= timezone.localtime(value).year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("Give a start between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def validate(self, attrs: dict) -> dict:
        amount, unit = attrs["amount"], attrs["unit"]
        if unit in (CountUnit.WORKING_DAYS, CountUnit.CALENDAR_DAYS):
            if amount != amount.to_integral_value():
                raise serializers.ValidationError({"amount": _("Days are whole days.")})
            if amount > MAX_DAYS:
                raise serializers.ValidationError(
                    {"amount": _("At most %(max)s days.") % {"max": MAX_DAYS}}
                )
        return attrs


class DeadlineAnswerSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    amount = serializers.DecimalField(max_digits=6, decimal_places=2)
    unit = EnumField(CountUnit)
    deadline = serializers.DateTimeField(help_text=_("Asia/Shanghai."))
    unconfigured_years = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_(
            "Years of the period without a holiday calendar: only weekends were skipped "
            "there, so the answer may change once the calendar is imported."
        ),
    )
