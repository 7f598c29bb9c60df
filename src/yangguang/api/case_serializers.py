"""Input and output shapes of the case API (/api/v1/cases/)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yangguang.api.serializers import (
    AsciiDecimalField,
    BoundedDictField,
    EnumField,
    IdRelatedField,
    Light,
    QuerySerializer,
    UnitRefSerializer,
)
from yangguang.cases.enums import (
    DeadlineKind,
    DeadlineState,
    Grade,
    Outcome,
    PartyKind,
    PenaltyKind,
    Procedure,
    RemedyResult,
    ReviewPoint,
    ServiceMethod,
    Source,
    Status,
)
from yangguang.cases.law import MAXIMUM_INSTALMENTS
from yangguang.cases.models import Case, CaseDeadline, CaseDocument
from yangguang.cases.moves import INPUTS
from yangguang.cases.selectors import may_see_party
from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.core.sequences import public_url
from yangguang.org.models import User
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar


def CaseStatusField(**kwargs) -> EnumField:  # noqa: N802 - a field factory
    return EnumField(Status, schema_name="CaseStatus", **kwargs)


# Bounds of the list inputs (every list the API reads has one, checked before any of its
# items is: ten thousand officers would otherwise cost ten thousand queries). Art 42
# wants at least two officers; a case team is a handful, twenty is generous.
MAX_OFFICERS = 20
MAX_CIRCUMSTANCES = 16
TEXT_MAX = 20000
CODE_MAX = 20


def penalty_kinds_field(**kwargs) -> serializers.ListField:
    """Each kind of penalty at most once (行政处罚法 第九条 lists them)."""
    return serializers.ListField(
        child=EnumField(PenaltyKind), max_length=len(PenaltyKind.values), **kwargs
    )


class CaseFilterSerializer(QuerySerializer):
    """Query parameters of the case list."""

    status = CaseStatusField(required=False)


def deadline_light(
    deadline: CaseDeadline, *, now: datetime.datetime, soon: datetime.datetime
) -> str | None:
    """The light of a running deadline, by the rule of the deadline board
    (``cases.deadlines.light``: red once passed, yellow when warned or due within a
    working day), with the working day ahead (``soon``) read once per response rather
    than once per deadline. None once the deadline is met, missed or cancelled."""
    if deadline.state != DeadlineState.OPEN:
        return None
    if now > deadline.due_at:
        return Light.RED
    if deadline.warned_at or soon >= deadline.due_at:
        return Light.YELLOW
    return Light.GREEN


def deadline_overdue(deadline: CaseDeadline, *, now: datetime.datetime) -> bool:
    if deadline.state == DeadlineState.OPEN:
        return now > deadline.due_at
    if deadline.state == DeadlineState.MET:
        return deadline.met_at is not None and deadline.met_at > deadline.due_at
    return deadline.state == DeadlineState.MISSED


class LightContextMixin:
    """``now`` and one working day after it, computed once for the whole response."""

    def _now_and_soon(self) -> tuple[datetime.datetime, datetime.datetime]:
        context = self.context
        if "now" not in context:
            context["now"] = timezone.now()
        if "soon" not in context:
            context["soon"] = add_working_days(context["now"], 1, calendar=work_calendar())
        return context["now"], context["soon"]


class DeadlineSerializer(LightContextMixin, serializers.Serializer):
    kind = EnumField(DeadlineKind, schema_name="CaseDeadlineKind")
    kind_label = serializers.CharField(source="get_kind_display")
    article = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    state = EnumField(DeadlineState, schema_name="CaseDeadlineState")
    met_at = serializers.DateTimeField(allow_null=True)
    light = serializers.SerializerMethodField(
        help_text=_(
            "While the deadline runs: green, yellow when warned or due within a working "
            "day, red once passed (the deadline board's lights); null once it no longer runs."
        )
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Passed while running, missed, or met after it was due.")
    )

    @extend_schema_field(EnumField(Light, allow_null=True))
    def get_light(self, deadline: CaseDeadline) -> str | None:
        now, soon = self._now_and_soon()
        return deadline_light(deadline, now=now, soon=soon)

    def get_overdue(self, deadline: CaseDeadline) -> bool:
        return deadline_overdue(deadline, now=self._now_and_soon()[0])


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    unit = UnitRefSerializer()


class RunningDeadlineSerializer(DeadlineSerializer):
    """A running deadline on the board, with its case."""

    case = CaseRefSerializer()


class CaseListSerializer(serializers.Serializer):
    """A case in a list. The party's name is masked in lists. ``next_deadline`` is the
    soonest running deadline of the procedure, with its light."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    procedure = EnumField(Procedure)
    status = CaseStatusField()
    status_label = serializers.CharField(source="get_status_display")
    title = serializers.CharField()
    party_name = serializers.SerializerMethodField()
    unit = UnitRefSerializer()
    fine = serializers.DecimalField(max_digits=14, decimal_places=2)
    created_at = serializers.DateTimeField()
    next_deadline = serializers.SerializerMethodField()

    def get_party_name(self, case: Case) -> str:
        return mask_name(case.party_name)

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case: Case) -> dict | None:
        running = getattr(case, "running_deadlines", None)
        if running is None:  # not prefetched (one case)
            running = list(case.deadlines.filter(state=DeadlineState.OPEN).order_by("due_at"))
        if not running:
            return None
        return DeadlineSerializer(running[0], context=self.context).data


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("The document's text in the API."))

    def get_url(self, document: CaseDocument) -> str:
        return reverse(
            "api:case-document", kwargs={"pk": document.case_id, "document_id": document.pk}
        )


