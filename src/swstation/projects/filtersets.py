"""Filters of the project and enrolment lists; the pages and the API share them."""

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.projects.models import (
    AttachmentKind,
    FundingLevel,
    IndicatorMeasure,
    Project,
    ProjectAttachment,
    ProjectCategory,
    ProjectEnrolment,
    ProjectField,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.portfolio import running_on_q
from swstation.projects.selectors import projects_behind_pks
from swstation.recipients.models import Category
from swstation.stations.models import Station


def _visible_stations(request: Any) -> QuerySet[Station]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Station] = Station.objects.visible_to(user).order_by("region__code", "name")
    return queryset


def _visible_projects(request: Any) -> QuerySet[Project]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Project] = Project.objects.visible_to(user).order_by("name")
    return queryset


class ProjectFilterSet(BaseFilterSet):
    """``q`` searches the name, the station and the lead; ``region_code`` is a prefix of the
    station's region code (a district, a township); ``year`` keeps the projects running at
    some time of that year; ``active_on`` those running on that day."""

    search_fields = ("name", "station__name", "lead__name")

    category = django_filters.ChoiceFilter(choices=ProjectCategory.choices, label=_("category"))
    field = django_filters.ChoiceFilter(choices=ProjectField.choices, label=_("service field"))
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    funding_level = django_filters.ChoiceFilter(
        choices=FundingLevel.choices, label=_("funding asked")
    )
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    target_group = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="code",
        field_name="target_groups",
        label=_("target group"),
        distinct=True,
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("year"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("running on"))
    behind = django_filters.BooleanFilter(method="filter_behind", label=_("behind schedule"))
    # Bounded: the filter builds a date from it, and year 0 is no date (a 500 before).
    running_year = django_filters.NumberFilter(
        method="filter_running_year", label=_("running in the year"), min_value=1, max_value=9999
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "category",
            "field",
            "status",
            "funding_level",
            "station",
            "region_code",
            "target_group",
            "year",
            "active_on",
            "behind",
            "running_year",
        ]

    def filter_running_year(
        self, queryset: QuerySet[Any], name: str, value: int | None
    ) -> QuerySet[Any]:
        """Running at the year's end, or today while it runs (projects.portfolio): what the
        cockpit and the compliance checklist count."""
        if value is None:
            return queryset
        day = min(date(int(value), 12, 31), timezone.localdate())
        return queryset.filter(running_on_q(day))

    def filter_behind(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        """Projects running with an indicator behind schedule today (selectors.
        projects_behind_q): the figure the cockpit links here."""
        if value is None:
            return queryset
        behind = projects_behind_pks(queryset)
        return queryset.filter(pk__in=behind) if value else queryset.exclude(pk__in=behind)

    def filter_year(self, queryset: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)

    def filter_active_on(
        self, queryset: QuerySet[Any], name: str, value: date | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(
            starts_on__lte=value,
            ends_on__gte=value,
            status__in=(ProjectStatus.RUNNING, ProjectStatus.MIDTERM, ProjectStatus.CLOSING),
        )


class ProjectEnrolmentFilterSet(BaseFilterSet):
    """``q`` searches the person and the project; ``current`` keeps the people still enrolled
    (yes) or those who left (no)."""

    search_fields = ("recipient__name", "project__name")

    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=ProjectCategory.choices, label=_("category")
    )
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )
    current = django_filters.BooleanFilter(method="filter_current", label=_("still enrolled"))
    enrolled_year = django_filters.NumberFilter(
        field_name="enrolled_on", lookup_expr="year", label=_("year of enrolment")
    )

    class Meta:
        model = ProjectEnrolment
        fields = ["q", "project", "category", "region_code", "current", "enrolled_year"]

    def filter_current(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        still = Q(exited_on__isnull=True) | Q(exited_on__gt=today)
        return queryset.filter(still) if value else queryset.exclude(still)


class ProjectIndicatorFilterSet(BaseFilterSet):
    search_fields = ("name", "objective", "project__name")

    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    measure = django_filters.ChoiceFilter(choices=IndicatorMeasure.choices, label=_("measured by"))
    region_code = django_filters.CharFilter(
        field_name="project__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = ProjectIndicator
        fields = ["q", "project", "measure", "region_code"]


class ProjectReportFilterSet(BaseFilterSet):
    search_fields = ("project__name", "outcomes")

    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=ProjectCategory.choices, label=_("category")
    )
    region_code = django_filters.CharFilter(
        field_name="project__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )
    year = django_filters.NumberFilter(
        field_name="written_on", lookup_expr="year", label=_("year written")
    )

    class Meta:
        model = ProjectReport
        fields = ["q", "category", "region_code", "year"]


class ProjectAttachmentFilterSet(BaseFilterSet):
    search_fields = ("title", "project__name")

    project = django_filters.ModelChoiceFilter(queryset=_visible_projects, label=_("project"))
    kind = django_filters.ChoiceFilter(choices=AttachmentKind.choices, label=_("kind"))
    region_code = django_filters.CharFilter(
        field_name="project__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = ProjectAttachment
        fields = ["q", "project", "kind", "region_code"]
