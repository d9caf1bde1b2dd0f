"""The projects' work read from the tallies (dashboard/project_work.py) equals the count over
the records (cases.selectors.project_work) for any day: a month's last day, a day within a
month, today; after back-dated, moved and deleted records; for a project that ended within a
month. And the cockpit's "behind schedule" follows it."""

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from swstation.cases.models import ServiceRecord
from swstation.cases.selectors.project_work import project_work_counts
from swstation.dashboard.project_work import tallied_work_counts
from swstation.dashboard.services import tally_rebuild, tally_refresh
from swstation.projects import selectors
from swstation.projects.figures import project_figures
from swstation.projects.models import ProjectStatus
from swstation.projects.selectors import project_window_end
from swstation.projects.work import ProjectWindow
from tests.projects import helpers as build
from tests.projects.test_progress import indicator

pytestmark = pytest.mark.django_db

KINDS = ("home_visit", "phone", "health_visit")


def windows(projects: list[Any], on: date) -> list[ProjectWindow]:
    return [
        ProjectWindow(
            pk=project.pk,
            prefix=project.station.region.prefix,
            start=project.starts_on,
            end=project_window_end(project, on),
        )
        for project in projects
    ]


def counted(found: dict[int, Any]) -> dict[int, tuple[Any, ...]]:
    return {
        pk: (c.services, c.people_served, c.minutes, dict(sorted(c.by_type.items())))
        for pk, c in found.items()
    }


def serve_randomly(
    rng: random.Random, project: Any, people: list[Any], n: int, *, one_by_one: bool = False
) -> None:
    """``n`` services on random days of the project's period up to today: in bulk (no signal:
    a rebuild follows), or one by one as the pages write them (each marks its partition)."""
    last = min(project.ends_on, timezone.localdate())
    span = (last - project.starts_on).days
    records = [
        ServiceRecord(
            recipient=rng.choice(people),
            station=project.station,
            worker=project.lead,
            served_on=project.starts_on + timedelta(days=rng.randint(0, span)),
            service_type=rng.choice(KINDS),
            duration_minutes=rng.choice((15, 30, 60, 90)),
            project=project,
        )
        for _ in range(n)
    ]
    if one_by_one:
        for record in records:
            record.save()
    else:
        ServiceRecord.objects.bulk_create(records)


@pytest.fixture
def projects() -> list[Any]:
    today = timezone.localdate()
    long_ago = build.project(
        build.CICHENG,
        status=ProjectStatus.RUNNING,
        starts_on=today - timedelta(days=500),
        ends_on=today + timedelta(days=200),
    )
    ended = build.project(
        build.CICHENG,
        status=ProjectStatus.CLOSED,
        starts_on=date(today.year - 2, 2, 10),
        ends_on=date(today.year - 1, 3, 17),  # within a month
    )
    recent = build.project(
        build.CICHENG,
        status=ProjectStatus.RUNNING,
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=300),
    )
    return [long_ago, ended, recent]


def days_to_check(projects: list[Any]) -> list[date]:
    today = timezone.localdate()
    ended = projects[1]
    return [
        today,
        today - timedelta(days=1),
        today.replace(day=1) - timedelta(days=1),  # last month's last day
        date(today.year - 1, 12, 31),
        date(today.year - 1, 3, 16),  # the day before the ended project's last day
        ended.ends_on,
        date(today.year - 1, 2, 28),
        today - timedelta(days=45),  # before the recent project started
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_tallies_count_what_the_records_count(projects: list[Any], seed: int) -> None:
    rng = random.Random(seed)
    people = [build.recipient(build.CICHENG) for _ in range(6)]
    people += [build.recipient(build.YUEHU) for _ in range(3)]  # another town's partition
    for project in projects:
        serve_randomly(rng, project, people, 120)
    tally_rebuild(families=["services"])
    for on in days_to_check(projects):
        wanted = windows(projects, on)
        assert counted(tallied_work_counts(wanted)) == counted(project_work_counts(wanted)), on
    # Writes after the rebuild (back-dated, deleted, changed type, a person moving) are
    # picked up by the refresh the reader runs first.
    records = list(ServiceRecord.objects.filter(project__isnull=False))
    for record in rng.sample(records, 20):
        record.delete()
    for record in rng.sample(records, 40):
        if record.pk is None:
            continue
        record.served_on = max(record.project.starts_on, record.served_on - timedelta(days=90))
        record.service_type = rng.choice(KINDS)
        record.save()
    mover = people[0]
    mover.region = build.region(build.YUEHU_COMMUNITY)
    mover.save()
    for project in projects:
        serve_randomly(rng, project, people, 15, one_by_one=True)
    for on in days_to_check(projects):
        wanted = windows(projects, on)
        assert counted(tallied_work_counts(wanted)) == counted(project_work_counts(wanted)), on


def test_the_cockpit_reads_as_many_queries_whatever_the_records(projects: list[Any]) -> None:
    rng = random.Random(3)
    people = [build.recipient(build.CICHENG) for _ in range(4)]
    for project in projects:
        serve_randomly(rng, project, people, 20)
    tally_rebuild(families=["services"])
    tally_refresh()  # what else the makers marked (recipients)
    on = timezone.localdate().replace(day=1) - timedelta(days=1)
    asked = windows(projects, on)
    with CaptureQueriesContext(connection) as few:
        small = tallied_work_counts(asked)
    for project in projects:
        serve_randomly(rng, project, people * 5, 400)
    tally_rebuild(families=["services"])
    tally_refresh()
    with CaptureQueriesContext(connection) as many:
        large = tallied_work_counts(asked)
    assert len(many) == len(few)
    assert sum(c.services for c in large.values()) > sum(c.services for c in small.values())


def test_behind_schedule_follows_the_tallied_counts(projects: list[Any]) -> None:
    project = projects[0]  # about 500 of its 700 days gone
    item = indicator(project, "services", "70")  # about 50 expected by now
    person = build.recipient(build.CICHENG)
    yesterday = timezone.localdate() - timedelta(days=1)
    today = timezone.localdate()
    prefix = project.station.region.prefix

    def behind() -> int:
        start = today.replace(month=1, day=1)
        return project_figures(prefix=prefix, start=start, as_of=today).behind

    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            recipient=person,
            station=project.station,
            worker=project.lead,
            served_on=project.starts_on + timedelta(days=i),
            service_type="phone",
            duration_minutes=10,
            project=project,
        )
        for i in range(10)
    )
    tally_rebuild(families=["services"])
    assert behind() == 1
    assert selectors.projects_behind_pks(type(project).objects.all()) == [project.pk]
    for _ in range(int(item.target)):  # one by one: each marks its partition
        ServiceRecord.objects.create(
            recipient=person,
            station=project.station,
            worker=project.lead,
            served_on=yesterday,
            service_type="phone",
            duration_minutes=10,
            project=project,
        )
    assert behind() == 0
    # The projects list's filter reads the same sums (projects.work.summed_work_counts).
    assert selectors.projects_behind_pks(type(project).objects.all()) == []
