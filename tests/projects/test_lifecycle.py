"""The project life cycle (issue 12): 申报 proposed → 立项 approved → 实施 running → 中期评估
midterm → 结项 closing → 已结项 closed, or 终止 terminated with a reason. One step at a time,
each locking the project (core/transitions.py); any other step is a StateConflict — 409 in the
API, a message on the page; approval and termination by whoever approves for the money asked."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.projects import selectors, services
from swstation.projects.models import (
    FINAL_STATUSES,
    NEXT_STATUS,
    FundingLevel,
    Project,
    ProjectEnrolment,
    ProjectStatus,
)
from tests.concurrency import parallel, run_together
from tests.conftest import CICHENG
from tests.projects import helpers as build
from tests.projects.helpers import api, page

pytestmark = pytest.mark.django_db

CHAIN = [
    ProjectStatus.APPROVED,
    ProjectStatus.RUNNING,
    ProjectStatus.MIDTERM,
    ProjectStatus.CLOSING,
    ProjectStatus.CLOSED,
]


def shown(response: Any) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


def fresh(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


def test_a_project_walks_its_whole_life_cycle(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    project = build.project(CICHENG)
    for status in CHAIN:
        services.project_advance(actor=manager, project=fresh(project), to_status=status)
        assert fresh(project).status == status
    done = fresh(project)
    assert done.approved_by == manager
    assert done.approved_on == timezone.localdate()
    assert done.closed_on == timezone.localdate()
    changes = selectors.project_status_changes(project=done)
    assert [c.status for c in changes] == ["申报", "立项", "实施", "中期评估", "结项", "已结项"]
    assert all(c.user for c in changes[1:])  # each step names who made it
    steps = selectors.project_status_steps(done)
    assert [s.state for s in steps] == ["done"] * 6


@pytest.mark.parametrize("current", list(ProjectStatus))
def test_every_step_but_the_next_one_is_a_state_conflict(
    current: ProjectStatus, users: dict[str, Any]
) -> None:
    project = build.project(CICHENG, status=current)
    before = project.history.count()
    for target in ProjectStatus:
        if target == NEXT_STATUS.get(current):
            continue
        with pytest.raises(StateConflict):
            services.project_advance(actor=SYSTEM, project=fresh(project), to_status=target)
    assert fresh(project).status == current
    assert project.history.count() == before


def test_the_refusal_says_what_the_next_step_is(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, name="幸福来敲门")
    with pytest.raises(StateConflict) as refused:
        services.project_advance(actor=SYSTEM, project=project, to_status=ProjectStatus.RUNNING)
    assert refused.value.messages == [
        "项目“幸福来敲门”处于“申报”：下一步是“立项”，而不是“实施”（流程不能跳过、重复或回退）。"
    ]


@pytest.mark.parametrize(
    ("funding", "role", "allowed"),
    [
        (FundingLevel.STATION, Role.STATION_MANAGER, True),
        (FundingLevel.STATION, Role.DISTRICT_OFFICER, True),
        (FundingLevel.STATION, Role.CITY_ADMIN, True),
        (FundingLevel.DISTRICT, Role.STATION_MANAGER, False),
        (FundingLevel.DISTRICT, Role.DISTRICT_OFFICER, True),
        (FundingLevel.DISTRICT, Role.CITY_ADMIN, True),
        (FundingLevel.CITY, Role.STATION_MANAGER, False),
        (FundingLevel.CITY, Role.DISTRICT_OFFICER, True),
        (FundingLevel.CITY, Role.CITY_ADMIN, True),
        (FundingLevel.STATION, Role.SOCIAL_WORKER, False),
        (FundingLevel.STATION, Role.SUPERVISOR, False),
        (FundingLevel.STATION, Role.AUDITOR, False),
    ],
)
def test_who_approves_depends_on_the_money_asked(
    funding: str, role: str, allowed: bool, users: dict[str, Any]
) -> None:
    project = build.project(CICHENG, funding_level=funding)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.project_advance(
                actor=users[role], project=project, to_status=ProjectStatus.APPROVED
            )
        assert fresh(project).status == ProjectStatus.PROPOSED
        return
    services.project_advance(actor=users[role], project=project, to_status=ProjectStatus.APPROVED)
    assert fresh(project).status == ProjectStatus.APPROVED
    assert fresh(project).approved_by == users[role]


def test_a_station_manager_is_told_who_approves_district_money(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, name="鼎秀营", funding_level=FundingLevel.DISTRICT)
    with pytest.raises(PermissionDenied) as refused:
        services.project_advance(
            actor=users[Role.STATION_MANAGER], project=project, to_status=ProjectStatus.APPROVED
        )
    assert str(refused.value) == "项目“鼎秀营”申请区县或市级经费：由区县民政局立项审批。"
    # Past approval, the manager runs the project on.
    services.project_advance(
        actor=users[Role.DISTRICT_OFFICER], project=fresh(project), to_status="approved"
    )
    services.project_advance(
        actor=users[Role.STATION_MANAGER], project=fresh(project), to_status="running"
    )
    assert fresh(project).status == ProjectStatus.RUNNING


def test_the_approval_day_may_be_given_and_is_plausible(users: dict[str, Any]) -> None:
    project = build.project(CICHENG)
    with pytest.raises(ValidationError) as refused:
        services.project_advance(
            actor=SYSTEM,
            project=project,
            to_status="approved",
            on=timezone.localdate() + timedelta(days=30),
        )
    assert "approved_on" in refused.value.message_dict
    assert fresh(project).status == ProjectStatus.PROPOSED
    services.project_advance(
        actor=SYSTEM, project=fresh(project), to_status="approved", on=date(2023, 12, 1)
    )
    assert fresh(project).approved_on == date(2023, 12, 1)
    assert fresh(project).approved_by is None  # the platform is no person


@pytest.mark.parametrize("current", [s for s in ProjectStatus if s not in FINAL_STATUSES])
def test_a_project_is_terminated_with_a_reason_from_any_open_state(
    current: ProjectStatus, users: dict[str, Any]
) -> None:
    project = build.project(CICHENG, status=current)
    with pytest.raises(ValidationError) as refused:
        services.project_terminate(actor=SYSTEM, project=project, reason="  ")
    assert refused.value.message_dict == {"reason": ["请说明终止项目的原因。"]}
    services.project_terminate(actor=SYSTEM, project=fresh(project), reason="承接机构退出")
    done = fresh(project)
    assert done.status == ProjectStatus.TERMINATED
    assert done.termination_reason == "承接机构退出"
    assert done.terminated_on == timezone.localdate()
    steps = selectors.project_status_steps(done)
    assert steps[-1].value == "terminated" and steps[-1].state == "current"
    assert [s.value for s in steps if s.state == "done"][-1] == current


@pytest.mark.parametrize("final", sorted(FINAL_STATUSES))
def test_a_final_project_is_not_terminated_again(final: str, users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=final)
    with pytest.raises(StateConflict):
        services.project_terminate(actor=SYSTEM, project=project, reason="再次终止")


def test_a_station_manager_does_not_terminate_district_money(users: dict[str, Any]) -> None:
    project = build.project(
        CICHENG, status=ProjectStatus.RUNNING, funding_level=FundingLevel.CITY, name="向阳飞翔"
    )
    with pytest.raises(PermissionDenied) as refused:
        services.project_terminate(
            actor=users[Role.STATION_MANAGER], project=project, reason="经费不足"
        )
    assert "是否终止由区县民政局决定" in str(refused.value)
    assert fresh(project).status == ProjectStatus.RUNNING


@pytest.mark.parametrize("end", ["close", "terminate"])
def test_closing_or_terminating_ends_the_open_enrolments(end: str, users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=ProjectStatus.CLOSING)
    still = build.enrolment(project)
    left = build.enrolment(project, exited_on=date(2024, 5, 1), exit_reason="去世")
    if end == "close":
        services.project_advance(actor=SYSTEM, project=project, to_status="closed")
    else:
        services.project_terminate(actor=SYSTEM, project=project, reason="停止")
    still.refresh_from_db()
    left.refresh_from_db()
    assert still.exited_on == timezone.localdate()
    assert still.exit_reason in ("项目已结项。", "项目已终止。")
    assert (left.exited_on, left.exit_reason) == (date(2024, 5, 1), "去世")


def test_a_step_through_a_stale_copy_is_refused(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, name="慈缘驿站")
    stale = fresh(project)
    services.project_advance(actor=SYSTEM, project=fresh(project), to_status="approved")
    with pytest.raises(StateConflict) as refused:
        services.project_advance(actor=SYSTEM, project=stale, to_status="approved")
    assert refused.value.messages == [
        "项目“慈缘驿站”刚刚已被他人更改，当前状态为“立项”。请刷新后重试。"
    ]
    assert project.history.filter(status="approved").count() == 1


# --- the API ---------------------------------------------------------------------------------


def test_the_api_moves_a_project_and_answers_409_to_an_illegal_step(
    users: dict[str, Any],
) -> None:
    client = api(users[Role.STATION_MANAGER])
    project = build.project(CICHENG, name="巷爱翼生")
    url = reverse("api:project-advance", args=[project.pk])
    response = client.post(url, {"to_status": "approved"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["approved_on"] == timezone.localdate().isoformat()
    again = client.post(url, {"to_status": "approved"}, format="json")
    assert again.status_code == 409
    assert again.json() == {
        "detail": "项目“巷爱翼生”处于“立项”：下一步是“实施”，而不是“立项”"
        "（流程不能跳过、重复或回退）。"
    }
    skip = client.post(url, {"to_status": "closed"}, format="json")
    assert skip.status_code == 409
    unknown = client.post(url, {"to_status": "flying"}, format="json")
    assert unknown.status_code == 400 and "to_status" in unknown.json()
    assert fresh(project).status == ProjectStatus.APPROVED


def test_the_api_refuses_an_approval_by_the_wrong_role_with_403(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, funding_level=FundingLevel.DISTRICT)
    url = reverse("api:project-advance", args=[project.pk])
    response = api(users[Role.STATION_MANAGER]).post(url, {"to_status": "approved"}, format="json")
    assert response.status_code == 403
    assert "由区县民政局立项审批" in response.json()["detail"]
    for role in (Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR):  # read projects only
        response = api(users[role]).post(url, {"to_status": "approved"}, format="json")
        assert response.status_code == 403, role
    response = api(users[Role.DISTRICT_OFFICER]).post(url, {"to_status": "approved"}, format="json")
    assert response.status_code == 200
    assert response.json()["approved_by"] == users[Role.DISTRICT_OFFICER].pk


def test_the_api_terminates_with_a_reason_and_refuses_it_afterwards(
    users: dict[str, Any],
) -> None:
    client = api(users[Role.DISTRICT_OFFICER])
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    url = reverse("api:project-terminate", args=[project.pk])
    empty = client.post(url, {}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()
    done = client.post(url, {"reason": "服务对象全部迁出"}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "terminated"
    assert done.json()["termination_reason"] == "服务对象全部迁出"
    again = client.post(url, {"reason": "再次"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": f"项目“{project.name}”已处于“终止”状态，不能再更改。"}


def test_only_a_proposal_is_deleted(users: dict[str, Any]) -> None:
    client = api(users[Role.STATION_MANAGER])
    running = build.project(CICHENG, status=ProjectStatus.RUNNING)
    response = client.delete(reverse("api:project-detail", args=[running.pk]))
    assert response.status_code == 409
    assert "请改为终止项目" in response.json()["detail"]
    assert Project.objects.filter(pk=running.pk).exists()
    manager_page = page(users[Role.STATION_MANAGER])
    response = manager_page.post(reverse("projects:project_delete", args=[running.pk]))
    assert response["Location"] == running.get_absolute_url()
    assert Project.objects.filter(pk=running.pk).exists()
    proposal = build.project(CICHENG)
    assert client.delete(reverse("api:project-detail", args=[proposal.pk])).status_code == 204


def test_a_final_project_is_not_edited(users: dict[str, Any]) -> None:
    client = api(users[Role.STATION_MANAGER])
    closed = build.project(CICHENG, status=ProjectStatus.CLOSED, closed_on=date(2025, 1, 2))
    response = client.patch(
        reverse("api:project-detail", args=[closed.pk]), {"name": "改名"}, format="json"
    )
    assert response.status_code == 409
    assert fresh(closed).name == closed.name
    detail = page(users[Role.STATION_MANAGER]).get(closed.get_absolute_url())
    assert detail.context["can_change"] is False
    assert detail.context["advance_form"] is None and detail.context["terminate_form"] is None


def test_once_approved_the_money_asked_and_the_station_stay(users: dict[str, Any]) -> None:
    client = api(users[Role.DISTRICT_OFFICER])
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    url = reverse("api:project-detail", args=[project.pk])
    response = client.patch(url, {"funding_level": "city"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["funding_level"]
    other = build.station(build.KONGPU)
    response = client.patch(url, {"station": other.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["station"]
    proposal = build.project(CICHENG)
    response = client.patch(
        reverse("api:project-detail", args=[proposal.pk]), {"funding_level": "city"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["funding_level"] == "city"


# --- the page --------------------------------------------------------------------------------


def test_the_page_moves_a_project_and_shows_a_refusal(users: dict[str, Any]) -> None:
    client = page(users[Role.STATION_MANAGER])
    project = build.project(CICHENG, name="塔峙大阿嫂")
    detail = client.get(project.get_absolute_url())
    assert detail.context["actions"].advance_to == "approved"
    assert 'id="advance-form"' in detail.content.decode()
    url = reverse("projects:project_advance", args=[project.pk])
    response = client.post(url, {"to_status": "approved"}, follow=True)
    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    assert shown(response) == [(messages.SUCCESS, "项目“塔峙大阿嫂”：立项。")]
    again = client.post(url, {"to_status": "approved"}, follow=True)
    assert shown(again) == [
        (
            messages.ERROR,
            "项目“塔峙大阿嫂”处于“立项”：下一步是“实施”，而不是“立项”（流程不能跳过、重复或回退）。",
        )
    ]
    assert fresh(project).status == ProjectStatus.APPROVED
    assert fresh(project).history.filter(status="approved").count() == 1


def test_the_page_tells_a_station_manager_who_approves(users: dict[str, Any]) -> None:
    client = page(users[Role.STATION_MANAGER])
    project = build.project(CICHENG, funding_level=FundingLevel.DISTRICT)
    detail = client.get(project.get_absolute_url())
    assert detail.context["actions"].advance_to is None
    assert 'id="approver-needed"' in detail.content.decode()
    response = client.post(
        reverse("projects:project_advance", args=[project.pk]), {"to_status": "approved"}
    )
    [(level, text)] = shown(response)
    assert level == messages.ERROR and "由区县民政局立项审批" in text
    assert fresh(project).status == ProjectStatus.PROPOSED


def test_the_page_terminates_with_a_reason(users: dict[str, Any]) -> None:
    client = page(users[Role.STATION_MANAGER])
    project = build.project(CICHENG, status=ProjectStatus.MIDTERM)
    url = reverse("projects:project_terminate", args=[project.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    [(level, text)] = shown(response)
    assert level == messages.ERROR and "终止原因" in text
    assert fresh(project).status == ProjectStatus.MIDTERM
    response = client.post(url, {"reason": "社区合并"})
    assert shown(response) == [(messages.SUCCESS, f"项目“{project.name}”已终止。")]
    detail = client.get(project.get_absolute_url())
    assert "社区合并" in detail.content.decode()


def test_roles_that_read_projects_get_no_actions_and_403(users: dict[str, Any]) -> None:
    project = build.project(CICHENG)
    for role in (Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR):
        client = page(users[role])
        detail = client.get(project.get_absolute_url())
        assert detail.status_code == 200
        assert detail.context["advance_form"] is None, role
        url = reverse("projects:project_advance", args=[project.pk])
        assert client.post(url, {"to_status": "approved"}).status_code == 403, role
    assert fresh(project).status == ProjectStatus.PROPOSED


@parallel
def test_two_approvals_at_once_one_is_refused_with_409(users: dict[str, Any]) -> None:
    project = build.project(CICHENG)
    clients = [api(users[Role.STATION_MANAGER]), api(users[Role.DISTRICT_OFFICER])]
    url = reverse("api:project-advance", args=[project.pk])
    responses = run_together(
        lambda: clients[0].post(url, {"to_status": "approved"}, format="json"),
        lambda: clients[1].post(url, {"to_status": "approved"}, format="json"),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    assert project.history.filter(status="approved").count() == 1


@parallel
def test_two_enrolments_of_one_person_at_once_make_one(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    person = build.recipient(CICHENG)
    clients = [api(users[Role.STATION_MANAGER]), api(users[Role.SOCIAL_WORKER])]
    body = {"project": project.pk, "recipient": person.pk, "enrolled_on": "2024-05-01"}
    url = reverse("api:projectenrolment-list")
    responses = run_together(
        lambda: clients[0].post(url, body, format="json"),
        lambda: clients[1].post(url, body, format="json"),
    )
    assert sorted(r.status_code for r in responses) == [201, 400], responses
    assert ProjectEnrolment.objects.filter(project=project, recipient=person).count() == 1
