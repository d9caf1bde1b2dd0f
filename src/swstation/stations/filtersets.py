from datetime import date
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.stations.models import (
    ConstructionStandard,
    FundingSource,
    OperatingModel,
    Room,
    RoomKind,
    ServiceAgency,
    SharedVenue,
    SpecialKind,
    Station,
    StationKind,
    StationStatus,
    SubsidyPolicy,
)
from swstation.stations.selectors import annotate_compliance, operating_on_q


class PolicyFilterMixin(django_filters.FilterSet):
    """Filters shared by policy data: in force on a day, applying to a kind of station."""

    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))
    station_kind = django_filters.ChoiceFilter(
        choices=StationKind.choices, method="filter_station_kind", label=_("station kind")
    )

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.valid_on(value) if value else queryset  # type: ignore[attr-defined]

    def filter_station_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Policy tables hold a handful of rows, and SQLite's JSON has no "contains".
        if not value:
            return queryset
        matching = [
            pk for pk, kinds in queryset.values_list("pk", "station_kinds") if value in kinds
        ]
        return queryset.filter(pk__in=matching)


class ServiceAgencyFilterSet(BaseFilterSet):
    search_fields = ("name", "credit_code", "address", "contact_name")

    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ServiceAgency
        fields = ["q", "region_code"]


class StationFilterSet(BaseFilterSet):
    search_fields = ("name", "region__name", "region__code", "address")

    kind = django_filters.ChoiceFilter(choices=StationKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=StationStatus.choices, label=_("status"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    special_kind = django_filters.ChoiceFilter(
        choices=SpecialKind.choices, label=_("special station type")
    )
    operating_model = django_filters.ChoiceFilter(
        choices=OperatingModel.choices, label=_("operating model")
    )
    agency_credit_code = django_filters.CharFilter(
        field_name="agency__credit_code", label=_("agency credit code")
    )
    operating_on = django_filters.DateFilter(
        method="filter_operating_on",
        label=_("operating on"),
        help_text=_("Opened by that day and not suspended then; compliance judged on that day."),
    )
    compliant = django_filters.BooleanFilter(field_name="compliant", label=_("compliant"))
    opened_year = django_filters.NumberFilter(
        field_name="opened_on", lookup_expr="year", label=_("opened in year")
    )

    class Meta:
        model = Station
        fields = [
            "q",
            "kind",
            "status",
            "region_code",
            "special_kind",
            "operating_model",
            "agency_credit_code",
            "operating_on",
            "compliant",
            "opened_year",
        ]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Stations as they were on a day (issue 18: the cockpit of a past period links here):
        # compliance against the standard in force then, with the staff, rooms and sign of
        # then, before ``compliant`` filters on it.
        day = self.form.cleaned_data.get("operating_on")
        if day is not None:
            queryset = annotate_compliance(queryset.filter(operating_on_q(day=day)), day=day)
        return super().filter_queryset(queryset)

    def filter_operating_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # applied first, in filter_queryset


class RoomFilterSet(BaseFilterSet):
    search_fields = ("name", "station__name", "station__region__name")

    station = django_filters.NumberFilter(field_name="station_id", label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    kind = django_filters.ChoiceFilter(choices=RoomKind.choices, label=_("room type"))
    shared_with = django_filters.ChoiceFilter(choices=SharedVenue.choices, label=_("shared with"))

    class Meta:
        model = Room
        fields = ["q", "station", "region_code", "kind", "shared_with"]


class ConstructionStandardFilterSet(PolicyFilterMixin, BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = ConstructionStandard
        fields = ["q", "valid_on", "station_kind"]


class SubsidyPolicyFilterSet(PolicyFilterMixin, BaseFilterSet):
    search_fields = ("name",)

    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("funding source"))

    class Meta:
        model = SubsidyPolicy
        fields = ["q", "source", "valid_on", "station_kind"]
