"""API viewsets of assessments, service records and visit schedules; writes go through
services/records.py, as the pages' do."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.cases.api.serializers import records as record_serializers
from swstation.cases.filtersets import records as filtersets
from swstation.cases.models import (
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.selectors import records as selectors
from swstation.cases.services import assessments as assessment_services
from swstation.cases.services import records as services
from swstation.core.api.viewsets import ScopedModelViewSet

__all__ = [
    "ChildNeedsAssessmentViewSet",
    "ElderlyAssessmentPolicyViewSet",
    "ElderlyAssessmentViewSet",
    "ServiceRecordViewSet",
    "VisitScheduleViewSet",
]


# The assessment's own actions, by the permission they need (reading health data: "view").
ELDERLY_ACTION_PERMISSIONS = {"reveal_health_data": "view", "condition_change": "change"}


def _write(serializer: serializers.BaseSerializer, create: Any, update: Any, **kwargs: Any) -> Any:
    data = dict(serializer.validated_data)
    obj = create(**kwargs, **data) if serializer.instance is None else update(**kwargs, **data)
    serializer.instance = obj
    return obj


class ElderlyAssessmentViewSet(ScopedModelViewSet):
    """Elderly capability assessments of both standards, each with its ``standard``
    ("GB/T 42195-2022" or "MZ/T 039-2013") and its ``level``: GB/T 42195 has five levels
    (0 能力完好 … 4 能力完全丧失), MZ/T 039 four (0 能力完好 … 3 重度失能); the same number
    does not mean the same thing under the two, so never add or compare them.

    Send the item scores and conditions; the rest is computed and read-only: GB/T 42195's
    ``subtotals`` (C.1), ``total`` (0–90), ``base_level`` (C.3) and ``level`` (C.5) with
    ``change_reasons`` (C.4) and the ``rules`` of the city's policy it was scored by; MZ/T
    039's grades, ``base_level`` and ``level``, ``rule_gap_resolved`` (a combination the
    table leaves unnamed) and ``table_ambiguous`` (one it names two levels for); ``next_due``
    (the standard's reassessment interval, 6 months unless the city's policy says otherwise).

    Filters: ``standard``, ``level``, ``current`` (each person's latest), ``reason``,
    ``rule_gap_resolved``, ``due`` (overdue, due), ``month`` (YYYY-MM), ``recipient``,
    ``assessor`` (either assessor), ``region_code``, ``q``."""

    model = ElderlyAssessment
    serializer_class = record_serializers.ElderlyAssessmentSerializer
    filterset_class = filtersets.ElderlyAssessmentFilterSet
    ordering_fields = ["assessed_on", "next_due", "standard", "level", "total"]

    reading_actions = frozenset({"reveal_health_data"})

    @property
    def permission_action(self) -> str | None:
        return ELDERLY_ACTION_PERMISSIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[ElderlyAssessment]:
        return selectors.elderly_assessment_list(actor=self.request.user)

    @extend_schema(
        request=record_serializers.HealthDataRevealSerializer,
        responses=record_serializers.HealthDataSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-health-data",
        serializer_class=record_serializers.HealthDataRevealSerializer,
    )
    def reveal_health_data(self, request: Request, pk: str | None = None) -> Response:
        """The assessment's health data — GB/T 42195's ``diagnoses`` (ICD-10) and
        ``by_psychiatrist``, MZ/T 039's ``mental_illness`` — which the assessment's own answer
        never carries; for the roles that may read health data (403 for auditors), every call
        written in the personal-data access log with its ``purpose``."""
        assessment = self.get_object()
        payload = record_serializers.HealthDataRevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = assessment_services.elderly_assessment_reveal_health_data(
            actor=request.user, assessment=assessment, purpose=payload.validated_data["purpose"]
        )
        return Response({"id": assessment.pk, "health_data": data})

    @extend_schema(
        request=record_serializers.ConditionChangeSerializer,
        responses=record_serializers.ElderlyAssessmentSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="condition-change",
        serializer_class=record_serializers.ConditionChangeSerializer,
    )
    def condition_change(self, request: Request, pk: str | None = None) -> Response:
        """Report a change in the person's condition (``changed_on``, ``note``): their latest
        assessment is due again at once (an immediate reassessment in the due lists)."""
        assessment = self.get_object()
        payload = record_serializers.ConditionChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            latest = assessment_services.elderly_condition_change_report(
                actor=request.user,
                recipient=assessment.recipient,
                changed_on=payload.validated_data["changed_on"],
                note=payload.validated_data["note"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            ) from exc
        answer = record_serializers.ElderlyAssessmentSerializer(
            latest, context=self.get_serializer_context()
        )
        return Response(answer.data)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        if serializer.instance is not None:
            serializer.validated_data.pop("standard", None)
            return _write(
                serializer,
                None,
                services.elderly_assessment_update,
                actor=self.request.user,
                assessment=serializer.instance,
            )
        return _write(serializer, services.elderly_assessment_create, None, actor=self.request.user)


class ElderlyAssessmentPolicyViewSet(ScopedModelViewSet):
    """The city's elderly assessment policy (policy data with validity dates; the city bureau
    writes it): the standard of new assessments, the stations still under MZ/T 039-2013, each
    standard's reassessment interval and the configurable GB/T 42195-2022 rules.

    Filters: ``valid_on``, ``default_standard``, ``q``."""

    model = ElderlyAssessmentPolicy
    serializer_class = record_serializers.ElderlyAssessmentPolicySerializer
    filterset_class = filtersets.ElderlyAssessmentPolicyFilterSet
    ordering_fields = ["valid_from", "name"]

    def get_queryset(self) -> QuerySet[ElderlyAssessmentPolicy]:
        return selectors.elderly_assessment_policy_list(actor=self.request.user)


class ChildNeedsAssessmentViewSet(ScopedModelViewSet):
    """Needs assessments of children in difficulty with the personalised help plan. The risk
    level (0–3) and ``next_due`` (6 months on, 3 when the risk level is 2 or more) are
    computed. Not shown to auditors.

    Filters: ``risk_level``, ``due``, ``month``, ``recipient``, ``assessor``, ``region_code``."""

    model = ChildNeedsAssessment
    serializer_class = record_serializers.ChildNeedsAssessmentSerializer
    filterset_class = filtersets.ChildNeedsAssessmentFilterSet
    ordering_fields = ["assessed_on", "next_due", "risk_level"]

    def get_queryset(self) -> QuerySet[ChildNeedsAssessment]:
        return selectors.child_needs_assessment_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        if serializer.instance is not None:
            serializer.validated_data.pop("instrument", None)
            return _write(
                serializer,
                None,
                services.child_needs_assessment_update,
                actor=self.request.user,
                assessment=serializer.instance,
            )
        return _write(
            serializer, services.child_needs_assessment_create, None, actor=self.request.user
        )


class ServiceRecordViewSet(ScopedModelViewSet):
    """Services given to recipients. The worker must belong to the station (which defaults
    to the worker's); the date is not in the future.

    Filters: ``service_type``, ``month`` (YYYY-MM), ``station``, ``worker``, ``recipient``,
    ``category`` (recipient category), ``case``, ``served_after``, ``served_before``,
    ``region_code``, ``q`` (recipient, worker, notes)."""

    model = ServiceRecord
    serializer_class = record_serializers.ServiceRecordSerializer
    filterset_class = filtersets.ServiceRecordFilterSet
    ordering_fields = ["served_on", "duration_minutes"]

    def get_queryset(self) -> QuerySet[ServiceRecord]:
        return selectors.service_record_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        if serializer.instance is not None:
            return _write(
                serializer,
                None,
                services.service_record_update,
                actor=self.request.user,
                record=serializer.instance,
            )
        return _write(serializer, services.service_record_create, None, actor=self.request.user)


class VisitScheduleViewSet(ScopedModelViewSet):
    """Regular visits planned for a recipient ("health visit twice a month"); the due and
    overdue lists are computed from them and the service records.

    Filters: ``service_type``, ``active``, ``worker``, ``recipient``, ``region_code``, ``q``."""

    model = VisitSchedule
    serializer_class = record_serializers.VisitScheduleSerializer
    filterset_class = filtersets.VisitScheduleFilterSet
    ordering_fields = ["starts_on", "times_per_month"]

    def get_queryset(self) -> QuerySet[VisitSchedule]:
        return selectors.visit_schedule_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        if serializer.instance is not None:
            return _write(
                serializer,
                None,
                services.visit_schedule_update,
                actor=self.request.user,
                schedule=serializer.instance,
            )
        return _write(serializer, services.visit_schedule_create, None, actor=self.request.user)
