"""Serializers of the merchant file and credit API (一户一档, 信用修复) and of the public
shop view behind a 门前三包 board's QR code.

Inputs only parse and bound; ``merchants.services`` and ``credit.repair`` decide what is
allowed and check the values (credit code, mobile, licences)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yangguang.api.serializers import EnumField, QuerySerializer
from yangguang.credit.enums import CreditList, EventKind, RepairStatus
from yangguang.merchants.enums import ShopStatus

# --- Staff: the merchant file --------------------------------------------------------------


class MerchantFilterSerializer(QuerySerializer):
    q = serializers.CharField(
        required=False,
        max_length=50,
        help_text=_("Part of the registered or trade name, or the start of the credit code."),
    )
    street = serializers.CharField(
        required=False, max_length=50, help_text=_("Street, exactly as on the shops.")
    )
    grade = serializers.CharField(
        required=False, max_length=10, help_text=_("Credit grade, exactly (A, B … or stars).")
    )


class ScoreSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    points = serializers.IntegerField()
    grade = serializers.CharField()

    def get_fields(self) -> dict:
        # "list" is the red or black list (a builtin's name, so not a class attribute).
        return {
            **super().get_fields(),
            "list": EnumField(
                CreditList, source="credit_list", allow_null=True, help_text=_("Null: neither.")
            ),
        }


class MerchantShopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trade_name = serializers.CharField()
    address = serializers.CharField()
    street = serializers.CharField(source="street_name", allow_blank=True)
    longitude = serializers.FloatField()
    latitude = serializers.FloatField()
    board_token = serializers.CharField()
    status = EnumField(ShopStatus, schema_name="ShopStatus")


class MerchantSerializer(serializers.Serializer):
    """A merchant in a list: the operator and the phone always masked."""

    id = serializers.IntegerField()
    credit_code = serializers.CharField()
    name = serializers.CharField()
    business_type = serializers.CharField()
    operator = serializers.CharField(
        allow_blank=True, help_text=_("The operator (经营者), masked unless shown in full.")
    )
    phone = serializers.CharField(allow_blank=True, help_text=_("Masked unless shown in full."))
    score = ScoreSerializer(allow_null=True, help_text=_("Null before the first scoring."))
    shops = MerchantShopSerializer(many=True)


class CreditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = EnumField(EventKind, schema_name="CreditEventKind")
    severity = serializers.CharField(allow_blank=True)
    points = serializers.IntegerField(help_text=_("Under the active scheme."))
    occurred_at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)
    source_type = serializers.CharField()
    source_id = serializers.CharField()
    repaired_at = serializers.DateTimeField(allow_null=True)


class LicenceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=50)
    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class MerchantDetailSerializer(MerchantSerializer):
    """One merchant: the operator and phone in full for those who may reveal personal
    data; the credit events, newest first."""

    address = serializers.CharField(allow_blank=True)
    licences = LicenceSerializer(many=True)
    is_sole_trader = serializers.BooleanField()
    events = CreditEventSerializer(many=True)


class MerchantCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(
        max_length=18, help_text=_("Unified social credit code (统一社会信用代码), 18 characters.")
    )
    name = serializers.CharField(max_length=100)
    operator_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, help_text=_("The operator's mobile."))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    business_type = serializers.CharField(max_length=50)
    licences = LicenceSerializer(many=True, required=False, max_length=20)

    def to_fields(self) -> dict:
        """The validated body as ``merchant_save`` takes it (dates as ISO text)."""
        data = dict(self.validated_data)
        data["licences"] = [
            {
                "kind": licence["kind"],
                "number": licence.get("number", ""),
                "valid_until": licence["valid_until"].isoformat()
                if licence.get("valid_until")
                else "",
            }
            for licence in data.get("licences", [])
        ]
        return data


# --- Staff: 信用修复 ---------------------------------------------------------------------


class RepairDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text=_("Required when refusing; shown to the merchant."),
    )


class RepairApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField()
    merchant = serializers.IntegerField()
    status = EnumField(RepairStatus, schema_name="RepairStatus")
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField(allow_blank=True)
    points = serializers.IntegerField(
        allow_null=True, help_text=_("The merchant's points after the decision.")
    )


# --- Public: the shop behind a board -------------------------------------------------------


class PublicDutySerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class PublicGradeSerializer(serializers.Serializer):
    grade = serializers.CharField()
    label = serializers.CharField(help_text=_("The active scheme's band label."))


class PublicTitleSerializer(serializers.Serializer):
    title = serializers.CharField()
    awarded_on = serializers.DateField()


class PublicDutyResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()


class PublicInspectionSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    passed = serializers.BooleanField()
    duties = PublicDutyResultSerializer(many=True)


class PublicShopSerializer(serializers.Serializer):
    trade_name = serializers.CharField()
    registered_name = serializers.CharField(
        allow_blank=True, help_text=_("Empty for a sole trader (个体工商户).")
    )
    address = serializers.CharField()
    street = serializers.CharField(allow_blank=True)
    zone = serializers.JSONField(help_text=_("The 门前三包 zone (GeoJSON)."))
    duties = PublicDutySerializer(many=True)
    grade = PublicGradeSerializer(allow_null=True, help_text=_("Null before the first scoring."))
    titles = PublicTitleSerializer(many=True, help_text=_("文明商家 titles, newest first."))
    inspections = PublicInspectionSerializer(many=True, help_text=_("The latest, newest first."))
    url = serializers.URLField(help_text=_("The shop's public page."))
