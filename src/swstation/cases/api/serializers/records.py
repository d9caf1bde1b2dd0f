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
    ElderlyAssessmentPolicy,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.services.records import DEFAULT_CHILD_INSTRUMENT
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.projects.models import Project
from swstation.recipients.models import Recipient
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "ChildNeedsAssessmentSerializer",
    "ElderlyAssessmentPolicySerializer",
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


def _project_field() -> serializers.PrimaryKeyRelatedField:
    """The project a record is done under (issue 12); the services check it serves the
    person on the day."""
    return serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The project (id) the work is done under; null for none."),
    )


def _worker_field(**extra: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all(), **extra)


class ElderlyAssessmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An assessment of either standard. ``standard`` ("GB/T 42195-2022" or "MZ/T 039-2013")
    says how ``level`` and the other results read: never compare or add the levels of two
    standards (spec/elderly-assessment-gbt42195.md §8)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:elderlyassessment-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    case = _case_field()
    assessor = _worker_field()
    assessor_name = serializers.CharField(source="assessor.name", read_only=True)
    second_assessor = _worker_field()
    second_assessor_name = serializers.CharField(source="second_assessor.name", read_only=True)
    standard = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=_(
            "The standard the items are scored by. Left out: the one the city's policy sets for "
            "new assessments on that day (GB/T 42195-2022 from 2023); MZ/T 039-2013 only at a "
            "station the policy lists. Fixed once the assessment exists."
        ),
    )
    items = serializers.JSONField(
        help_text=_(
            'Item scores by dimension. GB/T 42195-2022: {"self_care": {"eating": 4, ...}, '
            '"basic_mobility": {...}, "mental_state": {...}, "perception_social": {...}}, 26 '
            "items, higher is more able. MZ/T 039-2013: "
            '{"adl": {"eating": 10, ...}, "mental": {...}, "perception": {"consciousness": 0, '
            '...}, "social": {...}}; a person in a coma (perception.consciousness = 3) may have '
            "only that item."
        )
    )
    adjustments = serializers.JSONField(
        required=False,
        help_text=_(
            'GB/T 42195-2022 base information: {"coma": false, "diagnoses": ["F00.1", "I10"] '
            '(ICD-10), "by_psychiatrist": false (the F04-F99 diagnoses), "falls": 0-3, '
            '"getting_lost": 0-3, "choking": 0-3, "suicide_self_harm": 0-3, "other": 0-3} '
            "(care-risk events in the last 30 days, 3 = three or more). MZ/T 039-2013 C.3: "
            '{"dementia": "none|mild|moderate|severe", "mental_illness": "" or a diagnosis '
            'code, "falls": 0-3, "choking": 0-3, "suicide_attempts": 0-3, "getting_lost": 0-3}. '
            "The diagnoses (and by_psychiatrist, mental_illness) are health data: written "
            "here, stored encrypted, never returned; read them with the reveal-health-data "
            "action (logged). Conditions left out of an update keep their values."
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
            "reason_note",
            "assessor",
            "assessor_name",
            "second_assessor",
            "second_assessor_name",
            "place",
            "informant_name",
            "informant_relation",
            "items",
            "adjustments",
            "adl_grade",
            "mental_grade",
            "perception_grade",
            "social_grade",
            "subtotals",
            "total",
            "base_level",
            "level",
            "level_name",
            "change_reasons",
            "rules",
            "rule_gap_resolved",
            "table_ambiguous",
            "next_due",
            "condition_changed_on",
            "condition_change_note",
        ]
        read_only_fields = [
            "adl_grade",
            "mental_grade",
            "perception_grade",
            "social_grade",
            "subtotals",
            "total",
            "base_level",
            "level",
            "change_reasons",
            "rules",
            "rule_gap_resolved",
            "table_ambiguous",
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


class HealthDataRevealSerializer(serializers.Serializer):
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class HealthDataSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    health_data = serializers.JSONField(
        help_text=_(
            'GB/T 42195-2022: {"diagnoses": ["F00.1", "I10"], "by_psychiatrist": false}; '
            'MZ/T 039-2013: {"mental_illness": "..."}; {} when none is recorded.'
        )
    )


class ConditionChangeSerializer(serializers.Serializer):
    changed_on = serializers.DateField()
    note = serializers.CharField(max_length=200)


class ElderlyAssessmentPolicySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:elderlyassessmentpolicy-detail")
    mzt039_stations = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), many=True, required=False
    )

    class Meta:
        model = ElderlyAssessmentPolicy
        fields = [
            "id",
            "url",
            "name",
            "valid_from",
            "valid_to",
            "default_standard",
            "mzt039_stations",
            "gbt42195_reassess_months",
            "mzt039_reassess_months",
            "level0_min_total",
            "level1_min_total",
            "level2_min_total",
            "level3_min_total",
            "risk_threshold",
            "risk_count",
            "count_other_events",
            "cumulative",
            "coma_level",
            "coma_items_optional",
            "dementia_codes",
            "disorder_codes",
            "qualified_assessors_only",
            "social_work_certificate_qualifies",
        ]


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
    project = _project_field()

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
            "notes",
            "project",
        ]


class VisitScheduleSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:visitschedule-detail")
    recipient = _recipient_field()
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    worker = _worker_field()
    project = _project_field()
    project_text = serializers.CharField(
        read_only=True,
        help_text=_("The project as written before projects were records, where none matched."),
    )

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
            "project_text",
            "starts_on",
            "ends_on",
            "active",
        ]
