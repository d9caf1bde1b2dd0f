"""Filters of the assessor qualifications list (the pages and the API share them)."""

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import AssessorQualification, AssessorQualificationKind
from swstation.core.filtersets import BaseFilterSet

__all__ = ["AssessorQualificationFilterSet"]


class AssessorQualificationFilterSet(BaseFilterSet):
    search_fields = ("social_worker__name", "number")

    kind = django_filters.ChoiceFilter(choices=AssessorQualificationKind.choices, label=_("kind"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))

    class Meta:
        model = AssessorQualification
        fields = ["q", "kind", "valid_on"]

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )
