"""Filters of the reward and allowance rules, payment batches and payments; the pages and the API
share them."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet, year_filter
from swstation.workforce.models import (
    BatchStatus,
    CertificateLevel,
    Payment,
    PaymentBatch,
    PaymentKind,
    RewardPolicy,
)

__all__ = ["PaymentBatchFilterSet", "PaymentFilterSet", "RewardPolicyFilterSet"]


class RewardPolicyFilterSet(BaseFilterSet):
    search_fields = ("note",)

    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices, label=_("kind"))
    level = django_filters.ChoiceFilter(choices=CertificateLevel.choices, label=_("level"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))

    class Meta:
        model = RewardPolicy
        fields = ["q", "kind", "level", "valid_on"]

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.valid_on(value) if value else queryset  # type: ignore[attr-defined]


class PaymentBatchFilterSet(BaseFilterSet):
    search_fields = ("note", "region__name")

    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label=_("status"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    period_year = year_filter("period_end", _("year"))

    class Meta:
        model = PaymentBatch
        fields = ["q", "kind", "status", "region_code", "period_year"]


class PaymentFilterSet(BaseFilterSet):
    search_fields = ("social_worker__name", "certificate__number")

    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices, label=_("kind"))
    batch = django_filters.NumberFilter(field_name="batch_id", label=_("batch (ID)"))
    social_worker = django_filters.NumberFilter(
        field_name="social_worker_id", label=_("social worker (ID)")
    )
    region_code = django_filters.CharFilter(
        field_name="social_worker__region__code", lookup_expr="startswith", label=_("region code")
    )
    batch_status = django_filters.ChoiceFilter(
        field_name="batch__status", choices=BatchStatus.choices, label=_("batch status")
    )
    # The cockpit's money paid in a period (issue 10: the figure and its list agree).
    paid_after = django_filters.DateFilter(
        field_name="batch__paid_on", lookup_expr="gte", label=_("paid on or after")
    )
    paid_before = django_filters.DateFilter(
        field_name="batch__paid_on", lookup_expr="lte", label=_("paid on or before")
    )

    class Meta:
        model = Payment
        fields = ["q", "kind", "batch", "social_worker", "region_code", "batch_status"]
