"""The stations' "1+X+1" portfolio, read from the projects for the stations app's port
(stations/portfolio.py; domain.md §1, §5; issue 12 "Portfolio rule per station and year").

A project runs at its station on a day when it was approved by then (立项, whatever came
after), its period includes the day, and it was not terminated by then. A station's portfolio
of a year is judged as of the year's end (today while the year runs), as every stock of the
compliance checklist and the cockpit is: a project that ended in March does not make up for a
missing one in December. The rule (how many of each category) is the construction standard's
data; this module only counts.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse

from swstation.projects.models import Project, ProjectCategory, ProjectStatus
from swstation.stations.portfolio import PortfolioSource

__all__ = ["PORTFOLIO_SOURCE", "running_on", "running_on_q"]


def running_on_q(day: date, prefix: str = "") -> Q:
    """Projects running on ``day`` (see the module)."""
    return (
        Q(
            **{
                f"{prefix}approved_on__lte": day,
                f"{prefix}starts_on__lte": day,
                f"{prefix}ends_on__gte": day,
            }
        )
        & ~Q(**{f"{prefix}status": ProjectStatus.PROPOSED})
        & (Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": day}))
    )


def running_on(day: date) -> QuerySet[Project]:
    return Project.objects.filter(running_on_q(day))


def _running_counts(stations: Sequence[int], day: date) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for station, category, n in (
        running_on(day)
        .filter(station_id__in=stations)
        .order_by()
        .values_list("station_id", "category")
        .annotate(Count("pk"))
    ):
        counts.setdefault(station, {})[category] = n
    return counts


def _complete_q(minimums: Mapping[str, int], day: date) -> Q:
    condition = Q()
    for category, minimum in sorted(minimums.items()):
        mine = running_on(day).filter(station_id=OuterRef("pk"), category=category)
        if minimum <= 1:
            condition &= Q(Exists(mine))
        else:
            count = Subquery(
                mine.order_by().values("station_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            )
            condition &= Q(GreaterThanOrEqual(Coalesce(count, 0), minimum))
    return condition


def _station_projects_url(station: int, day: date) -> str:
    query = urlencode({"station": station, "running_year": day.year})
    return f"{reverse('projects:project_list')}?{query}"


PORTFOLIO_SOURCE = PortfolioSource(
    categories=lambda: [(value, str(label)) for value, label in ProjectCategory.choices],
    running_counts=_running_counts,
    complete_q=_complete_q,
    station_projects_url=_station_projects_url,
)
