"""Serializers of the case API: cases, goals, transfers, and the bodies of the stage actions."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.cases.models import (
    Case,
    CaseGoal,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ClosingReason,
)
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.recipients.models import Recipient
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker, Supervisor

__all__ = [
    "CaseAdvanceSerializer",
    "CaseApproveClosureSerializer",
    "CaseClosureRequestSerializer",
    "CaseGoalSerializer",
    "CaseReasonSerializer",
    "CaseReopenSerializer",
    "CaseSerializer",
    "CaseStageChangeSerializer",
    "CaseTransferRequestSerializer",
    "CaseTransferSerializer",
]


class CaseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:case-detail")
    recipient = serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all())
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    worker = serializers.PrimaryKeyRelatedField(
        queryset=SocialWorker.objects.all(),
        help_text=_("The responsible social worker: a member of the station's staff."),
    )
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Supervisor.objects.all(), required=False, allow_null=True
    )
    supervisor_name = serializers.CharField(
        source="supervisor.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "number",
            "stage",
            "recipient",
            "recipient_name",
            "station",
            "station_name",
            "worker",
            "worker_name",
            "supervisor",
            "supervisor_name",
            "opened_on",
            "presenting_problem",
            "assessment_summary",
            "intervention_summary",
            "evaluation_summary",
            "closing_summary",
            "closing_reason",
            "closure_requested_at",
            "closure_approved_by",
            "closed_on",
            "reopened_count",
        ]
        # The number is generated; the stage and the closure move through the action
        # endpoints (advance, request-closure, approve-closure, reopen, transfer).
        read_only_fields = [
            "number",
            "stage",
            "closing_summary",
            "closing_reason",
            "closure_requested_at",
            "closure_approved_by",
            "closed_on",
            "reopened_count",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {"opened_on": {"required": False}}

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """With the list's ``as_of`` (a day: filtersets/cases.py), a case as it was that day,
        as the page shows it: its stage, closure and reopenings then (``station`` stays the
        station it is at now; the list's ``region_code`` filters on the one of then)."""
        data: dict[str, Any] = super().to_representation(instance)
        if getattr(instance, "as_of_day", None) is None:
            return data
        data["stage"] = getattr(instance, "stage_on", None) or instance.stage
        closed = getattr(instance, "closed_on_then", None)
        data["closed_on"] = closed.isoformat() if closed else None
        data["reopened_count"] = getattr(instance, "reopened_count_then", instance.reopened_count)
        return data


class CaseAdvanceSerializer(serializers.Serializer):
    """Move to the next stage (never skipping one), writing the texts it needs."""

    to_stage = serializers.ChoiceField(choices=CaseStage.choices)
    presenting_problem = serializers.CharField(required=False, allow_blank=True)
    assessment_summary = serializers.CharField(required=False, allow_blank=True)
    intervention_summary = serializers.CharField(required=False, allow_blank=True)
    evaluation_summary = serializers.CharField(required=False, allow_blank=True)
    changed_on = serializers.DateField(required=False, allow_null=True)


class CaseClosureRequestSerializer(serializers.Serializer):
    """Ask the case's supervisor to close it (at the evaluation stage)."""

    closing_summary = serializers.CharField(required=False, allow_blank=True, default="")
    closing_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("One of: %(reasons)s.") % {"reasons": ", ".join(ClosingReason.values)},
    )
    evaluation_summary = serializers.CharField(required=False, allow_blank=True)


class CaseReasonSerializer(serializers.Serializer):
    """Reopen a closed case, or return a closure request: why."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReopenSerializer(CaseReasonSerializer):
    """Reopen a closed case: why, and the day it was reopened if not today."""

    changed_on = serializers.DateField(required=False, allow_null=True)


class CaseApproveClosureSerializer(serializers.Serializer):
    """Approve a pending closure: the day the case closed, if not today."""

    closed_on = serializers.DateField(required=False, allow_null=True)


class CaseTransferRequestSerializer(ScopedSerializerMixin, serializers.Serializer):
    """Hand the case to another worker (and station: by default the worker's own)."""

    to_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    to_station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    transferred_on = serializers.DateField(required=False, allow_null=True)


class CaseGoalSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:casegoal-detail")
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseGoal
        fields = [
            "id",
            "url",
            "case",
            "case_number",
            "description",
            "actions",
            "target_date",
            "achieved",
        ]


class CaseTransferSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:casetransfer-detail")
    case_number = serializers.CharField(source="case.number", read_only=True)
    from_worker_name = serializers.CharField(source="from_worker.name", read_only=True)
    to_worker_name = serializers.CharField(source="to_worker.name", read_only=True)
    from_station_name = serializers.CharField(source="from_station.name", read_only=True)
    to_station_name = serializers.CharField(source="to_station.name", read_only=True)

    class Meta:
        model = CaseTransfer
        fields = [
            "id",
            "url",
            "case",
            "case_number",
            "transferred_on",
            "from_worker",
            "from_worker_name",
            "to_worker",
            "to_worker_name",
            "from_station",
            "from_station_name",
            "to_station",
            "to_station_name",
            "reason",
        ]
        read_only_fields = fields


class CaseStageChangeSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """One step of a case's stage log (read-only: the case services write it)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:casestagechange-detail")
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseStageChange
        fields = [
            "id",
            "url",
            "case",
            "case_number",
            "from_stage",
            "to_stage",
            "changed_on",
            "changed_by",
            "reason",
        ]
        read_only_fields = fields
