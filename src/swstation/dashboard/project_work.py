"""The projects' work read from the tallies, for the cockpit's "projects behind schedule" and
the stats API (issue 18: a past year costs no more than the current one, and neither grows
with the records).

``projects.selectors.projects_progress`` counts each project's services, people and minutes
over its service records up to the period's end, which grows with the records: at scale 10 a
project has ten times as many. The ``services`` tallies keep each project's records and minutes
by type and month (``project_services``) and its people by the month they were first served in
it (``project_first_served``: their running sum is the exact number of distinct people), at
the tallies' ``project`` level (kept by town, never rolled up). So :func:`tallied_work_counts`
reads the months a window covers whole from the tallies (summed in SQL: a row per project and
type, whatever the records), and only the days of a
month the window covers in part (the current month, on today's cockpit) from the records.
Visits planned and done and elders assessed are counted by the cases app as before
(projects.work), for the projects whose indicators ask for them.

It gives the same counts as the records (tests/dashboard/test_project_work.py) because a
service is accepted under a project only within the project's period (cases.services.records).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from django.db.models import Sum

from swstation.cases.models import ServiceRecord, ServiceType
from swstation.dashboard.models import Tally, TallyLevel
from swstation.dashboard.services import tally_refresh
from swstation.dashboard.tallies import project_key
from swstation.projects.work import ProjectWindow, WorkCounts, work_counts

__all__ = ["tallied_work_counts"]

SERVICES = "project_services"
FIRST_SERVED = "project_first_served"


def tallied_work_counts(windows: Sequence[ProjectWindow]) -> dict[int, WorkCounts]:
    """The work of each window's project up to its end (projects.work.WorkCounter)."""
    counts = work_counts([replace(window, services=False) for window in windows])
    wanted = [window for window in windows if window.services]
    if not wanted:
        return counts
    tally_refresh()
    by_cut: dict[date, list[ProjectWindow]] = defaultdict(list)
    for window in wanted:
        by_cut[_whole_months_end(window.end)].append(window)
    largest = max(by_cut, key=lambda cut: len(by_cut[cut]))
    for cut, group in by_cut.items():
        pks = {window.pk for window in group}
        sums = _tallied(cut, None if cut == largest else pks)
        for (metric, key), (n, minutes) in sums.items():
            pk, _bar, kind = key.partition("|")
            if int(pk) in pks:
                _add(counts[int(pk)], metric, kind, n, minutes)
        _add_days(counts, group, cut)
    return counts


def _whole_months_end(end: date) -> date:
    """The first day after the whole months up to ``end``: the day after it when it is a
    month's last day, else the first of its month."""
    following = end + timedelta(days=1)
    return following if following.day == 1 else end.replace(day=1)


def _tallied(cut: date, pks: Iterable[int] | None) -> dict[tuple[str, str], tuple[int, int]]:
    """The projects' rows summed by metric and key before ``cut`` (of ``pks`` only, when
    given): over every town their people live in."""
    rows = Tally.objects.filter(
        level=TallyLevel.PROJECT, metric__in=(SERVICES, FIRST_SERVED), period__lt=cut
    )
    if pks is not None:
        keys = [project_key(pk, kind) for pk in pks for kind in ["", *ServiceType.values]]
        rows = rows.filter(key__in=keys)
    return {
        (row["metric"], row["key"]): (row["n"] or 0, int(row["minutes"] or 0))
        for row in rows.order_by()
        .values("metric", "key")
        .annotate(n=Sum("count"), minutes=Sum("total"))
    }


def _add(counts: WorkCounts, metric: str, kind: str, n: int, minutes: int) -> None:
    services, people, total = counts.by_type.get(kind, (0, 0, 0)) if kind else (0, 0, 0)
    if metric == SERVICES:
        counts.services += n
        counts.minutes += minutes
        counts.by_type[kind] = (services + n, people, total + minutes)
    elif kind:
        counts.by_type[kind] = (services, people + n, total)
    else:
        counts.people_served += n


def _add_days(counts: dict[int, WorkCounts], group: list[ProjectWindow], cut: date) -> None:
    """The services of the days from ``cut`` to each window's end (a month in part), and the
    people first served in the project (and in each type) on those days."""
    ends = {window.pk: window.end for window in group if window.end >= cut}
    if not ends:
        return
    recent = ServiceRecord.objects.filter(
        project_id__in=ends, served_on__gte=cut, served_on__lte=max(ends.values())
    ).values_list("project_id", "recipient_id", "service_type", "served_on", "duration_minutes")
    people: set[tuple[int, int]] = set()
    typed: set[tuple[int, int, str]] = set()
    for pk, person, kind, day, minutes in recent.order_by():
        if day > ends[pk]:
            continue
        _add(counts[pk], SERVICES, kind, 1, minutes or 0)
        people.add((pk, person))
        typed.add((pk, person, kind))
    if not people:
        return
    earlier = set(
        ServiceRecord.objects.filter(
            project_id__in={pk for pk, _person in people},
            recipient_id__in={person for _pk, person in people},
            served_on__lt=cut,
        )
        .order_by()
        .values_list("project_id", "recipient_id", "service_type")
        .distinct()
    )
    seen = {(pk, person) for pk, person, _kind in earlier}
    for pk, _person in people - seen:
        _add(counts[pk], FIRST_SERVED, "", 1, 0)
    for pk, _person, kind in typed - earlier:
        _add(counts[pk], FIRST_SERVED, kind, 1, 0)
