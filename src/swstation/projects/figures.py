"""The projects' figures of a region and a period, for the cockpit and the stats API (domain.md
§5 "Projects by 1+X+1 category"; issue 12 "Figures"): every number read from the records, each
with the list it counts.

- projects by category and by field: the projects of the region's stations running at the
  period's end, today while it runs (projects.portfolio: approved by then, their period
  including the day, not terminated by then);
- the 1+X+1 completeness rate: of the township stations operating at the period's end under a
  construction standard with a portfolio rule, those running at least its minimums by category
  (the same rule as the compliance checklist);
- projects behind schedule: those followed against the calendar (running, at their midterm,
  closing) with an indicator behind on the period's end (selectors.projects_progress);
- beneficiaries: people with a service under a project in the period, and people enrolled in a
  project at some time of it.

Few queries, whatever the size: a grouped count for the projects, one query of stations, the
progress of the running projects (a handful of grouped queries).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from swstation.projects.models import (
    Project,
    ProjectCategory,
    ProjectEnrolment,
    ProjectField,
)
from swstation.projects.portfolio import running_on_q
from swstation.projects.selectors import FOLLOWED_STATUSES, projects_progress
from swstation.projects.work import summed_work_counts
from swstation.stations.models import Station, StationKind
from swstation.stations.portfolio import active_minimums
from swstation.stations.selectors import construction_standards_in_force, operating_on_q

__all__ = ["ProjectFigures", "project_figures"]


@dataclass
class ProjectFigures:
    prefix: str
    as_of: date
    by_category: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    stations_assessed: int = 0
    stations_complete: int = 0
    behind: int = 0
    followed: int = 0
    people_enrolled: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_category.values())

    @property
    def completeness_rate(self) -> Decimal | None:
        if not self.stations_assessed:
            return None
        return (Decimal(self.stations_complete) / self.stations_assessed).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    def categories(self) -> list[tuple[str, str, int]]:
        return [(v, str(label), self.by_category.get(v, 0)) for v, label in ProjectCategory.choices]

    def fields(self) -> list[tuple[str, str, int]]:
        return [
            (v, str(label), self.by_field[v])
            for v, label in ProjectField.choices
            if self.by_field.get(v)
        ]


def project_figures(*, prefix: str, start: date, as_of: date) -> ProjectFigures:
    """The figures of the region whose code starts with ``prefix`` (already checked against
    the actor's jurisdiction by the caller) for the period ``start`` – ``as_of``; "behind
    schedule" counts the projects' work from the sums kept by month (projects.work:
    ``summed_work_counts``, the cockpit's tallies), as the projects list's filter does."""
    result = ProjectFigures(prefix=prefix, as_of=as_of)
    running = Project.objects.filter(running_on_q(as_of), station__region__code__startswith=prefix)
    for category, fld, n in (
        running.order_by().values_list("category", "field").annotate(Count("pk"))
    ):
        result.by_category[category] = result.by_category.get(category, 0) + n
        result.by_field[fld] = result.by_field.get(fld, 0) + n
    _completeness(result, prefix, as_of)
    followed = list(
        running.filter(status__in=FOLLOWED_STATUSES).select_related("station", "station__region")
    )
    result.followed = len(followed)
    result.behind = sum(
        1
        for row in projects_progress(followed, on=as_of, counts=summed_work_counts).values()
        if row.is_behind
    )
    result.people_enrolled = (
        ProjectEnrolment.objects.filter(
            project__station__region__code__startswith=prefix,
            enrolled_on__lte=as_of,
        )
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=start))
        .values("recipient_id")
        .distinct()
        .count()
    )
    return result


def _completeness(result: ProjectFigures, prefix: str, as_of: date) -> None:
    standard = construction_standards_in_force(day=as_of).get(StationKind.TOWNSHIP)
    minimums = active_minimums(standard.portfolio_minimums) if standard is not None else {}
    if standard is None or not standard.requires_portfolio or not minimums:
        return
    stations = list(
        Station.objects.filter(
            operating_on_q(day=as_of),
            kind=StationKind.TOWNSHIP,
            region__code__startswith=prefix,
        ).values_list("pk", flat=True)
    )
    result.stations_assessed = len(stations)
    counts: dict[int, dict[str, int]] = {}
    for station, category, n in (
        Project.objects.filter(running_on_q(as_of), station_id__in=stations)
        .order_by()
        .values_list("station_id", "category")
        .annotate(Count("pk"))
    ):
        counts.setdefault(station, {})[category] = n
    result.stations_complete = sum(
        1 for pk in stations if all(counts.get(pk, {}).get(c, 0) >= n for c, n in minimums.items())
    )
