"""Filters of the partner, resource and referral lists; the pages and the API share them.
``region_code`` is a region's code: the partners and resources for it (registered in it or
above it, or serving a village inside it), the referrals of its stations."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.linkage import selectors
from swstation.linkage.models import (
    Department,
    Partner,
    PartnerKind,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Resource,
    ResourceKind,
)
from swstation.stations.models import Station

# The region filter of partners and resources: those for a region (registered in it or above
# it, or serving a village inside it), not only those registered there.
SERVING_LABEL = _("serving the region")


def _visible_partners(request: Any) -> QuerySet[Partner]:
    queryset: QuerySet[Partner] = Partner.objects.visible_to(getattr(request, "user", None))
    return queryset.select_related("region").order_by("name")


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("region__code", "name")


class PartnerFilterSet(BaseFilterSet):
    search_fields = ("name", "contact_name", "description", "address")

    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("kind of partner"))
    department = django_filters.ChoiceFilter(choices=Department.choices, label=_("department"))
    # field_name: the page picks it from the division tree, by name (core.filtersets).
    region_code = django_filters.CharFilter(
        field_name="region__code", method="filter_region", label=_("region code")
    )
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    active = django_filters.BooleanFilter(label=_("still working with us"))
    # Registered in the region, whatever it serves: the cockpit's "partners by kind".
    registered_in = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("registered in (region)")
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "department", "region_code", "station", "active", "registered_in"]

    def filter_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(selectors.serving_region_q(value)) if value else queryset

    def picker_label(self, name: str, flt: django_filters.Filter, label: Any) -> Any:
        return SERVING_LABEL if name == "region_code" else super().picker_label(name, flt, label)


class ResourceFilterSet(BaseFilterSet):
    """The workers' catalogue: ``valid_today`` keeps what may be asked for today."""

    search_fields = ("title", "description", "partner__name")

    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("kind of resource"))
    partner = django_filters.ModelChoiceFilter(queryset=_visible_partners, label=_("partner"))
    partner_kind = django_filters.ChoiceFilter(
        field_name="partner__kind", choices=PartnerKind.choices, label=_("kind of partner")
    )
    region_code = django_filters.CharFilter(
        field_name="partner__region__code", method="filter_region", label=_("region code")
    )
    valid_today = django_filters.BooleanFilter(method="filter_valid", label=_("valid today"))
    # The cockpit's "resources by kind" of a past period: valid on its last day, offered by
    # partners registered in the region.
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))
    registered_in = django_filters.CharFilter(
        field_name="partner__region__code",
        lookup_expr="startswith",
        label=_("partner registered in (region)"),
    )

    class Meta:
        model = Resource
        fields = [
            "q",
            "kind",
            "partner",
            "partner_kind",
            "region_code",
            "valid_today",
            "valid_on",
            "registered_in",
        ]

    def filter_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return (
            queryset.filter(selectors.serving_region_q(value, "partner__")) if value else queryset
        )

    def picker_label(self, name: str, flt: django_filters.Filter, label: Any) -> Any:
        return SERVING_LABEL if name == "region_code" else super().picker_label(name, flt, label)

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(selectors.valid_on_q(value)) if value else queryset

    def filter_valid(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        valid = selectors.valid_on_q(timezone.localdate())
        return queryset.filter(valid) if value else queryset.exclude(valid)


class ReferralFilterSet(BaseFilterSet):
    """``overdue`` keeps the referrals still waiting for an answer past their due day."""

    search_fields = ("recipient__name", "partner__name", "service")

    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("status"))
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices, label=_("outcome"))
    partner = django_filters.ModelChoiceFilter(queryset=_visible_partners, label=_("referred to"))
    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, label=_("referring station")
    )
    recipient = django_filters.NumberFilter(field_name="recipient", label=_("recipient"))
    case = django_filters.NumberFilter(field_name="case", label=_("case"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("answer overdue"))
    sent_after = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="gte", label=_("sent on or after")
    )
    sent_before = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="lte", label=_("sent on or before")
    )

    class Meta:
        model = Referral
        fields = [
            "q",
            "status",
            "outcome",
            "partner",
            "station",
            "recipient",
            "case",
            "region_code",
            "overdue",
            "sent_after",
            "sent_before",
        ]

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = Q(status=ReferralStatus.SENT, answer_due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
