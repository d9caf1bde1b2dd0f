"""Serializers of the reward and allowance rules, payment batches and payments."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.workforce.models import Payment, PaymentBatch, RewardPolicy
from swstation.workforce.services.payments import payment_batch_check_editable

__all__ = ["PaymentBatchSerializer", "PaymentSerializer", "RewardPolicySerializer"]


class RewardPolicySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:rewardpolicy-detail")

    class Meta:
        model = RewardPolicy
        fields = [
            "id",
            "url",
            "kind",
            "level",
            "amount",
            "valid_from",
            "valid_to",
            "excludes_civil_servants",
            "requires_exam_in_city",
            "requires_registration_in_city",
            "requires_community_worker",
            "note",
        ]


class PaymentBatchSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:paymentbatch-detail")
    region_code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="region", slug_field="code", read_only=True
    )

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "url",
            "kind",
            "region_code",
            "period_start",
            "period_end",
            "status",
            "approved_by",
            "approved_at",
            "paid_on",
            "note",
        ]
        # Kind, region and period decided the lines; approval and payment are workflow
        # actions: only the note is typed in.
        read_only_fields = [
            "kind",
            "region_code",
            "period_start",
            "period_end",
            "status",
            "approved_by",
            "approved_at",
            "paid_on",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            try:
                payment_batch_check_editable(batch=self.instance)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc
        validated: dict[str, Any] = super().validate(attrs)
        return validated


class PaymentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:payment-detail")
    social_worker_name = serializers.CharField(source="social_worker.name", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "url",
            "batch",
            "kind",
            "social_worker",
            "social_worker_name",
            "certificate",
            "policy",
            "month",
            "amount",
        ]
        read_only_fields = fields
