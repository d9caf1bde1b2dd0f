"""Tables of the reward and allowance rules, payment batches and payments (and of their
.csv/.xlsx exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable, MoneyColumn
from swstation.workforce.models import Payment, PaymentBatch, RewardPolicy

__all__ = ["PaymentBatchTable", "PaymentTable", "RewardPolicyTable"]


class RewardPolicyTable(BaseTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    excludes_civil_servants = tables.BooleanColumn()
    requires_exam_in_city = tables.BooleanColumn()
    requires_registration_in_city = tables.BooleanColumn()
    requires_community_worker = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = RewardPolicy
        fields = (
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
        )


class PaymentBatchTable(BaseTable):
    batch = tables.Column(
        accessor="pk",
        verbose_name=_("batch"),
        linkify=lambda record: record.get_absolute_url(),
        orderable=False,
    )
    region = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PaymentBatch
        fields = (
            "batch",
            "kind",
            "region",
            "period_start",
            "period_end",
            "status",
            "approved_by",
            "approved_at",
            "paid_on",
            "note",
        )

    def render_batch(self, record: PaymentBatch) -> str:
        return str(record)

    def value_batch(self, record: PaymentBatch) -> str:
        return str(record)


class PaymentTable(BaseTable):
    social_worker = tables.Column(linkify=True)
    amount = MoneyColumn(linkify=lambda record: record.get_absolute_url())
    batch = tables.Column(linkify=True)
    certificate = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Payment
        fields = ("social_worker", "kind", "amount", "month", "certificate", "batch", "policy")
