"""Input and output shapes of the case API (/api/v1/cases/)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yangguang.api.serializers import EnumField, UnitRefSerializer
from yangguang.cases.enums import (
    DeadlineKind,
    DeadlineState,
    Grade,
    Outcome,
    PartyKind,
    PenaltyKind,
    Procedure,
    ReviewPoint,
    ServiceMethod,
    Source,
    Status,
)
from yangguang.cases.models import Case
from yangguang.cases.moves import INPUTS
from yangguang.cases.selectors import may_see_party
from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.org.models import User


def CaseStatusField(**kwargs) -> EnumField:  # noqa: N802 - a field factory
    return EnumField(Status, schema_name="CaseStatus", **kwargs)


class CaseListSerializer(serializers.Serializer):
    """A case in a list. The party's name is masked in lists."""

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

    def get_party_name(self, case: Case) -> str:
        return mask_name(case.party_name)


class DeadlineSerializer(serializers.Serializer):
    kind = EnumField(DeadlineKind, schema_name="CaseDeadlineKind")
    article = serializers.CharField()
    due_at = serializers.DateTimeField()
    state = EnumField(DeadlineState, schema_name="CaseDeadlineState")
    met_at = serializers.DateTimeField(allow_null=True)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()


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
        return DeadlineSerializer(case.deadlines.all(), many=True).data

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
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    certificate = serializers.CharField(max_length=32)


class CaseCreateSerializer(serializers.Serializer):
    procedure = EnumField(Procedure)
    source = EnumField(Source, schema_name="CaseSource")
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField(allow_blank=True, default="")
    place = serializers.CharField(max_length=255, allow_blank=True, default="")
    act_started_on = serializers.DateField()
    act_ended_on = serializers.DateField(allow_null=True, default=None)
    discovered_on = serializers.DateField()
    harmed_safety = serializers.BooleanField(default=False)
    complex_case = serializers.BooleanField(default=False)
    party = PartyInputSerializer(required=False)
    officers = OfficerInputSerializer(many=True)
    violation = serializers.CharField(
        required=False, help_text=_("The code of a current catalogue item, e.g. DQ-001.")
    )
    report = serializers.CharField(
        required=False, help_text=_("The tracking number of the report the case comes from.")
    )


class AssessInputSerializer(serializers.Serializer):
    violation = serializers.CharField(help_text=_("The code of a current catalogue item."))
    circumstances = serializers.DictField(child=serializers.CharField(), required=False)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    penalty_kinds = serializers.ListField(child=EnumField(PenaltyKind), required=False)
    fine = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    departure_reason = serializers.CharField(allow_blank=True, default="")
    additional = serializers.BooleanField(
        default=False,
        help_text=_(
            "Another act of the party, assessed on its own (分别裁量); the main violation if false."
        ),
    )


class ViolationRemoveSerializer(serializers.Serializer):
    violation = serializers.CharField(help_text=_("The code of one of the case's other acts."))


def _field(name: str) -> serializers.Field:  # noqa: PLR0911 - one line per kind of input
    money = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
    if name == "points":
        return serializers.ListField(child=EnumField(ReviewPoint), required=False)
    if name == "penalty_kinds":
        return serializers.ListField(child=EnumField(PenaltyKind), required=False)
    if name == "fine":
        return serializers.DecimalField(**money, required=False)
    if name == "amount":
        return serializers.DecimalField(**money)
    if name in {"party_informed", "collect_on_the_spot", "hard_to_enforce"}:
        return serializers.BooleanField(default=False)
    if name == "outcome":
        return EnumField(Outcome, default=Outcome.PENALTY)
    if name == "method":
        return EnumField(ServiceMethod)
    if name == "hearing_at":
        return serializers.DateTimeField()
    if name == "presider":
        return serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    if name in {"pay_by", "paid_on", "started_on"}:
        return serializers.DateField()
    if name == "ended_on":
        return serializers.DateField(required=False, allow_null=True)
    return serializers.CharField(max_length=4000, required=False, allow_blank=True)


def verb_input(verb: str) -> type[serializers.Serializer]:
    fields = {name: _field(name) for name in INPUTS.get(verb, ())}
    fields["reason"] = serializers.CharField(max_length=2000, allow_blank=True, default="")
    name = "Case" + "".join(part.title() for part in verb.split("_")) + "Input"
    return type(name, (serializers.Serializer,), fields)