# The rows of a document that name the party (cases.documents._party and the service
# receipt), and how each is masked for a reader without the right to see the party —
# as the case page masks them (name 王*, identity number 370***…1234, phone 139****2222,
# no address).
MASKED_ADDRESS = "***"
PARTY_ROWS = {
    "当事人": mask_name,
    "受送达人": mask_name,
    "公民身份号码": mask_id_number,
    "联系电话": mask_phone,
    "住址": lambda _value: MASKED_ADDRESS,
}


def document_sections(document: CaseDocument, *, full: bool) -> list[dict[str, str]]:
    """The frozen text of a document as ``[{"heading", "text"}]``. Unless ``full``, the
    party's rows are masked, and every other occurrence of what they held — or of what
    the case holds now — is replaced by the same mask in all the text (a record written
    by an officer may name the party in its prose)."""
    sections = [{"heading": heading, "text": text} for heading, text in document.sections]
    if full:
        return sections
    case = document.case
    masks: dict[str, str] = {}
    for section in sections:
        mask = PARTY_ROWS.get(section["heading"])
        if mask and section["text"]:
            masks[section["text"]] = mask(section["text"])
    for heading, value in (
        ("当事人", case.party_name),
        ("公民身份号码", case.party_id_number),
        ("联系电话", case.party_phone),
        ("住址", case.party_address),
    ):
        if value.strip():
            masks.setdefault(value.strip(), PARTY_ROWS[heading](value.strip()))
    if not masks:
        return sections
    # Longest first, so that a name inside an address is not masked twice over.
    pattern = re.compile(
        "|".join(re.escape(value) for value in sorted(masks, key=len, reverse=True))
    )
    for section in sections:
        section["text"] = pattern.sub(lambda found: masks[found.group(0)], section["text"])
    return sections


class DocumentSectionSerializer(serializers.Serializer):
    heading = serializers.CharField(help_text=_("Empty for a paragraph of running text."))
    text = serializers.CharField()


class DocumentTextSerializer(DocumentSerializer):
    """A document as issued: its frozen text, section by section, as printed on the
    PDF. The party's data is masked for readers without the right to see the party, as
    on the case page."""

    case = serializers.SerializerMethodField()
    masked = serializers.SerializerMethodField(
        help_text=_("The party's data is masked: you may not see the party in full.")
    )
    sections = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField(
        help_text=_("The public check page its QR code leads to.")
    )

    def _full(self, document: CaseDocument) -> bool:
        return may_see_party(self.context["request"].user, document.case)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "number": {"type": "string"}},
            "required": ["id", "number"],
        }
    )
    def get_case(self, document: CaseDocument) -> dict:
        return {"id": document.case_id, "number": document.case.number}

    def get_masked(self, document: CaseDocument) -> bool:
        return not self._full(document)

    @extend_schema_field(DocumentSectionSerializer(many=True))
    def get_sections(self, document: CaseDocument) -> list[dict[str, str]]:
        return document_sections(document, full=self._full(document))

    def get_verify_url(self, document: CaseDocument) -> str:
        return public_url(reverse("portal:document", args=[document.verify_token]))


