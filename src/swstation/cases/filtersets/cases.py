"""Filters of the case lists (cases, goals, transfers); the pages and the API share them."""

from datetime import date
from typing import Any

import django_filters
from django.db.models import Case as Choose
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import (
    Case,
    CaseGoal,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ClosingReason,
)
from swstation.cases.selectors.dated import cases_as_of
from swstation.core.filtersets import BaseFilterSet
from swstation.stations.models import Station
from swstation.workforce.models import Supervisor

__all__ = [
    "CaseFilterSet",
    "CaseGoalFilterSet",
    "CaseStageChangeFilterSet",
    "CaseTransferFilterSet",
]


def _visible_stations(request: Any) -> QuerySet[Station]:
    """Station choices of a filter: the stations the requesting user may see."""
    user = getattr(request, "user", None)
    queryset: QuerySet[Station] = Station.objects.visible_to(user).order_by("region__code", "name")
    return queryset


def _visible_supervisors(request: Any) -> QuerySet[Supervisor]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Supervisor] = Supervisor.objects.visible_to(user).order_by("name")
    return queryset


def _as_they_were(queryset: QuerySet[Any], on: date) -> QuerySet[Any]:
    """What the case list shows of a case on ``on`` besides its stage then (``stage_on``):
    ``as_of_day`` itself; ``closed_on_then``, the day of its last closure by then when it
    was closed that day (a case closed since, or closed, reopened and closed again, shows
    the closure it had then), else nothing; ``station_name_then``, the station it was at
    (by the rule of ``region_code_on``, cases.selectors.dated); ``reopened_count_then``, the
    times it had been reopened by then (the stage log's reopenings)."""
    transfers = CaseTransfer.objects.filter(case=OuterRef("pk"))
    station_after = (
        transfers.filter(transferred_on__lte=on)
        .order_by("-transferred_on", "-pk")
        .values("to_station__name")[:1]
    )
    station_before = transfers.order_by("transferred_on", "pk").values("from_station__name")[:1]
    closure = (
        CaseStageChange.objects.filter(
            case=OuterRef("pk"), to_stage=CaseStage.CLOSED, changed_on__lte=on
        )
        .order_by("-changed_on", "-pk")
        .values("changed_on")[:1]
    )
    reopenings = (
        CaseStageChange.objects.filter(
            case=OuterRef("pk"), from_stage=CaseStage.CLOSED, changed_on__lte=on
        )
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        as_of_day=Value(on, output_field=DateField()),
        reopened_count_then=Coalesce(Subquery(reopenings, output_field=IntegerField()), Value(0)),
        station_name_then=Coalesce(
            Subquery(station_after, output_field=CharField()),
            Subquery(station_before, output_field=CharField()),
            F("station__name"),
        ),
        closed_on_then=Choose(
            When(
                stage_on=CaseStage.CLOSED,
                then=Coalesce(Subquery(closure, output_field=DateField()), F("closed_on")),
            ),
            default=None,
            output_field=DateField(),
        ),
    )


