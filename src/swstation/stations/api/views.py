from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.stations import selectors, services
from swstation.stations.api.serializers import (
    ConstructionStandardSerializer,
    RoomSerializer,
    ServiceAgencySerializer,
    StationSerializer,
    SubsidyPolicySerializer,
)
from swstation.stations.filtersets import (
    ConstructionStandardFilterSet,
    RoomFilterSet,
    ServiceAgencyFilterSet,
    StationFilterSet,
    SubsidyPolicyFilterSet,
)
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
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
    per built station. What is owed and paid under a policy is a grant: ``/api/v1/grants/``
    with ``policy``, and ``POST /api/v1/grants/generate_subsidies/`` creates a year's."""

    model = SubsidyPolicy
    serializer_class = SubsidyPolicySerializer
    filterset_class = SubsidyPolicyFilterSet
    ordering_fields = ["valid_from", "name", "amount"]