class CaseDetailSerializer(CaseListSerializer):
    """One case. The party's identity and contacts are shown in full to the case's
    officers and to the posts that approve, review and decide; masked to others."""

    source = EnumField(Source, schema_name="CaseSource")
    report = serializers.SerializerMethodField()
    facts = serializers.CharField()
    place = serializers.CharField()
    act_started_on = serializers.DateField()
    act_ended_on = serializers.DateField(allow_null=True)
    discovered_on = serializers.DateField()
    party_kind = EnumField(PartyKind)
    party_id_number = serializers.SerializerMethodField()
    party_credit_code = serializers.CharField()
    party_representative = serializers.CharField()
    party_phone = serializers.SerializerMethodField()
    party_address = serializers.SerializerMethodField()
    violation = serializers.SerializerMethodField()
    proposal = serializers.JSONField()
    grade = EnumField(Grade, allow_null=True)
    penalty_kinds = serializers.ListField(child=EnumField(PenaltyKind))
    departure_reason = serializers.CharField()
    hearing_offered = serializers.BooleanField()
    legal_review_required = serializers.BooleanField()
    discussion_required = serializers.BooleanField()
    outcome = EnumField(Outcome, allow_null=True)
    filed_at = serializers.DateTimeField(allow_null=True)
    notified_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    served_at = serializers.DateTimeField(allow_null=True)
    payment_due = serializers.DateField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    violations = serializers.SerializerMethodField()
    officers = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report(self, case: Case) -> str | None:
        return case.report.tracking_number if case.report_id else None

    def _full(self, case: Case) -> bool:
        return may_see_party(self.context["request"].user, case)

    def get_party_name(self, case: Case) -> str:
        return case.party_name if self._full(case) else mask_name(case.party_name)

    def get_party_id_number(self, case: Case) -> str:
        number = case.party_id_number
        return number if self._full(case) else mask_id_number(number)

    def get_party_phone(self, case: Case) -> str:
        return case.party_phone if self._full(case) else mask_phone(case.party_phone)

    def get_party_address(self, case: Case) -> str:
        return case.party_address if self._full(case) else ""

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_violation(self, case: Case) -> dict | None:
        violation = case.violation
        if violation is None:
            return None
        return {
            "code": violation.code,
            "version": violation.version,
            "name": violation.name,
            "basis": violation.basis,
            "penalty_basis": violation.penalty_basis,
        }

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_violations(self, case: Case) -> list[dict]:
        """Each act, assessed on its own (分别裁量); the first is the main one."""
        return [
            {
                "code": row.violation.code,
                "name": row.violation.name,
                "grade": row.grade or None,
                "proposal": row.proposal,
                "penalty_kinds": row.penalty_kinds,
                "fine": str(row.fine),
            }
            for row in case.violations.select_related("violation")
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_officers(self, case: Case) -> list[dict]:
        return [
            {"id": o.user_id, "name": o.user.name, "certificate": o.certificate_number}
            for o in case.officers.select_related("user")
        ]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case: Case) -> list:
        return DeadlineSerializer(case.deadlines.all(), many=True, context=self.context).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, case: Case) -> list:
        return DocumentSerializer(case.documents.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        from yangguang.cases.procedure import allowed_verbs

        return allowed_verbs(case, self.context["request"].user)


class PartyInputSerializer(serializers.Serializer):
    kind = EnumField(PartyKind, default=PartyKind.INDIVIDUAL)
    name = serializers.CharField(max_length=100, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, allow_blank=True, default="")
    credit_code = serializers.CharField(max_length=18, allow_blank=True, default="")
    representative = serializers.CharField(max_length=50, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, allow_blank=True, default="")


class OfficerInputSerializer(serializers.Serializer):
    user = IdRelatedField(queryset=User.objects.filter(is_active=True))
    certificate = serializers.CharField(max_length=32)


class CaseCreateSerializer(serializers.Serializer):
    procedure = EnumField(Procedure)
    source = EnumField(Source, schema_name="CaseSource")
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, default="")
    place = serializers.CharField(max_length=255, allow_blank=True, default="")
    act_started_on = serializers.DateField()
    act_ended_on = serializers.DateField(allow_null=True, default=None)
    discovered_on = serializers.DateField()
    harmed_safety = serializers.BooleanField(default=False)
    complex_case = serializers.BooleanField(default=False)
    party = PartyInputSerializer(required=False)
    officers = OfficerInputSerializer(
        many=True,
        max_length=MAX_OFFICERS,
        help_text=_("At least two (行政处罚法 第四十二条), at most twenty."),
    )
    violation = serializers.CharField(
        required=False,
        max_length=CODE_MAX,
        help_text=_("The code of a current catalogue item, e.g. DQ-001."),
    )
    report = serializers.CharField(
        required=False,
        max_length=CODE_MAX,
        help_text=_("The tracking number of the report the case comes from."),
    )


