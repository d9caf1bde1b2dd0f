"""Filters of the funds lists; the pages and the API share them. ``region_code`` is a prefix of
the record's region code (a district, a town)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.funds import selectors
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    ExpenseCategory,
    Funder,
    FunderKind,
    FundType,
    Grant,
    GrantStatus,
    PurchaseContract,
    Tier,
)
from swstation.projects.models import Project
from swstation.stations.models import ServiceAgency, Station


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("region__code", "name")


def _visible_projects(request: Any) -> QuerySet[Project]:
    queryset: QuerySet[Project] = Project.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("name")


def _visible_funders(request: Any) -> QuerySet[Funder]:
    queryset: QuerySet[Funder] = Funder.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("tier", "name")


def _visible_agencies(request: Any) -> QuerySet[ServiceAgency]:
    queryset: QuerySet[ServiceAgency] = ServiceAgency.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("name")


def _visible_contracts(request: Any) -> QuerySet[PurchaseContract]:
    queryset: QuerySet[PurchaseContract] = PurchaseContract.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("-starts_on")


def _visible_grants(request: Any) -> QuerySet[Grant]:
    queryset: QuerySet[Grant] = Grant.objects.visible_to(getattr(request, "user", None))
    return queryset.select_related("funder", "station").order_by("-year", "-pk")


class FunderFilterSet(BaseFilterSet):
    search_fields = ("name", "contact_name")

    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("tier of the four ones"))
    kind = django_filters.ChoiceFilter(choices=FunderKind.choices, label=_("kind of funder"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = Funder
        fields = ["q", "tier", "kind", "region_code"]


class GrantFilterSet(BaseFilterSet):
    """``status`` payable/paid; ``shares_of`` the shares of one donation; ``subsidies`` the
    grants under a subsidy policy (yes) or the others (no)."""

    search_fields = (
        "funder__name",
        "station__name",
        "project__name",
        "programme",
        "purpose",
        "document_number",
    )

    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("tier of the four ones"))
    fund_type = django_filters.ChoiceFilter(choices=FundType.choices, label=_("kind of money"))
    funder = django_filters.ModelChoiceFilter(queryset=_visible_funders, label=_("funder"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    year = django_filters.NumberFilter(label=_("budget year"))
    status = django_filters.ChoiceFilter(
        choices=GrantStatus.choices, method="filter_status", label=_("status")
    )
    policy = django_filters.NumberFilter(field_name="policy", label=_("subsidy policy"))
    subsidies = django_filters.BooleanFilter(
        field_name="policy", lookup_expr="isnull", exclude=True, label=_("subsidies only")
    )
    shares_of = django_filters.NumberFilter(field_name="parent", label=_("shares of the donation"))
    programme = django_filters.CharFilter(label=_("programme"))
    # The cockpit's subsidies paid in a period (the figure and its list agree).
    paid_after = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("paid on or after")
    )
    paid_before = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label=_("paid on or before")
    )

    class Meta:
        model = Grant
        fields = [
            "q",
            "tier",
            "fund_type",
            "funder",
            "station",
            "project",
            "region_code",
            "year",
            "status",
            "policy",
            "subsidies",
            "shares_of",
            "programme",
            "paid_after",
            "paid_before",
        ]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return selectors.grant_status_filter(queryset, value)


class PurchaseContractFilterSet(BaseFilterSet):
    search_fields = ("number", "title", "agency__name", "station__name")

    agency = django_filters.ModelChoiceFilter(queryset=_visible_agencies, label=_("service agency"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("tier of the four ones"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("year"))

    class Meta:
        model = PurchaseContract
        fields = ["q", "agency", "station", "tier", "region_code", "year"]

    def filter_year(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)


class ContractInstalmentFilterSet(BaseFilterSet):
    """``open`` keeps the instalments not yet paid (yes) or the paid ones (no)."""

    search_fields = ("contract__number", "contract__title", "deliverable")

    contract = django_filters.ModelChoiceFilter(
        queryset=_visible_contracts, label=_("purchase contract")
    )
    region_code = django_filters.CharFilter(
        field_name="contract__region__code", lookup_expr="startswith", label=_("region code")
    )
    open = django_filters.BooleanFilter(
        field_name="paid_on", lookup_expr="isnull", label=_("not yet paid")
    )
    held = django_filters.BooleanFilter(label=_("held pending evaluation"))
    is_final = django_filters.BooleanFilter(label=_("final payment (尾款)"))
    due_year = django_filters.NumberFilter(
        field_name="due_on", lookup_expr="year", label=_("year due")
    )

    class Meta:
        model = ContractInstalment
        fields = ["q", "contract", "region_code", "open", "held", "is_final", "due_year"]


class ExpenseFilterSet(BaseFilterSet):
    search_fields = ("voucher_number", "description", "grant__funder__name", "contract__number")

    grant = django_filters.ModelChoiceFilter(queryset=_visible_grants, label=_("grant"))
    contract = django_filters.ModelChoiceFilter(
        queryset=_visible_contracts, label=_("purchase contract")
    )
    category = django_filters.ChoiceFilter(
        choices=ExpenseCategory.choices, label=_("spending category")
    )
    tier = django_filters.ChoiceFilter(
        choices=Tier.choices, method="filter_tier", label=_("tier of the four ones")
    )
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    year = django_filters.NumberFilter(field_name="spent_on", lookup_expr="year", label=_("year"))
    overridden = django_filters.BooleanFilter(
        method="filter_overridden", label=_("beyond the grant")
    )

    class Meta:
        model = Expense
        fields = [
            "q",
            "grant",
            "contract",
            "category",
            "tier",
            "region_code",
            "year",
            "overridden",
        ]

    def filter_tier(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(Q(grant__tier=value) | Q(contract__tier=value))

    def filter_overridden(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return (
            queryset.exclude(override_reason="") if value else queryset.filter(override_reason="")
        )
