"""Serializers of assessments, service records and visit schedules. Scores, grades, levels,
risk levels and due dates are read-only: services/records.py computes them."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.cases.instruments.registry import (
    child_instrument,
    child_instrument_names,
    elderly_instrument,
    elderly_standards,
)
from swstation.cases.models import (
    Case,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.services.records import DEFAULT_CHILD_INSTRUMENT, DEFAULT_ELDERLY_STANDARD
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.recipients.models import Recipient
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "ChildNeedsAssessmentSerializer",
    "ElderlyAssessmentSerializer",
    "ServiceRecordSerializer",
    "VisitScheduleSerializer",
]


def _recipient_field(**extra: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all(), **extra)


def _case_field() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.all(), required=False, allow_null=True
    )


def _worker_field(**extra: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all(), **extra)


class ElderlyAssessmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:elderlyassessment-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    case = _case_field()
    assessor = _worker_field()
    second_assessor = _worker_field()
    standard = serializers.ChoiceField(
        choices=[],
        default=DEFAULT_ELDERLY_STANDARD,
        help_text=_("The instrument that scores the items; fixed once the assessment exists."),
    )
    items = serializers.JSONField(
        help_text=_(
            'Item scores by dimension: {"adl": {"eating": 10, ...}, "mental": {...}, '
            '"perception": {"consciousness": 0, ...}, "social": {...}}. A person in a coma '
            "(perception.consciousness = 3) may have only that item."
        )
    )
    adjustments = serializers.JSONField(
        required=False,
        help_text=_(
            'C.3 conditions: {"dementia": "none|mild|moderate|severe", "mental_illness": "" or '
            'a diagnosis code, "falls": 0-3, "choking": 0-3, "suicide_attempts": 0-3, '
            '"getting_lost": 0-3} (3 = three or more in the last 30 days).'
        ),
    )
    level_name = serializers.SerializerMethodField()

    class Meta:
        model = ElderlyAssessment
        fields = [
            "id",
            "url",
            "recipient",
            "recipient_name",
            "case",
            "standard",
            "assessed_on",
            "reason",
            "assessor",
            "second_assessor",
            "items",
            "adjustments",
            "adl_grade",
            "mental_grade",
            "perception_grade",
            "social_grade",
            "base_level",
            "level",
            "level_name",
            "rule_gap_resolved",
            "next_due",
        ]
        read_only_fields = [
            "adl_grade",
            "mental_grade",
            "perception_grade",
            "social_grade",
            "base_level",
            "level",
            "rule_gap_resolved",
            "next_due",
        ]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        standard = fields["standard"]
        assert isinstance(standard, serializers.ChoiceField)
        standard.choices = elderly_standards()
        return fields

    def get_level_name(self, obj: ElderlyAssessment) -> str:
        try:
            return str(elderly_instrument(obj.standard).level_names.get(obj.level, ""))
        except KeyError:
            return ""


class ChildNeedsAssessmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:childneedsassessment-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    case = _case_field()
    assessor = _worker_field()
    instrument = serializers.ChoiceField(choices=[], default=DEFAULT_CHILD_INSTRUMENT)
    needs = serializers.JSONField(
        help_text=_(
            "Scores 0-3 of the domains safety, health, education, family_care, psychology and "
            'social_support: {"safety": 2, ...} or {"safety": {"score": 2, "note": "..."}, ...}.'
        )
    )
    risk_name = serializers.SerializerMethodField()

    class Meta:
        model = ChildNeedsAssessment
        fields = [
            "id",
            "url",
            "recipient",
            "recipient_name",
            "case",
            "instrument",
            "assessed_on",
            "assessor",
            "needs",
            "risk_level",
            "risk_name",
            "help_plan",
            "next_due",
        ]
        read_only_fields = ["risk_level", "next_due"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        instrument = fields["instrument"]
        assert isinstance(instrument, serializers.ChoiceField)
        instrument.choices = child_instrument_names()
        return fields

    def get_risk_name(self, obj: ChildNeedsAssessment) -> str:
        try:
            return str(child_instrument(obj.instrument).risk_names.get(obj.risk_level, ""))
        except KeyError:
            return ""


class ServiceRecordSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:servicerecord-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    case = _case_field()
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(),
        required=False,
        help_text=_("Defaults to the worker's station; the worker must belong to it."),
    )
    worker = _worker_field()
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "url",
            "recipient",
            "recipient_name",
            "case",
            "station",
            "worker",
            "worker_name",
            "served_on",
            "service_type",
            "duration_minutes",
            "place",
            "volunteers",
            "notes",
        ]


class VisitScheduleSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:visitschedule-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    worker = _worker_field()

    class Meta:
        model = VisitSchedule
        fields = [
            "id",
            "url",
            "recipient",
            "recipient_name",
            "worker",
            "service_type",
            "times_per_month",
            "project",
            "starts_on",
            "ends_on",
            "active",
        ]