class CaseFilterSet(BaseFilterSet):
    """With ``as_of`` (a day), the list holds the cases as they were that day (issue 18, the
    cockpit's figures of a past period): opened by then, ``stage`` their stage that day and
    ``region_code`` the region of their station that day (cases.selectors.dated)."""

    search_fields = ("number", "recipient__name", "worker__name")

    as_of = django_filters.DateFilter(method="filter_as_of", label=_("as of"))
    stage = django_filters.MultipleChoiceFilter(
        choices=CaseStage.choices, method="filter_stage", label=_("stage")
    )
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    worker = django_filters.NumberFilter(field_name="worker_id", label=_("social worker (ID)"))
    supervisor = django_filters.ModelChoiceFilter(
        queryset=_visible_supervisors, label=_("supervisor")
    )
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    opened_year = django_filters.NumberFilter(
        field_name="opened_on", lookup_expr="year", label=_("year opened")
    )
    opened_after = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("opened on or after")
    )
    opened_before = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("opened on or before")
    )
    closure_pending = django_filters.BooleanFilter(
        method="filter_closure_pending", label=_("closure awaiting approval")
    )
    closing_reason = django_filters.ChoiceFilter(
        choices=ClosingReason.choices, label=_("closing reason")
    )
    region_code = django_filters.CharFilter(
        field_name="station__region__code",
        lookup_expr="startswith",
        method="filter_region_code",
        label=_("region code"),
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "as_of",
            "stage",
            "station",
            "worker",
            "supervisor",
            "recipient",
            "opened_year",
            "opened_after",
            "opened_before",
            "closure_pending",
            "closing_reason",
            "region_code",
        ]

    def _as_of(self) -> date | None:
        value: date | None = self.form.cleaned_data.get("as_of")
        return value

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        on = self._as_of() if self.form.is_valid() else None
        if on is not None:
            queryset = _as_they_were(cases_as_of(queryset, on), on)
        return super().filter_queryset(queryset)

    def filter_as_of(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # applied first, in filter_queryset

    def filter_stage(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        field = "stage_on" if self._as_of() else "stage"
        return queryset.filter(**{f"{field}__in": value})

    def filter_region_code(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        field = "region_code_on" if self._as_of() else "station__region__code"
        return queryset.filter(**{f"{field}__startswith": value})

    def filter_closure_pending(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        pending = Q(stage=CaseStage.EVALUATION, closure_requested_at__isnull=False)
        return queryset.filter(pending) if value else queryset.exclude(pending)


class CaseGoalFilterSet(BaseFilterSet):
    search_fields = ("description", "case__number", "case__recipient__name")

    case = django_filters.NumberFilter(field_name="case_id", label=_("case (ID)"))
    achieved = django_filters.BooleanFilter(label=_("achieved"))
    stage = django_filters.ChoiceFilter(
        field_name="case__stage", choices=CaseStage.choices, label=_("stage of the case")
    )
    target_before = django_filters.DateFilter(
        field_name="target_date", lookup_expr="lte", label=_("target date on or before")
    )

    class Meta:
        model = CaseGoal
        fields = ["q", "case", "achieved", "stage", "target_before"]


class CaseTransferFilterSet(BaseFilterSet):
    search_fields = ("case__number", "case__recipient__name", "reason")

    case = django_filters.NumberFilter(field_name="case_id", label=_("case (ID)"))
    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, method="filter_station", label=_("from or to station")
    )
    year = django_filters.NumberFilter(
        field_name="transferred_on", lookup_expr="year", label=_("year")
    )

    class Meta:
        model = CaseTransfer
        fields = ["q", "case", "station", "year"]

    def filter_station(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(Q(from_station=value) | Q(to_station=value))


class CaseStageChangeFilterSet(BaseFilterSet):
    """The stage log (read-only, written by the case services): ``case`` (ID), ``recipient``
    (ID), ``station``, ``from_stage``/``to_stage`` (several allowed; ``opened`` for the
    openings), the date by range, ``q`` (case number, person's name, reason)."""

    search_fields = ("case__number", "case__recipient__name", "reason")

    case = django_filters.NumberFilter(field_name="case_id", label=_("case (ID)"))
    recipient = django_filters.NumberFilter(
        field_name="case__recipient_id", label=_("recipient (ID)")
    )
    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, field_name="case__station", label=_("station")
    )
    to_stage = django_filters.MultipleChoiceFilter(choices=CaseStage.choices, label=_("to stage"))
    from_stage = django_filters.MultipleChoiceFilter(
        choices=CaseStage.choices, label=_("from stage")
    )
    opened = django_filters.BooleanFilter(
        field_name="from_stage", method="filter_opened", label=_("opening of the case")
    )
    changed_after = django_filters.DateFilter(
        field_name="changed_on", lookup_expr="gte", label=_("changed on or after")
    )
    changed_before = django_filters.DateFilter(
        field_name="changed_on", lookup_expr="lte", label=_("changed on or before")
    )

    class Meta:
        model = CaseStageChange
        fields = [
            "q",
            "case",
            "recipient",
            "station",
            "to_stage",
            "from_stage",
            "opened",
            "changed_after",
            "changed_before",
        ]

    def filter_opened(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(from_stage="") if value else queryset.exclude(from_stage="")
