"""The demo's projects step (demo/projects.py) on a small world: every township station gets a
"1+X+1" portfolio whose records pass the models' own rules, the seeds stand at their stations,
the history reads as the services would have left it, and a second run changes nothing. (The
whole demo city is built by tests/demo.)"""

from collections import Counter
from datetime import date
from typing import Any

import pytest

from swstation.demo.projects import build_projects
from swstation.projects import selectors
from swstation.projects.models import (
    FINAL_STATUSES,
    Project,
    ProjectCategory,
    ProjectEnrolment,
    ProjectStatus,
)
from swstation.workforce.models import Post
from tests.conftest import CICHENG, JIANGBEI
from tests.projects import helpers as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    """慈城镇 (a seed's township) and 孔浦街道 with staff and people, and 江北区's hub."""
    for code in (CICHENG, build.KONGPU, JIANGBEI):
        build.worker(code, post=Post.STATION_DIRECTOR, hired_on=date(2021, 6, 1))
        for _ in range(3):
            build.worker(code, hired_on=date(2021, 7, 1))
    elders = build.category("elderly_living_alone")
    poor = build.category("subsistence_allowance")
    for code in (CICHENG, build.KONGPU):
        for n in range(40):
            person = build.recipient(code, registered_on=date(2020, 3, 1))
            person.categories.set([elders if n % 2 else poor])
    return {}


def current(project: Project) -> bool:
    return project.status not in FINAL_STATUSES and project.status != ProjectStatus.PROPOSED


def test_every_station_gets_its_portfolio(world: dict[str, Any]) -> None:
    lines: list[str] = []
    build_projects(lines.append)
    assert lines and lines[0].startswith("projects: ")
    for code in (CICHENG, build.KONGPU):
        running = [p for p in Project.objects.filter(station=build.station(code)) if current(p)]
        categories = Counter(p.category for p in running)
        assert categories[ProjectCategory.VULNERABLE_GROUPS] == 1, code
        assert categories[ProjectCategory.TALENT_SUPPORT] == 1, code
    cicheng = Project.objects.filter(station=build.station(CICHENG))
    assert cicheng.filter(name="慈缘驿站", field="employment").exists()
    hub = Project.objects.filter(station=build.station(JIANGBEI))
    assert {p.category for p in hub} == {ProjectCategory.TALENT_SUPPORT}
    assert Project.objects.filter(status=ProjectStatus.CLOSED).exists()  # last year's cycle


def test_the_demo_s_records_keep_the_rules(world: dict[str, Any]) -> None:
    build_projects(lambda line: None)
    assert ProjectEnrolment.objects.exists()
    for project in Project.objects.all():
        project.full_clean()
        if project.category == ProjectCategory.TALENT_SUPPORT:
            assert not project.enrolments.exists()
        prefix = project.station.region.prefix
        assert all(w.region.code.startswith(prefix) for w in project.team.all())
        assert all(v.code.startswith(prefix) for v in project.villages.all())
        changes = selectors.project_status_changes(project=project)
        assert changes[0].status == "申报"
        assert changes[-1].status == project.get_status_display()
    for enrolment in ProjectEnrolment.objects.select_related("project", "recipient"):
        enrolment.full_clean()
        if enrolment.project.status in FINAL_STATUSES:
            assert enrolment.exited_on is not None
        villages = set(enrolment.project.villages.values_list("pk", flat=True))
        assert not villages or enrolment.recipient.region_id in villages


def test_a_second_run_changes_nothing(world: dict[str, Any]) -> None:
    build_projects(lambda line: None)
    counts = (
        Project.objects.count(),
        Project.history.count(),
        ProjectEnrolment.objects.count(),
        ProjectEnrolment.history.count(),
    )
    lines: list[str] = []
    build_projects(lines.append)
    assert lines == [f"projects: already built ({counts[0]} projects)"]
    assert counts == (
        Project.objects.count(),
        Project.history.count(),
        ProjectEnrolment.objects.count(),
        ProjectEnrolment.history.count(),
    )


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_project_work_step_links_services_and_sets_objectives(
    world: dict[str, Any], media: None
) -> None:
    """demo/project_work.py: the services of enrolled people point to their project, every
    approved project has indicators that pass the model's rules, every closed one a report,
    the city standard its 1+X+1 rule; a second run changes nothing."""
    from swstation.cases.models import ServiceRecord
    from swstation.demo.project_work import build_project_work
    from swstation.projects.models import ProjectIndicator, ProjectReport
    from swstation.stations.models import ConstructionStandard
    from tests.stations.helpers import make_standard

    make_standard()
    build_projects(lambda line: None)
    enrolment = (
        ProjectEnrolment.objects.filter(project__status=ProjectStatus.RUNNING)
        .select_related("project", "recipient")
        .first()
    )
    assert enrolment is not None
    served = ServiceRecord.objects.create(
        recipient=enrolment.recipient,
        station=enrolment.project.station,
        worker=enrolment.project.lead,
        served_on=enrolment.enrolled_on,
        service_type="home_visit",
        duration_minutes=40,
    )
    lines: list[str] = []
    build_project_work(lines.append)
    assert "indicators" in lines[0]
    served.refresh_from_db()
    assert served.project == enrolment.project
    assert served.history.first().project_id == enrolment.project_id
    approved = Project.objects.exclude(status=ProjectStatus.PROPOSED)
    assert not approved.filter(indicators__isnull=True).exists()
    for indicator in ProjectIndicator.objects.all():
        indicator.full_clean()
    closed = Project.objects.filter(status=ProjectStatus.CLOSED)
    assert ProjectReport.objects.count() == closed.count() > 0
    # The 2020 standard until last year, then its revision checking the 1+X+1 portfolio.
    old, revision = ConstructionStandard.objects.order_by("valid_from")
    year = date.today().year - 1
    assert old.valid_to == date(year - 1, 12, 31) and not old.portfolio_minimums
    assert revision.valid_from == date(year, 1, 1) and revision.valid_to is None
    assert revision.portfolio_minimums == {"vulnerable_groups": 1, "talent_support": 1}
    counts = (
        ProjectIndicator.objects.count(),
        ProjectIndicator.history.count(),
        ProjectReport.objects.count(),
        ServiceRecord.history.count(),
    )
    build_project_work(lines.append)
    assert "already built" in lines[1]
    assert counts == (
        ProjectIndicator.objects.count(),
        ProjectIndicator.history.count(),
        ProjectReport.objects.count(),
        ServiceRecord.history.count(),
    )
