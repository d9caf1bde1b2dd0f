"""The stations' "1+X+1" portfolio, read from the projects for the stations app's port
(stations/portfolio.py; domain.md §1, §5; issue 12 "Portfolio rule per station and year").

A project runs at its station in a year, as of a day of that year, when it was approved by
then (立项, whatever came after), its period meets the year up to that day, and it was not
terminated before the year began. The rule (how many of each category) is the construction
standard's data; this module only counts.
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

__all__ = ["PORTFOLIO_SOURCE", "running_in_year", "running_in_year_q"]


def running_in_year_q(day: date, prefix: str = "") -> Q:
    """Projects running in ``day``'s year up to ``day`` (see the module)."""
    first = date(day.year, 1, 1)
    return (
        Q(
            **{
                f"{prefix}approved_on__lte": day,
                f"{prefix}starts_on__lte": day,
                f"{prefix}ends_on__gte": first,
            }
        )
        & ~Q(**{f"{prefix}status": ProjectStatus.PROPOSED})
        & (
            Q(**{f"{prefix}terminated_on__isnull": True})
            | Q(**{f"{prefix}terminated_on__gte": first})
        )
    )


def running_in_year(day: date) -> QuerySet[Project]:
    return Project.objects.filter(running_in_year_q(day))


def _running_counts(stations: Sequence[int], day: date) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for station, category, n in (
        running_in_year(day)
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
        mine = running_in_year(day).filter(station_id=OuterRef("pk"), category=category)
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
