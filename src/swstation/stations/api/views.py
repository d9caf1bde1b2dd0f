from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.stations import selectors, services
from swstation.stations.api.serializers import (
    ConstructionStandardSerializer,
    RoomSerializer,
    ServiceAgencySerializer,
    StationSerializer,
    StationSubsidySerializer,
    SubsidyGenerateSerializer,
    SubsidyMarkPaidSerializer,
    SubsidyPolicySerializer,
)
from swstation.stations.filtersets import (
    ConstructionStandardFilterSet,
    RoomFilterSet,
    ServiceAgencyFilterSet,
    StationFilterSet,
    StationSubsidyFilterSet,
    SubsidyPolicyFilterSet,
)
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    StationSubsidy,
    SubsidyPolicy,
)


class ServiceAgencyViewSet(ScopedModelViewSet):
    """Social work service agencies that run stations and send staff."""

    model = ServiceAgency
    serializer_class = ServiceAgencySerializer
    filterset_class = ServiceAgencyFilterSet
    ordering_fields = ["name", "credit_code", "station_count", "staff_count"]

    def get_queryset(self) -> QuerySet[ServiceAgency]:
        return selectors.service_agency_list(actor=self.request.user)


class StationViewSet(ScopedModelViewSet):
    """Social work stations in the caller's jurisdiction, with their full-time staff count and
    whether they meet the construction standard in force for their kind (``compliant``: null
    when no standard applies). Filters: ``kind``, ``status``, ``region_code`` (prefix),
    ``special_kind``, ``operating_model``, ``compliant``, ``opened_year``."""

    model = Station
    serializer_class = StationSerializer
    filterset_class = StationFilterSet
    ordering_fields = ["name", "opened_on", "fulltime_staff_count", "region__code"]

    def get_queryset(self) -> QuerySet[Station]:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation: no request user, and no database to read standards from.
            return self.model._default_manager.none()
        return selectors.station_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        user = self.request.user
        if serializer.instance is None:
            station = services.station_create(actor=user, **data)
        else:
            station = services.station_update(actor=user, station=serializer.instance, **data)
        # Answer with the current staff count and compliance of the saved station.
        serializer.instance = (
            selectors.station_list(actor=user).filter(pk=station.pk).first() or station
        )
        return station


class RoomViewSet(ScopedModelViewSet):
    """Rooms of the stations (office, casework room...), possibly shared with other venues."""

    model = Room
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet
    select_related = ("station", "station__region")
    ordering_fields = ["kind", "area_m2"]


class ConstructionStandardViewSet(ScopedModelViewSet):
    """Construction standards (policy data with validity dates): what a station must have."""

    model = ConstructionStandard
    serializer_class = ConstructionStandardSerializer
    filterset_class = ConstructionStandardFilterSet
    ordering_fields = ["valid_from", "name"]


class SubsidyPolicyViewSet(ScopedModelViewSet):
    """Subsidy policies (policy data with validity dates), e.g. the city's one-time subsidy
    per built station. ``POST …/{id}/generate/`` with ``{"year": …}`` creates the payable
    subsidies of that year (never twice per station)."""

    model = SubsidyPolicy
    serializer_class = SubsidyPolicySerializer
    filterset_class = SubsidyPolicyFilterSet
    ordering_fields = ["valid_from", "name", "amount"]

    @extend_schema(request=SubsidyGenerateSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        policy = self.get_object()
        params = SubsidyGenerateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        created = services.station_subsidies_generate(
            actor=request.user, policy=policy, year=params.validated_data["year"]
        )
        return Response({"created": created})


class StationSubsidyViewSet(ScopedModelViewSet):
    """Subsidies due to or paid to stations. ``POST …/{id}/mark_paid/`` with
    ``{"paid_on": "YYYY-MM-DD"}`` records a payment (409 when it was recorded meanwhile by
    someone else)."""

    model = StationSubsidy
    serializer_class = StationSubsidySerializer
    filterset_class = StationSubsidyFilterSet
    select_related = ("station", "station__region", "policy")
    ordering_fields = ["year", "amount", "paid_on"]

    @extend_schema(
        request=SubsidyMarkPaidSerializer,
        responses=transition_responses(StationSubsidySerializer),
    )
    @action(detail=True, methods=["post"])
    def mark_paid(self, request: Request, pk: str | None = None) -> Response:
        subsidy = self.get_object()
        params = SubsidyMarkPaidSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        subsidy = services.station_subsidy_mark_paid(
            actor=request.user, subsidy=subsidy, paid_on=params.validated_data["paid_on"]
        )
        return Response(self.get_serializer(subsidy).data)