class AssessInputSerializer(serializers.Serializer):
    violation = serializers.CharField(
        max_length=CODE_MAX, help_text=_("The code of a current catalogue item.")
    )
    circumstances = BoundedDictField(
        child=serializers.CharField(max_length=20),
        max_items=MAX_CIRCUMSTANCES,
        required=False,
        help_text=_(
            "Flags minor, first_offence, corrected_in_time, no_fault, repeat, mitigating, "
            'aggravating ("true" or "false") and harm ("none", "minor" or "serious").'
        ),
    )
    quantity = AsciiDecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    penalty_kinds = penalty_kinds_field(required=False)
    fine = AsciiDecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    departure_reason = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, default="")
    additional = serializers.BooleanField(
        default=False,
        help_text=_(
            "Another act of the party, assessed on its own (分别裁量); the main violation if false."
        ),
    )


class ViolationRemoveSerializer(serializers.Serializer):
    violation = serializers.CharField(
        max_length=CODE_MAX, help_text=_("The code of one of the case's other acts.")
    )


class InstalmentInputSerializer(serializers.Serializer):
    """One instalment of a deferred or split payment (行政处罚法 第六十六条第二款)."""

    due_on = serializers.DateField()
    amount = AsciiDecimalField(max_digits=14, decimal_places=2, min_value=0)


def _field(name: str) -> serializers.Field:  # noqa: PLR0911, PLR0912 - a line per input
    money = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
    if name == "points":
        return serializers.ListField(
            child=EnumField(ReviewPoint), max_length=len(ReviewPoint.values), required=False
        )
    if name == "penalty_kinds":
        return penalty_kinds_field(required=False)
    if name == "fine":
        return AsciiDecimalField(**money, required=False)
    if name == "amount":
        return AsciiDecimalField(**money)
    if name in {"party_informed", "collect_on_the_spot", "hard_to_enforce"}:
        return serializers.BooleanField(default=False)
    if name == "outcome":
        return EnumField(Outcome, default=Outcome.PENALTY)
    if name == "method":
        return EnumField(ServiceMethod)
    if name == "hearing_at":
        return serializers.DateTimeField()
    if name == "presider":
        return IdRelatedField(queryset=User.objects.filter(is_active=True))
    if name in {"paid_on", "started_on", "applied_on"}:
        return serializers.DateField()
    if name == "pay_by":
        return serializers.DateField(required=False)
    if name == "instalments":
        return InstalmentInputSerializer(many=True, required=False, max_length=MAXIMUM_INSTALMENTS)
    if name == "ended_on":
        return serializers.DateField(required=False, allow_null=True)
    if name == "result":
        return EnumField(RemedyResult)
    if name == "result_on":
        return serializers.DateField()
    if name == "body":
        return serializers.CharField(max_length=100)
    if name == "reference":
        return serializers.CharField(max_length=60, required=False, allow_blank=True)
    return serializers.CharField(max_length=4000, required=False, allow_blank=True)


def verb_input(verb: str) -> type[serializers.Serializer]:
    fields = {name: _field(name) for name in INPUTS.get(verb, ())}
    fields["reason"] = serializers.CharField(max_length=2000, allow_blank=True, default="")
    name = "Case" + "".join(part.title() for part in verb.split("_")) + "Input"
    return type(name, (serializers.Serializer,), fields)
