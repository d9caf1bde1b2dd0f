"""The work done under projects, read for the projects app's port (projects/work.py; issue 12).

The projects app sits below this one and cannot read service records, visit plans or
assessments itself; ``CasesConfig.ready()`` registers :data:`WORK_SOURCE`. Every count is read
for many projects at once — a grouped query per kind of record, whatever the number of projects
or records — so that a project page, the projects list and the cockpit stay flat.

- services, people served and minutes: the service records under the project up to the window's
  end (a record is accepted under a project only within its period: services/records.py),
  unless the caller counts them itself (``ProjectWindow.services`` False: the cockpit reads
  them from its tallies, dashboard/project_work.py);
- visits planned and done (for the windows that ask, ``ProjectWindow.visits``: a visit-rate
  indicator): for each of the project's visit plans, the visits its rhythm asks
  for from its start (not before the project's) to its end (its deactivation, the project's end,
  or the window's end), about one every 30 / times-per-month days; done are the plan's person's
  services of the plan's type under the project in that span, at most what was planned;
- elders assessed: the project's enrolled people with an elderly capability assessment in the
  project's window, by standard and by the level of their latest assessment under it (the
  levels of GB/T 42195-2022 and MZ/T 039-2013 are never added together).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from swstation.cases.instruments.registry import elderly_instrument, elderly_level_label
from swstation.cases.instruments.registry import elderly_standards as registered_standards
from swstation.cases.models import (
    ElderlyAssessment,
    ElderlyStandard,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.cases.selectors.records import service_record_list
from swstation.core.actors import Actor
from swstation.projects.models import ProjectEnrolment
from swstation.projects.work import ProjectWindow, WorkCounts, WorkSource

__all__ = ["WORK_SOURCE", "project_work_counts"]

DAYS_PER_MONTH = 30


def project_work_counts(windows: Sequence[ProjectWindow]) -> dict[int, WorkCounts]:
    by_pk = {window.pk: window for window in windows}
    counts = {pk: WorkCounts() for pk in by_pk}
    if not by_pk:
        return counts
    _services(by_pk, counts)
    _visits({pk: window for pk, window in by_pk.items() if window.visits}, counts)
    _assessed(by_pk, counts)
    return counts


def _services(by_pk: dict[int, ProjectWindow], counts: dict[int, WorkCounts]) -> None:
    wanted = [window for window in by_pk.values() if window.services]
    if not wanted:
        return
    until = max(window.end for window in wanted)
    records = ServiceRecord.objects.filter(
        project_id__in=[window.pk for window in wanted], served_on__lte=until
    ).order_by()
    for pk, kind, services, people, minutes in records.values_list(
        "project_id", "service_type"
    ).annotate(Count("pk"), Count("recipient_id", distinct=True), Sum("duration_minutes")):
        counts[pk].by_type[kind] = (services, people, minutes or 0)
        counts[pk].services += services
        counts[pk].minutes += minutes or 0
    for pk, people in records.values_list("project_id").annotate(
        Count("recipient_id", distinct=True)
    ):
        counts[pk].people_served = people


def _visits(by_pk: dict[int, ProjectWindow], counts: dict[int, WorkCounts]) -> None:
    if not by_pk:
        return
    names = {field.name for field in VisitSchedule._meta.concrete_fields}
    columns = ["project_id", "recipient_id", "service_type", "times_per_month"]
    columns += ["starts_on", "ends_on"]
    if "deactivated_on" in names:  # the day a plan was switched off (issue 18)
        columns.append("deactivated_on")
    spans: dict[tuple[int, int, str], list[tuple[date, date, int]]] = defaultdict(list)
    for row in VisitSchedule.objects.filter(project_id__in=by_pk).values_list(*columns):
        project, person, kind, times, start, end = row[:6]
        window = by_pk[project]
        last = min(d for d in (end, row[6] if len(row) > 6 else None, window.end) if d)
        first = max(start, window.start)
        if last < first:
            continue
        planned = ((last - first).days + 1) * times // DAYS_PER_MONTH
        spans[(project, person, kind)].append((first, last, planned))
        counts[project].visits_planned += planned
    if not spans:
        return
    people = {person for _project, person, _kind in spans}
    done = ServiceRecord.objects.filter(
        project_id__in={project for project, _person, _kind in spans}, recipient_id__in=people
    ).values_list("project_id", "recipient_id", "service_type", "served_on")
    days: dict[tuple[int, int, str], list[date]] = defaultdict(list)
    for project, person, kind, day in done:
        if (project, person, kind) in spans:
            days[(project, person, kind)].append(day)
    for key, plans in spans.items():
        for first, last, planned in plans:
            visits = sum(1 for day in days.get(key, ()) if first <= day <= last)
            counts[key[0]].visits_done += min(visits, planned)


def _assessed(by_pk: dict[int, ProjectWindow], counts: dict[int, WorkCounts]) -> None:
    wanted = {pk: window for pk, window in by_pk.items() if window.assessments}
    if not wanted:
        return
    enrolled: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for project, person, start, end in ProjectEnrolment.objects.filter(
        project_id__in=wanted
    ).values_list("project_id", "recipient_id", "enrolled_on", "exited_on"):
        enrolled[person].append((project, start, end))
    if not enrolled:
        return
    latest: dict[tuple[int, int, str], tuple[date, int]] = {}
    for person, standard, level, day in (
        ElderlyAssessment.objects.filter(recipient_id__in=enrolled, level__isnull=False)
        .order_by("assessed_on", "pk")
        .values_list("recipient_id", "standard", "level", "assessed_on")
    ):
        for project, _start, _end in enrolled[person]:
            window = wanted[project]
            if window.start <= day <= window.end:
                latest[(project, person, standard)] = (day, level)
    for (project, _person, standard), (_day, level) in latest.items():
        levels = counts[project].assessed.setdefault(standard, {})
        levels[level] = levels.get(level, 0) + 1


def project_services(actor: Actor, project_pk: int) -> QuerySet[ServiceRecord]:
    return (
        service_record_list(actor=actor).filter(project_id=project_pk).order_by("-served_on", "-pk")
    )


def _standards() -> list[tuple[str, str]]:
    registered = set(registered_standards())
    return [(value, str(label)) for value, label in ElderlyStandard.choices if value in registered]


def _levels(standard: str) -> list[tuple[int, str]]:
    try:
        names = elderly_instrument(standard).level_names
    except KeyError:
        return []
    return [(level, elderly_level_label(standard, level)) for level in sorted(names)]


def _list_url(name: str, project_pk: int) -> str:
    return f"{reverse(name)}?project={project_pk}"


WORK_SOURCE = WorkSource(
    counts=project_work_counts,
    services=project_services,
    services_url=lambda pk: _list_url("cases:servicerecord_list", pk),
    schedules_url=lambda pk: _list_url("cases:visitschedule_list", pk),
    service_types=lambda: [(value, str(label)) for value, label in ServiceType.choices],
    elderly_standards=_standards,
    elderly_levels=_levels,
)
