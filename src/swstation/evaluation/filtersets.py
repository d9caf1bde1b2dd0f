"""Filters of the indicator set, dimension and indicator lists; the pages and the API share
them."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.evaluation.models import (
    Dimension,
    Indicator,
    IndicatorSet,
    IndicatorSource,
    RuleType,
    SetStatus,
)


def _visible_sets(request: Any) -> QuerySet[IndicatorSet]:
    queryset: QuerySet[IndicatorSet] = IndicatorSet.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("name", "-version")


class IndicatorSetFilterSet(BaseFilterSet):
    search_fields = ("name", "note")

    status = django_filters.ChoiceFilter(choices=SetStatus.choices, label=_("status"))

    class Meta:
        model = IndicatorSet
        fields = ["q", "status"]


class DimensionFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "indicator_set__name")

    indicator_set = django_filters.ModelChoiceFilter(
        queryset=_visible_sets, label=_("indicator set")
    )

    class Meta:
        model = Dimension
        fields = ["q", "indicator_set"]


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "evidence", "note", "dimension__name")

    indicator_set = django_filters.ModelChoiceFilter(
        field_name="dimension__indicator_set", queryset=_visible_sets, label=_("indicator set")
    )
    dimension = django_filters.NumberFilter(label=_("dimension (first-level indicator)"))
    rule_type = django_filters.ChoiceFilter(choices=RuleType.choices, label=_("scoring rule"))
    source = django_filters.ChoiceFilter(choices=IndicatorSource.choices, label=_("computed from"))
    automatic = django_filters.BooleanFilter(
        field_name="source", method="filter_automatic", label=_("computed from the records")
    )

    class Meta:
        model = Indicator
        fields = ["q", "indicator_set", "dimension", "rule_type", "source", "automatic"]

    def filter_automatic(
        self, queryset: QuerySet[Indicator], name: str, value: bool | None
    ) -> QuerySet[Indicator]:
        if value is None:
            return queryset
        return queryset.exclude(source="") if value else queryset.filter(source="")
