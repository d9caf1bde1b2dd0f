"""The rules of a project and of an enrolment, for every writer (services, so the page and the
API share them): where a project may be run, who works on it, which villages it covers, whom
it serves; who may be enrolled, when, and that a closed project's list does not change."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.core.date_ranges import add_years
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.projects import services
from swstation.projects.models import Project, ProjectEnrolment, ProjectStatus
from swstation.stations.models import Station
from tests.conftest import CICHENG, JIANGBEI, YUEHU
from tests.projects import helpers as build
from tests.projects.helpers import api

pytestmark = pytest.mark.django_db


def propose(code: str = CICHENG, **changes: Any) -> Project:
    fields: dict[str, Any] = {
        "station": build.station(code),
        "name": "幸福来敲门",
        "category": "vulnerable_groups",
        "field": "elderly",
        "starts_on": date(2024, 3, 1),
        "ends_on": date(2025, 2, 28),
        "lead": build.lead_of(code),
        "target_groups": [build.category("empty_nest_elderly")],
        "villages": [build.region(build.VILLAGE_OF.get(code, code))],
    }
    fields.update(changes)
    return services.project_create(actor=SYSTEM, **fields)


def refusal(**changes: Any) -> dict[str, list[str]]:
    before = Project.objects.count()
    with pytest.raises(ValidationError) as refused:
        propose(**changes)
    assert Project.objects.count() == before  # nothing partly saved
    return refused.value.message_dict


def test_a_proposal_is_saved_with_its_team_groups_and_villages() -> None:
    teammate = build.worker(CICHENG)
    project = propose(team=[teammate])
    assert project.status == ProjectStatus.PROPOSED
    assert list(project.team.all()) == [teammate]
    assert [g.code for g in project.target_groups.all()] == ["empty_nest_elderly"]
    assert [v.code for v in project.villages.all()] == [build.CICHENG_VILLAGE]
    assert project.history.get().history_change_reason == "项目申报"


def test_an_outpost_runs_no_project() -> None:
    township = build.station(CICHENG)
    outpost = Station.objects.create(
        name="慈城某村社工室",
        kind="outpost",
        region=build.region(build.CICHENG_VILLAGE),
        parent_station=township,
    )
    errors = refusal(station=outpost, villages=[])
    assert "社工室(联络站)不单独开展项目" in errors["station"][0]


def test_a_district_hub_runs_projects_with_the_district_s_people() -> None:
    hub = build.station(JIANGBEI)
    cicheng_worker = build.worker(CICHENG)  # works in 慈城镇, inside 江北区
    project = propose(
        JIANGBEI,
        station=hub,
        lead=cicheng_worker,
        category="talent_support",
        field="talent",
        target_groups=[],
        villages=[build.region(build.CICHENG_VILLAGE), build.region("330205003001")],
    )
    assert project.station.kind == "district_hub"
    assert project.villages.count() == 2


def test_the_lead_and_the_team_work_in_the_station_s_region() -> None:
    outsider = build.worker(YUEHU, name="月湖社工")
    errors = refusal(lead=outsider)
    assert errors["lead"] == ["月湖社工不在慈城镇社工站所在的慈城镇工作。"]
    errors = refusal(team=[outsider, build.worker(build.KONGPU, name="孔浦社工")])
    assert errors["team"] == ["月湖社工、孔浦社工不在慈城镇社工站所在的慈城镇工作。"]


def test_people_who_have_left_are_not_named() -> None:
    gone = build.worker(CICHENG, name="离职社工", left_on=date(2024, 1, 31))
    assert refusal(lead=gone)["lead"] == ["离职社工已离职：请选择在职社工。"]
    assert "离职社工已离职" in refusal(team=[gone])["team"][0]


def test_villages_lie_below_the_station_s_township() -> None:
    community = build.region(build.YUEHU_COMMUNITY)
    errors = refusal(villages=[community, build.region(CICHENG)])
    assert errors["villages"] == [f"{community.name}、慈城镇不是慈城镇社工站所在慈城镇的村(社区)。"]


def test_a_vulnerable_groups_project_names_whom_it_serves() -> None:
    errors = refusal(target_groups=[])
    assert errors == {"target_groups": ["困弱群体服务项目须注明服务群体。"]}
    assert propose(category="regional_feature", target_groups=[]).pk


def test_dates_are_plausible_and_in_order() -> None:
    assert refusal(ends_on=date(2024, 2, 1))["ends_on"] == ["项目结束日期早于开始日期。"]
    late = add_years(timezone.localdate(), 2)
    assert "开始日期" in refusal(starts_on=late, ends_on=add_years(late, 1))["starts_on"][0]
    assert "开始日期" in refusal(starts_on=date(1999, 12, 31))["starts_on"][0]
    assert "结束日期" in refusal(ends_on=add_years(timezone.localdate(), 11))["ends_on"][0]


def test_several_rules_are_told_at_once() -> None:
    errors = refusal(target_groups=[], ends_on=date(2024, 1, 1))
    assert set(errors) == {"target_groups", "ends_on"}


def test_an_edit_checks_the_same_rules(users: dict[str, Any]) -> None:
    project = propose()
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            actor=users[Role.STATION_MANAGER],
            project=Project.objects.get(pk=project.pk),
            team=[build.worker(YUEHU, name="外站社工")],
        )
    assert "team" in refused.value.message_dict
    assert project.team.count() == 0
    # A lead who has left since stays on an edit that does not change the lead.
    lead = project.lead
    lead.left_on = date(2024, 6, 1)
    lead.save()
    services.project_update(
        actor=users[Role.STATION_MANAGER],
        project=Project.objects.get(pk=project.pk),
        description="补充说明",
    )
    assert Project.objects.get(pk=project.pk).description == "补充说明"


def test_the_api_names_the_field_of_a_broken_rule(users: dict[str, Any]) -> None:
    client = api(users[Role.STATION_MANAGER])
    body = {
        "station": build.station(CICHENG).pk,
        "name": "接口项目",
        "category": "vulnerable_groups",
        "field": "children",
        "starts_on": "2024-03-01",
        "ends_on": "2025-02-28",
        "lead": build.lead_of(CICHENG).pk,
    }
    response = client.post(reverse("api:project-list"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"target_groups": ["困弱群体服务项目须注明服务群体。"]}
    body["target_groups"] = ["child_in_difficulty"]
    body["villages"] = [build.CICHENG_VILLAGE]
    response = client.post(reverse("api:project-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["target_groups"] == ["child_in_difficulty"]
    assert response.json()["region_code"] == CICHENG
    assert response.json()["status"] == "proposed"


# --- enrolments ------------------------------------------------------------------------------


def enrol(project: Project, person: Any = None, **changes: Any) -> ProjectEnrolment:
    fields: dict[str, Any] = {
        "project": project,
        "recipient": person or build.recipient(project.station.region.code),
        "enrolled_on": date(2024, 4, 1),
    }
    fields.update(changes)
    return services.enrolment_create(actor=SYSTEM, **fields)


def enrolment_refusal(project: Project, person: Any = None, **changes: Any) -> dict[str, Any]:
    before = ProjectEnrolment.objects.count()
    with pytest.raises(ValidationError) as refused:
        enrol(project, person, **changes)
    assert ProjectEnrolment.objects.count() == before
    return refused.value.message_dict


@pytest.mark.parametrize(
    ("status", "accepted"),
    [
        (ProjectStatus.PROPOSED, False),
        (ProjectStatus.APPROVED, True),
        (ProjectStatus.RUNNING, True),
        (ProjectStatus.MIDTERM, True),
        (ProjectStatus.CLOSING, False),
        (ProjectStatus.CLOSED, False),
        (ProjectStatus.TERMINATED, False),
    ],
)
def test_people_are_enrolled_from_approval_until_closing(status: str, accepted: bool) -> None:
    project = build.project(CICHENG, status=status)
    if accepted:
        assert enrol(project).pk
    else:
        assert "立项后、结项前才能纳入服务对象" in enrolment_refusal(project)["project"][0]


def test_a_person_of_another_township_is_not_enrolled() -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING, name="慈孝")
    stranger = build.recipient(YUEHU, name="外地老人")
    assert enrolment_refusal(project, stranger)["recipient"] == ["外地老人不住在慈孝服务的慈城镇。"]
    hub_project = build.project(JIANGBEI, status=ProjectStatus.RUNNING)
    assert enrol(hub_project, build.recipient(CICHENG)).pk  # the hub serves the district


def test_only_people_in_service_that_day_are_enrolled() -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    newcomer = build.recipient(CICHENG, name="新人", registered_on=date(2024, 5, 1))
    assert enrolment_refusal(project, newcomer)["enrolled_on"] == [
        "新人在2024-04-01不在社工站服务范围内（登记于2024-05-01）。"
    ]
    gone = build.recipient(
        CICHENG,
        name="故人",
        status="deceased",
        exited_on=date(2024, 3, 15),
        exit_reason="deceased",
    )
    assert enrolment_refusal(project, gone)["enrolled_on"] == [
        "故人在2024-04-01不在社工站服务范围内（登记于2020-01-01，2024-03-15退出）。"
    ]
    # Recorded afterwards: enrolled while still served.
    assert enrol(project, gone, enrolled_on=date(2024, 3, 1), exited_on=date(2024, 3, 14)).pk
    merged_into = build.recipient(CICHENG)
    merged = build.recipient(CICHENG, name="重复", status="merged", merged_into=merged_into)
    assert enrolment_refusal(project, merged)["recipient"] == [
        "重复不能纳入项目（已合并到其他记录）。"
    ]


def test_enrolment_dates_lie_in_the_project_and_in_order() -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    assert (
        "项目开始日期"
        in enrolment_refusal(project, enrolled_on=date(2023, 12, 31))["enrolled_on"][0]
    )
    errors = enrolment_refusal(project, enrolled_on=date(2024, 5, 1), exited_on=date(2024, 4, 1))
    assert errors["exited_on"] == ["退出日期早于纳入日期。"]
    tomorrow_plus = timezone.localdate() + timedelta(days=5)
    assert "enrolled_on" in enrolment_refusal(project, enrolled_on=tomorrow_plus)


def test_one_enrolment_at_a_time_per_person_and_project() -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING, name="暖心")
    person = build.recipient(CICHENG, name="王阿婆")
    first = enrol(project, person, exited_on=date(2024, 6, 30))
    errors = enrolment_refusal(project, person, enrolled_on=date(2024, 6, 1))
    assert errors["enrolled_on"] == ["王阿婆自2024-04-01起已在暖心中：期间重叠。"]
    again = enrol(project, person, enrolled_on=date(2024, 9, 1))  # back after leaving
    assert {first.pk, again.pk} == set(
        ProjectEnrolment.objects.filter(recipient=person).values_list("pk", flat=True)
    )
    assert "enrolled_on" in enrolment_refusal(project, person, enrolled_on=date(2024, 10, 1))


def test_a_closed_project_s_enrolments_do_not_change(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    enrolment = enrol(project)
    services.project_terminate(actor=SYSTEM, project=project, reason="停止")
    enrolment.refresh_from_db()
    with pytest.raises(StateConflict):
        services.enrolment_update(actor=SYSTEM, enrolment=enrolment, note="补记")
    with pytest.raises(StateConflict):
        services.enrolment_delete(actor=SYSTEM, enrolment=enrolment)
    client = api(users[Role.STATION_MANAGER])
    url = reverse("api:projectenrolment-detail", args=[enrolment.pk])
    assert client.patch(url, {"note": "补记"}, format="json").status_code == 409
    assert client.delete(url).status_code == 409
    assert ProjectEnrolment.objects.filter(pk=enrolment.pk).exists()


def test_the_person_and_project_of_an_enrolment_stay(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    enrolment = enrol(project)
    other = build.recipient(CICHENG)
    client = api(users[Role.SOCIAL_WORKER])
    url = reverse("api:projectenrolment-detail", args=[enrolment.pk])
    response = client.patch(url, {"recipient": other.pk}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["recipient"]
    response = client.patch(url, {"exited_on": "2024-08-31", "exit_reason": "康复"}, format="json")
    assert response.status_code == 200
    assert response.json()["exited_on"] == "2024-08-31"
