"""The projects' part of the cockpit and of ``GET /api/v1/stats/overview/`` (issue 12,
"Figures"): projects by 1+X+1 category and by field, the stations' 1+X+1 completeness rate,
projects behind schedule, the people served by projects — each number with a link to the list
of what it counts.

Kept apart from ``selectors.py`` (the tallies): projects are few (a few per station and year),
so they are counted from the records at each request (projects.figures), a handful of grouped
queries whatever the size. Their work is not few: "behind schedule" reads each project's
services, people and minutes from the tallies (dashboard/project_work.py), and the people they
served in a calendar year of a district, a town or the city come from the tallies too
(``services``/``project_people``), so the cockpit stays flat in data size; any other period
or region counts the people from the records. The
region comes from ``selectors.cockpit_region`` (already checked against the user's
jurisdiction).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord
from swstation.dashboard.charts import list_url
from swstation.dashboard.funds_figures import LEVELS
from swstation.dashboard.models import Tally
from swstation.dashboard.services import tally_refresh
from swstation.projects.figures import ProjectFigures, project_figures
from swstation.regions.models import Region


@dataclass
class Figure:
    id: str
    label: str
    value: Any
    url: str
    note: str = ""


@dataclass
class ProjectPanel:
    figures: ProjectFigures
    people_served: int
    headlines: list[Figure]
    by_category: list[Figure]
    by_field: list[Figure]


def people_served_by_projects(*, region: Region, period: Any) -> int:
    """Distinct people served within a project in the period, up to its ``as_of`` day."""
    level = LEVELS.get(region.level)
    if level is not None and period.is_calendar_year:
        tally_refresh()
        found = Tally.objects.filter(
            metric="project_people",
            level=level,
            region_code=region.code,
            period=date(period.start.year, 1, 1),
        ).aggregate(n=Sum("count"))
        return found["n"] or 0
    return (
        ServiceRecord.objects.filter(
            project__isnull=False,
            served_on__gte=period.start,
            served_on__lte=period.as_of,
            recipient__region__code__startswith=region.prefix,
        )
        .values("recipient_id")
        .distinct()
        .count()
    )


def project_panel(*, region: Region, period: Any) -> ProjectPanel:
    """``period`` is the cockpit's (selectors.Period): its start and its ``as_of`` day."""
    prefix, as_of = region.prefix, period.as_of
    figures = project_figures(prefix=prefix, start=period.start, as_of=as_of)
    people = people_served_by_projects(region=region, period=period)
    year = as_of.year
    projects = {"region_code": prefix, "running_year": year}
    rate = figures.completeness_rate
    headlines = [
        Figure(
            "projects",
            _("Projects running"),
            figures.total,
            list_url("projects:project_list", **projects),
        ),
        Figure(
            "portfolio",
            _("Stations with a complete 1+X+1 portfolio"),
            f"{rate * 100:.1f}%" if rate is not None else "—",
            # The stations assessed: the township stations operating on the period's end.
            list_url(
                "stations:station_list",
                region_code=prefix,
                kind="township",
                operating_on=as_of.isoformat(),
            ),
            _("%(complete)s of %(assessed)s township stations")
            % {"complete": figures.stations_complete, "assessed": figures.stations_assessed},
        ),
        Figure(
            "behind",
            _("Projects behind schedule"),
            figures.behind,
            list_url("projects:project_list", region_code=prefix, behind="true"),
            _("of %(n)s followed against their targets") % {"n": figures.followed},
        ),
        Figure(
            "served",
            _("People served by projects"),
            people,
            list_url(
                "cases:servicerecord_list",
                region_code=prefix,
                in_project="true",
                served_after=period.start.isoformat(),
                served_before=as_of.isoformat(),
            ),
            _("%(n)s enrolled as beneficiaries") % {"n": figures.people_enrolled},
        ),
    ]
    by_category = [
        Figure(code, label, n, list_url("projects:project_list", category=code, **projects))
        for code, label, n in figures.categories()
    ]
    by_field = [
        Figure(code, label, n, list_url("projects:project_list", field=code, **projects))
        for code, label, n in figures.fields()
    ]
    return ProjectPanel(figures, people, headlines, by_category, by_field)
