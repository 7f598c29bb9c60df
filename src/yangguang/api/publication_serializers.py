"""Serializers of the legal office's publication API (事后公开)."""

from rest_framework import serializers

from yangguang.api.serializers import EnumField, QuerySerializer
from yangguang.disclosure.enums import PublicationStatus, RefusalGround, WithdrawalGround
from yangguang.disclosure.models import Publication


class PublicationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    light = serializers.CharField(read_only=True, allow_blank=True)
    status = EnumField(PublicationStatus, read_only=True)
    refusal_ground = EnumField(RefusalGround, read_only=True, allow_null=True)
    withdrawal_ground = EnumField(WithdrawalGround, read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "case",
            "case_number",
            "status",
            "proposed_at",
            "due_at",
            "light",
            "document_number",
            "title",
            "facts",
            "basis",
            "result",
            "party",
            "party_credit_code",
            "authority",
            "category",
            "area",
            "decided_on",
            "content_sha256",
            "published_at",
            "publish_until",
            "refusal_ground",
            "refusal_reason",
            "withdrawal_ground",
            "set_aside_on",
            "withdrawal_due_at",
            "withdrawal_reason",
            "withdrawn_at",
            "removed_at",
        ]
        read_only_fields = fields


class PublicationFilterSerializer(QuerySerializer):
    status = EnumField(PublicationStatus, required=False)


class PublicationEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    facts = serializers.CharField(max_length=4000, required=False)
    basis = serializers.CharField(max_length=4000, required=False)
    result = serializers.CharField(max_length=2000, required=False)


class PublicationRefuseSerializer(serializers.Serializer):
    ground = EnumField(RefusalGround)
    reason = serializers.CharField(max_length=2000)


class PublicationWithdrawSerializer(serializers.Serializer):
    ground = EnumField(WithdrawalGround, required=False)
    reason = serializers.CharField(max_length=2000)
