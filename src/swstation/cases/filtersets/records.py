"""Filters of the assessment, service record and visit schedule lists; the pages and the API
share them. People are filtered by ID (a select of every recipient in a district would be
thousands long) and found by name with ``q``."""

from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import (
    ELDERLY_LEVEL_CHOICES,
    AssessmentReason,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ElderlyStandard,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.cases.selectors.dated import schedules_overdue_on
from swstation.core.dates import add_months
from swstation.core.filtersets import BaseFilterSet
from swstation.projects.models import Project
from swstation.recipients.models import Category
from swstation.stations.models import Station

__all__ = [
    "ChildNeedsAssessmentFilterSet",
    "ElderlyAssessmentFilterSet",
    "ElderlyAssessmentPolicyFilterSet",
    "ServiceRecordFilterSet",
    "VisitScheduleFilterSet",
]

LEVEL_CHOICES = [(level, str(level)) for level in range(4)]


def _visible_stations(request: Any) -> QuerySet[Station]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Station] = Station.objects.visible_to(user).order_by("region__code", "name")
    return queryset


def _visible_projects(request: Any) -> QuerySet[Project]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Project] = Project.objects.visible_to(user)
    return queryset.select_related("station").order_by("station__region__code", "-starts_on")


class MonthFilter(django_filters.Filter):
    """A calendar month (``2026-03``) as a date range, which the date indexes serve."""

    field_class = forms.DateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: date | None) -> QuerySet[Any]:
        if not value:
            return qs
        first = value.replace(day=1)
        return qs.filter(
            **{f"{self.field_name}__gte": first, f"{self.field_name}__lt": add_months(first, 1)}
        )


class DueStateFilter(django_filters.ChoiceFilter):
    """Whether the reassessment date has passed (``overdue``) or comes within 14 days."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "choices",
            [("overdue", _("Overdue")), ("due", _("Due within 14 days"))],
        )
        kwargs.setdefault("label", _("reassessment"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(next_due__lt=today)
        if value == "due":
            return qs.filter(next_due__gte=today, next_due__lte=today + timedelta(days=14))
        return qs


class LatestFilter(django_filters.BooleanFilter):
    """Only each person's latest assessment (``current=true``): the level they are at now, as
    the cockpit counts them."""

    def filter(self, qs: QuerySet[Any], value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        newer = qs.model._default_manager.filter(recipient_id=OuterRef("recipient_id")).filter(
            Q(assessed_on__gt=OuterRef("assessed_on"))
            | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
        )
        return qs.exclude(Exists(newer)) if value else qs.filter(Exists(newer))


class ElderlyAssessmentFilterSet(BaseFilterSet):
    """``level`` is read with ``standard``: the same number means different things under the
    two standards (spec/elderly-assessment-gbt42195.md §8), so a list filtered by level shows
    the standard of each row, and the cockpit links give both."""

    search_fields = ("recipient__name",)

    standard = django_filters.ChoiceFilter(choices=ElderlyStandard.choices, label=_("standard"))
    level = django_filters.ChoiceFilter(choices=ELDERLY_LEVEL_CHOICES, label=_("ability level"))
    current = LatestFilter(label=_("latest assessment of each person"))
    reason = django_filters.ChoiceFilter(choices=AssessmentReason.choices, label=_("reason"))
    rule_gap_resolved = django_filters.BooleanFilter(label=_("level from a gap rule"))
    due = DueStateFilter()
    month = MonthFilter(field_name="assessed_on", label=_("month assessed"))
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    assessor = django_filters.NumberFilter(method="filter_assessor", label=_("assessor (ID)"))
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ElderlyAssessment
        fields = [
            "q",
            "standard",
            "level",
            "current",
            "reason",
            "rule_gap_resolved",
            "due",
            "month",
            "recipient",
            "assessor",
            "region_code",
        ]

    def filter_assessor(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(Q(assessor_id=value) | Q(second_assessor_id=value))


class ElderlyAssessmentPolicyFilterSet(BaseFilterSet):
    search_fields = ("name",)

    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))
    default_standard = django_filters.ChoiceFilter(
        choices=ElderlyStandard.choices, label=_("standard of new assessments")
    )

    class Meta:
        model = ElderlyAssessmentPolicy
        fields = ["q", "valid_on", "default_standard"]

    def filter_valid_on(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.valid_on(value) if value else queryset  # type: ignore[attr-defined]


class ChildNeedsAssessmentFilterSet(BaseFilterSet):
    search_fields = ("recipient__name",)

    risk_level = django_filters.ChoiceFilter(choices=LEVEL_CHOICES, label=_("risk level"))
    due = DueStateFilter()
    month = MonthFilter(field_name="assessed_on", label=_("month assessed"))
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("child (ID)"))
    assessor = django_filters.NumberFilter(field_name="assessor_id", label=_("assessor (ID)"))
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ChildNeedsAssessment
        fields = ["q", "risk_level", "due", "month", "recipient", "assessor", "region_code"]


class ServiceRecordFilterSet(BaseFilterSet):
    search_fields = ("recipient__name", "worker__name", "notes")

    service_type = django_filters.ChoiceFilter(choices=ServiceType.choices, label=_("service type"))
    month = MonthFilter(field_name="served_on", label=_("month"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    in_project = django_filters.BooleanFilter(
        field_name="project", lookup_expr="isnull", exclude=True, label=_("under a project")
    )
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("social worker (ID)"))
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    category = django_filters.ModelChoiceFilter(
        field_name="recipient__categories",
        queryset=Category.objects.all(),
        label=_("recipient category"),
    )
    case = django_filters.NumberFilter(field_name="case_id", label=_("case (ID)"))
    served_after = django_filters.DateFilter(
        field_name="served_on", lookup_expr="gte", label=_("on or after")
    )
    served_before = django_filters.DateFilter(
        field_name="served_on", lookup_expr="lte", label=_("on or before")
    )
    # Picked like every region filter (the person's region), compared on the service's own
    # copy of it, which its indexes serve (core.scoping.prefix_condition).
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code",
        lookup_expr="startswith",
        method="filter_region",
        label=_("region code"),
    )

    class Meta:
        model = ServiceRecord
        fields = [
            "q",
            "service_type",
            "month",
            "station",
            "project",
            "in_project",
            "worker",
            "recipient",
            "category",
            "case",
            "served_after",
            "served_before",
            "region_code",
        ]

    def filter_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.in_region_prefix(value) if value else queryset  # type: ignore[attr-defined]


class VisitScheduleFilterSet(BaseFilterSet):
    search_fields = ("recipient__name", "worker__name", "project__name", "project_text")

    service_type = django_filters.ChoiceFilter(choices=ServiceType.choices, label=_("service type"))
    active = django_filters.BooleanFilter(label=_("active"))
    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("social worker (ID)"))
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )

    overdue_on = django_filters.DateFilter(method="filter_overdue_on", label=_("overdue on"))

    class Meta:
        model = VisitSchedule
        fields = ["q", "service_type", "active", "worker", "recipient", "project", "region_code"]

    def filter_overdue_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """The plans overdue on the day, by the rule the cockpit counts them with for any
        period (cases.selectors.dated, issue 18)."""
        return schedules_overdue_on(queryset, value) if value else queryset
