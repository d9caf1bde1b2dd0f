"""Objectives and indicators (issue 12): each actual is counted from the records and moves when
they change; a project behind schedule for the period gone by is flagged on its page and in
the API; an assessment indicator shows its standard; a manual indicator needs its reason and
its evidence; the project page's queries do not grow with its records."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from swstation.cases.models import ServiceRecord, VisitSchedule
from swstation.projects import selectors, services
from swstation.projects.models import ProjectIndicator, ProjectStatus
from tests.projects import helpers as build

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user("station_manager", build.CICHENG)


def running_project(**extra: Any) -> Any:
    """A running project of 慈城镇 half-way through its year."""
    today = timezone.localdate()
    return build.project(
        build.CICHENG,
        status=ProjectStatus.RUNNING,
        starts_on=today - timedelta(days=182),
        ends_on=today + timedelta(days=182),
        **extra,
    )


def serve(project: Any, person: Any, day: date, kind: str = "home_visit", minutes: int = 60) -> Any:
    return ServiceRecord.objects.create(
        recipient=person,
        station=project.station,
        worker=project.lead,
        served_on=day,
        service_type=kind,
        duration_minutes=minutes,
        project=project,
    )


def indicator(project: Any, measure: str, target: str, **extra: Any) -> ProjectIndicator:
    return ProjectIndicator.objects.create(
        project=project,
        objective=extra.pop("objective", "服务目标"),
        name=extra.pop("name", measure),
        measure=measure,
        target=Decimal(target),
        **extra,
    )


def row_of(project: Any, item: ProjectIndicator) -> Any:
    progress = selectors.project_progress(project)
    return next(r for r in progress.indicators if r.indicator.pk == item.pk)


def test_actuals_are_counted_from_the_records_and_follow_them() -> None:
    project = running_project()
    people = [build.recipient(build.CICHENG) for _ in range(3)]
    services_ = indicator(project, "services", "20")
    served = indicator(project, "people_served", "4")
    hours = indicator(project, "hours", "10")
    typed = indicator(project, "services", "10", service_type="phone")
    yesterday = timezone.localdate() - timedelta(days=1)
    for person in people:
        serve(project, person, yesterday)
    serve(project, people[0], yesterday, kind="phone", minutes=30)
    assert row_of(project, services_).actual == 4
    assert row_of(project, served).actual == 3
    assert row_of(project, hours).actual == Decimal("3.5")
    assert row_of(project, typed).actual == 1
    # A service of another project, or of none, does not count.
    other = running_project()
    serve(other, people[1], yesterday)
    ServiceRecord.objects.create(
        recipient=people[1],
        station=project.station,
        worker=project.lead,
        served_on=yesterday,
        service_type="home_visit",
        duration_minutes=30,
    )
    assert row_of(project, services_).actual == 4
    ServiceRecord.objects.filter(project=project, service_type="phone").delete()
    assert row_of(project, services_).actual == 3
    assert row_of(project, typed).actual == 0


def test_a_project_behind_for_the_period_gone_by_is_flagged() -> None:
    project = running_project()
    person = build.recipient(build.CICHENG)
    item = indicator(project, "services", "20")  # half the year gone: 10 expected
    day = timezone.localdate() - timedelta(days=2)
    for _ in range(8):  # 8 < 0.9 × 10
        serve(project, person, day)
    row = row_of(project, item)
    assert row.expected == Decimal("10.0") and row.state == "behind"
    assert selectors.project_progress(project).is_behind
    assert selectors.projects_behind_pks(type(project).objects.all()) == [project.pk]
    serve(project, person, day)  # 9 = 0.9 × 10: on track
    assert row_of(project, item).state == "on_track"
    assert selectors.projects_behind_pks(type(project).objects.all()) == []


def test_planned_visits_done_against_the_schedule() -> None:
    project = running_project()
    person = build.recipient(build.CICHENG)
    start = timezone.localdate() - timedelta(days=59)  # 60 days, twice a month: 4 planned
    VisitSchedule.objects.create(
        recipient=person,
        worker=project.lead,
        service_type="health_visit",
        times_per_month=2,
        starts_on=start,
        project=project,
    )
    rate = indicator(project, "visit_rate", "90")
    serve(project, person, start + timedelta(days=10), kind="health_visit")
    serve(project, person, start + timedelta(days=25), kind="health_visit")
    serve(project, person, start + timedelta(days=26), kind="home_visit")  # another type
    row = row_of(project, rate)
    assert row.actual == Decimal("50.0") and row.state == "behind"
    assert "2" in row.detail and "4" in row.detail


def test_an_assessment_indicator_names_its_standard() -> None:
    project = running_project()
    item = indicator(project, "assessed", "48", standard="MZ/T 039-2013")
    row = row_of(project, item)
    assert row.standard_label.startswith("MZ/T 039-2013")
    with pytest.raises(ValidationError) as refused:
        ProjectIndicator(
            project=project, objective="x", name="y", measure="assessed", target=Decimal(5)
        ).full_clean()
    assert "standard" in refused.value.message_dict


def test_a_manual_indicator_needs_its_reason_and_evidence(manager: Any) -> None:
    project = running_project()
    fields = {"objective": "就业", "name": "就业人数", "measure": "manual", "target": Decimal(131)}
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(actor=manager, project=project, **fields, unit="人")
    assert "evidence_note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=manager,
            project=project,
            **fields,
            unit="人",
            evidence_note="录用名单为线下材料",
            manual_actual=Decimal(40),
        )
    assert "evidence" in refused.value.message_dict
    item = services.indicator_create(
        actor=manager,
        project=project,
        **fields,
        unit="人",
        evidence_note="录用名单为线下材料",
        manual_actual=Decimal(40),
        evidence=SimpleUploadedFile("名单.pdf", PDF),
    )
    assert row_of(project, item).actual == 40
    assert item.history.count() == 1
    # A counted indicator takes no manual actual.
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=manager,
            project=project,
            objective="x",
            name="y",
            measure="services",
            target=Decimal(5),
            manual_actual=Decimal(3),
        )
    assert "manual_actual" in refused.value.message_dict


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("照片.gif", b"GIF89a....", "JPEG"),
        ("照片.png", b"not a png at all", "PNG"),
        ("空.pdf", b"", "empty"),
    ],
)
def test_an_attachment_is_a_photo_or_document_whose_content_matches(
    manager: Any, name: str, content: bytes, message: str
) -> None:
    project = running_project()
    with pytest.raises(ValidationError) as refused:
        services.attachment_create(
            actor=manager, project=project, title="照片", file=SimpleUploadedFile(name, content)
        )
    assert "file" in refused.value.message_dict


def test_the_project_page_shows_progress_and_keeps_its_queries_flat(manager: Any) -> None:
    project = running_project()
    indicator(project, "services", "40", name="服务人次")
    indicator(project, "assessed", "48", standard="MZ/T 039-2013", name="评估人数")
    client = build.page(manager)
    day = timezone.localdate() - timedelta(days=3)

    def grow(n: int) -> None:
        for _ in range(n):
            person = build.recipient(build.CICHENG)
            build.enrolment(project, person, enrolled_on=project.starts_on)
            serve(project, person, day)

    grow(2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="progress"' in body and "MZ/T 039-2013" in body and "服务人次" in body
    grow(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


def test_the_api_gives_each_indicator_its_computed_actual(manager: Any) -> None:
    project = running_project()
    item = indicator(project, "services", "20")
    serve(project, build.recipient(build.CICHENG), timezone.localdate() - timedelta(days=1))
    answer = build.api(manager).get("/api/v1/project-indicators/", {"project": project.pk})
    assert answer.status_code == 200, answer.content
    found = next(row for row in answer.json()["results"] if row["id"] == item.pk)
    assert found["actual"] == "1" and found["state"] == "behind" and found["target"] == "20.0"
    listed = build.api(manager).get("/api/v1/projects/").json()["results"]
    assert {"station", "region_code", "category", "status"} <= set(listed[0])


def test_the_pages_add_an_indicator_and_a_photo(manager: Any) -> None:
    project = running_project()
    client = build.page(manager)
    form = client.get(f"/projects/indicators/add/?project={project.pk}")
    assert form.status_code == 200
    body = form.content.decode()
    assert "MZ/T 039-2013" in body and "GB/T 42195-2022" in body  # the standards offered
    answer = client.post(
        "/projects/indicators/add/",
        {
            "project": project.pk,
            "objective": "掌握高龄老人能力状况",
            "name": "完成能力评估人数",
            "measure": "assessed",
            "target": "48",
            "standard": "MZ/T 039-2013",
            "order": "0",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    item = ProjectIndicator.objects.get(project=project)
    assert item.standard == "MZ/T 039-2013" and item.history.count() == 1
    refused = client.post(
        "/projects/indicators/add/",
        {
            "project": project.pk,
            "objective": "x",
            "name": "y",
            "measure": "assessed",
            "target": "5",
        },
    )
    assert refused.status_code == 200 and "评估所依据的标准" in refused.content.decode()
    photo = SimpleUploadedFile("活动.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    added = client.post(
        "/projects/files/add/",
        {"project": project.pk, "title": "小组活动", "file": photo, "in_report": "on"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "小组活动" in page and 'id="photos"' in page
