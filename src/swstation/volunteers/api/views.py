"""API of the volunteers (issue 13, "Volunteers"). Reads go through selectors.py, writes
through services.py, so the pages and the API share every rule."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.viewsets import ServiceModelViewSet
from swstation.volunteers import filtersets, selectors, services
from swstation.volunteers.api import serializers as volunteer_serializers
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam


class VolunteerViewSet(ServiceModelViewSet):
    """Community volunteers (社区志愿者) attached to a ``station``, each with ``region_code`` (the
    home village, or the town when unknown), ``skills``, ``availability`` and ``active``
    (volunteering today). ``id_number`` and ``phone`` are written in full and always read
    masked, for every role, as recipients' are; station managers and social workers may see
    one in full through ``POST …/{id}/reveal-identity/`` (``field``: ``id_number`` or
    ``phone``, ``purpose``), and every such view is written to the personal-data access log.

    Filters: ``station``, ``team``, ``region_code`` (prefix), ``active``, ``q`` (a name, a
    skill, or an exact identity or phone number, found through its keyed hash)."""

    model = Volunteer
    serializer_class = volunteer_serializers.VolunteerSerializer
    filterset_class = filtersets.VolunteerFilterSet
    ordering_fields = ["name", "registered_on"]
    create_service = services.volunteer_create
    update_service = services.volunteer_update
    record_keyword = "volunteer"
    # The reveal writes a line of the access log, not the record: read scope.
    reading_actions = frozenset({"reveal_identity"})

    def get_queryset(self) -> QuerySet[Volunteer]:
        return selectors.volunteer_list(actor=self.request.user)

    def service_data(self, data: dict[str, Any], creating: bool) -> dict[str, Any]:
        if "id_number" in data:
            data["document_number"] = data.pop("id_number")
        return data

    @extend_schema(
        request=volunteer_serializers.VolunteerRevealSerializer,
        responses={200: volunteer_serializers.VolunteerRevealSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-identity",
        permission_classes=[IsAuthenticated],
        serializer_class=volunteer_serializers.VolunteerRevealSerializer,
    )
    def reveal_identity(self, request: Request, pk: str | None = None) -> Response:
        """The full identity (``field`` = ``id_number``, the default) or phone number of one
        volunteer, with a ``purpose``; station managers and social workers only (403 for other
        roles); every call is logged."""
        volunteer = self.get_object()
        payload = volunteer_serializers.VolunteerRevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        value = services.volunteer_reveal_identity(
            actor=request.user,
            volunteer=volunteer,
            field=payload.validated_data["field"],
            purpose=payload.validated_data["purpose"],
        )
        return Response(
            {"id": volunteer.pk, "field": payload.validated_data["field"], "value": value}
        )


class VolunteerTeamViewSet(ServiceModelViewSet):
    """Volunteer teams (志愿服务队) of a ``station``, in a village or town (``region_code``),
    possibly of a ``project``, with a ``leader`` and ``members`` (volunteers of the station).
    Filters: ``station``, ``region_code`` (prefix), ``q``."""

    model = VolunteerTeam
    serializer_class = volunteer_serializers.VolunteerTeamSerializer
    filterset_class = filtersets.VolunteerTeamFilterSet
    ordering_fields = ["name", "founded_on"]
    create_service = services.volunteer_team_create
    update_service = services.volunteer_team_update
    record_keyword = "team"

    def get_queryset(self) -> QuerySet[VolunteerTeam]:
        return selectors.volunteer_team_list(actor=self.request.user).prefetch_related("members")


class PairingViewSet(ServiceModelViewSet):
    """Pairings (结对): a ``volunteer`` paired with a ``recipient`` (``region_code`` is the
    person's village), visiting ``times_per_month`` from ``starts_on``; the station's social
    ``worker`` answers for it. A visit is a service record to the person naming the volunteer
    (``POST …/{id}/visit/`` with ``served_on``, ``duration_minutes``, optional ``hours`` and
    ``notes`` records one); ``last_visit_on`` and ``next_due_on`` follow from those records.
    Filters: ``station``, ``team``, ``volunteer``, ``recipient``, ``region_code``, ``active``,
    ``due`` (``overdue`` or ``due``), ``q``."""

    model = Pairing
    serializer_class = volunteer_serializers.PairingSerializer
    filterset_class = filtersets.PairingFilterSet
    ordering_fields = ["starts_on", "times_per_month"]
    create_service = services.pairing_create
    update_service = services.pairing_update
    record_keyword = "pairing"

    @property
    def permission_action(self) -> str | None:
        return "change" if getattr(self, "action", None) == "visit" else None

    def get_queryset(self) -> QuerySet[Pairing]:
        return selectors.pairing_list_with_next_due(actor=self.request.user)

    @extend_schema(
        request=volunteer_serializers.PairingVisitSerializer,
        responses={201: volunteer_serializers.ServiceVolunteerSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        serializer_class=volunteer_serializers.PairingVisitSerializer,
    )
    def visit(self, request: Request, pk: str | None = None) -> Response:
        pairing = self.get_object()
        payload = volunteer_serializers.PairingVisitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        row = services.pairing_visit_record(
            actor=request.user, pairing=pairing, **payload.validated_data
        )
        data = volunteer_serializers.ServiceVolunteerSerializer(
            row, context=self.get_serializer_context()
        ).data
        return Response(data, status=201)


class ServiceVolunteerViewSet(ServiceModelViewSet):
    """The volunteers named on service records (``record``), each with the ``hours`` they gave
    (a volunteer's hours are summed from these and from activities, never typed as a total).
    The volunteer must be attached to the record's station and volunteering that day; the
    hours are no longer than the service. Filters: ``volunteer``, ``record``, ``year``,
    ``region_code``, ``q``."""

    model = ServiceVolunteer
    serializer_class = volunteer_serializers.ServiceVolunteerSerializer
    filterset_class = filtersets.ServiceVolunteerFilterSet
    ordering_fields = ["hours"]
    create_service = services.service_volunteer_create
    update_service = services.service_volunteer_update
    record_keyword = "service_volunteer"

    def get_queryset(self) -> QuerySet[ServiceVolunteer]:
        return selectors.service_volunteer_list(actor=self.request.user)

    def perform_destroy(self, instance: ServiceVolunteer) -> None:
        services.service_volunteer_delete(actor=self.request.user, service_volunteer=instance)
