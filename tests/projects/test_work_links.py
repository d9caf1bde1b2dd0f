"""Service records and visit plans point to a project (issue 12): the cases services accept a
project that serves the person's place, is approved and runs on the day, and refuse any other
with the field named; migration cases/0008 links the free text of old plans to the project of
that name serving the person, and keeps text that matches none."""

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from swstation.cases.models import ServiceRecord, VisitSchedule
from swstation.cases.services.records import service_record_create, visit_schedule_create
from swstation.projects.models import ProjectStatus
from tests.projects import helpers as build

pytestmark = pytest.mark.django_db

link_schedules = importlib.import_module(
    "swstation.cases.migrations.0008_service_project"
).link_schedules


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user("station_manager", build.CICHENG)


def _service(manager: Any, project: Any, person: Any, day: date) -> ServiceRecord:
    return service_record_create(
        actor=manager,
        recipient=person,
        worker=build.lead_of(build.CICHENG),
        served_on=day,
        service_type="home_visit",
        duration_minutes=45,
        project=project,
    )


def test_a_service_is_recorded_under_a_running_project(manager: Any) -> None:
    project = build.project(build.CICHENG, status=ProjectStatus.RUNNING)
    person = build.recipient(build.CICHENG)
    record = _service(manager, project, person, date(2024, 5, 2))
    assert ServiceRecord.objects.get(pk=record.pk).project == project
    assert record.history.first().project_id == project.pk


@pytest.mark.parametrize(
    ("status", "day", "where", "message"),
    [
        (ProjectStatus.PROPOSED, date(2024, 5, 2), build.CICHENG, "申报"),
        (ProjectStatus.RUNNING, date(2023, 12, 1), build.CICHENG, "2023-12-01"),
        (ProjectStatus.RUNNING, date(2024, 5, 2), build.KONGPU, "慈城镇"),
    ],
)
def test_a_project_that_does_not_serve_the_person_then_is_refused(
    manager: Any, status: str, day: date, where: str, message: str
) -> None:
    project = build.project(build.CICHENG, status=status)
    person = build.recipient(where)
    with pytest.raises(ValidationError) as refused:
        _service(manager, project, person, day)
    assert "project" in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict["project"])
    assert not ServiceRecord.objects.exists()


def test_a_terminated_project_takes_no_service_after_its_end(manager: Any) -> None:
    project = build.project(
        build.CICHENG, status=ProjectStatus.TERMINATED, terminated_on=date(2024, 6, 30)
    )
    person = build.recipient(build.CICHENG)
    assert _service(manager, project, person, date(2024, 6, 30)).project == project
    with pytest.raises(ValidationError):
        _service(manager, project, person, date(2024, 7, 1))


def test_a_visit_plan_points_to_a_project(manager: Any) -> None:
    project = build.project(build.CICHENG, status=ProjectStatus.APPROVED)
    schedule = visit_schedule_create(
        actor=manager,
        recipient=build.recipient(build.CICHENG),
        worker=build.lead_of(build.CICHENG),
        service_type="health_visit",
        times_per_month=2,
        starts_on=date(2023, 12, 15),  # a plan may be made before the project starts
        project=project,
    )
    assert schedule.project == project and schedule.project_text == ""


def test_the_migration_links_text_that_names_a_project_of_the_place() -> None:
    here = build.project(build.CICHENG, status=ProjectStatus.RUNNING, name="幸福来敲门")
    build.project(build.KONGPU, status=ProjectStatus.RUNNING, name="幸福来敲门")
    worker = build.lead_of(build.CICHENG)
    plans = {
        text: VisitSchedule.objects.create(
            recipient=build.recipient(build.CICHENG),
            worker=worker,
            service_type="health_visit",
            times_per_month=2,
            project_text=text,
            starts_on=date(2024, 2, 1),
        )
        for text in ("幸福来敲门", " 幸福来敲门 ", "一人一案")
    }
    link_schedules(apps, None)
    for text, plan in plans.items():
        plan.refresh_from_db()
        if text.strip() == "幸福来敲门":
            assert plan.project == here and plan.project_text == ""
        else:
            assert plan.project is None and plan.project_text == "一人一案"
