"""API of the reward and allowance rules, payment batches and payments (the batches' workflow
is on the pages; here: read, edit the note, discard a draft)."""

from django.db.models import QuerySet

from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.workforce import filtersets
from swstation.workforce.api import serializers as workforce_serializers
from swstation.workforce.models import Payment, PaymentBatch, RewardPolicy
from swstation.workforce.selectors import payments as payment_selectors
from swstation.workforce.services import payments as payment_services

__all__ = ["PaymentBatchViewSet", "PaymentViewSet", "RewardPolicyViewSet"]


class RewardPolicyViewSet(ScopedModelViewSet):
    """Exam reward and job allowance amounts per certificate level, with their validity
    (city-wide policy data: everyone reads it, the city bureau writes it)."""

    model = RewardPolicy
    serializer_class = workforce_serializers.RewardPolicySerializer
    filterset_class = filtersets.RewardPolicyFilterSet
    ordering_fields = ["valid_from", "kind", "level", "amount"]


class PaymentBatchViewSet(ScopedModelViewSet):
    """Batches of rewards or allowances due for a period (status changes are workflow
    actions)."""

    model = PaymentBatch
    serializer_class = workforce_serializers.PaymentBatchSerializer
    filterset_class = filtersets.PaymentBatchFilterSet
    select_related = ("region",)
    ordering_fields = ["period_end", "period_start", "status"]
    # Created by the generate workflow (its lines are computed); here: read, note, discard.
    http_method_names = ["get", "head", "options", "patch", "delete"]

    def perform_destroy(self, instance: PaymentBatch) -> None:
        payment_services.payment_batch_delete_draft(actor=self.request.user, batch=instance)


class PaymentViewSet(ScopedModelViewSet):
    """Rewards and allowances in batches: read-only (the payment workflow writes them). In the
    list page's order: the newest batch first, each batch's lines as they were generated
    (month, village or community, name)."""

    model = Payment
    serializer_class = workforce_serializers.PaymentSerializer
    filterset_class = filtersets.PaymentFilterSet
    ordering_fields = ["amount", "month"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Payment]:
        return payment_selectors.payment_list(actor=self.request.user)
