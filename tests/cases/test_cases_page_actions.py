"""The case page: stage progress bar, the action buttons each role gets, the action forms
posting to the services (refusals shown on the page, nothing saved), and flat query counts."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from swstation.cases.models import Case, CaseStage, CaseTransfer
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.clients import client_for as web
from tests.conftest import CICHENG

pytestmark = pytest.mark.django_db

ACTION_IDS = (
    "advance-form",
    "closure-form",
    "approve-closure-button",
    "reopen-form",
    "transfer-form",
    "add-goal",
)


def page(user: Any, case: Case) -> str:
    response = web(user).get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def shown(body: str) -> set[str]:
    return {name for name in ACTION_IDS if f'id="{name}"' in body}


def test_stage_bar_marks_done_current_and_todo(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    body = page(users[Role.STATION_MANAGER], case)
    states = dict(re.findall(r'data-stage="(\w+)" data-state="(\w+)"', body))
    assert states == {
        "intake": "done",
        "assessment": "done",
        "planning": "current",
        "intervention": "todo",
        "evaluation": "todo",
        "closed": "todo",
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SOCIAL_WORKER, {"advance-form", "transfer-form", "add-goal"}),
        (Role.STATION_MANAGER, {"advance-form", "transfer-form", "add-goal"}),
        (Role.SUPERVISOR, set()),
        (Role.AUDITOR, set()),
    ],
)
def test_buttons_of_an_open_case(role: str, expected: set[str], users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTAKE)
    assert shown(page(users[role], case)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SOCIAL_WORKER, {"closure-form", "transfer-form", "add-goal"}),
        (Role.STATION_MANAGER, {"closure-form", "transfer-form", "add-goal"}),
        (Role.SUPERVISOR, {"approve-closure-button"}),
        (Role.CITY_ADMIN, {"closure-form", "transfer-form", "add-goal", "approve-closure-button"}),
        (Role.AUDITOR, set()),
    ],
)
def test_buttons_of_a_pending_closure(role: str, expected: set[str], users: dict[str, Any]) -> None:
    case = build.make_case(
        CICHENG,
        1,
        stage=CaseStage.EVALUATION,
        closure_requested_at=timezone.now(),
        closing_summary="目标达成",
        closing_reason="goals_met",
    )
    assert shown(page(users[role], case)) == expected


def test_buttons_of_a_closed_case(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.CLOSED)
    body = page(users[Role.SOCIAL_WORKER], case)
    assert shown(body) == {"reopen-form"}
    assert reverse("cases:case_edit", args=[case.pk]) not in body
    open_case = build.make_case(CICHENG, 2)
    assert reverse("cases:case_edit", args=[open_case.pk]) in page(
        users[Role.SOCIAL_WORKER], open_case
    )
    assert shown(page(users[Role.SUPERVISOR], case)) == set()


def test_advance_through_the_page(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.ASSESSMENT)
    client = web(users[Role.SOCIAL_WORKER])
    url = reverse("cases:case_advance", args=[case.pk])
    refused = client.post(url, {"to_stage": "planning"})
    assert refused.status_code == 400
    assert 'id="advance-form"' in refused.content.decode()
    assert "assessment_summary" in refused.content.decode()  # the field, shown with its error
    assert Case.objects.get(pk=case.pk).stage == CaseStage.ASSESSMENT
    done = client.post(url, {"to_stage": "planning", "assessment_summary": "需要生活照料"})
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.stage == CaseStage.PLANNING
    assert case.assessment_summary == "需要生活照料"
    skipped = client.post(url, {"to_stage": "evaluation", "intervention_summary": "x"})
    assert skipped.status_code == 400
    assert Case.objects.get(pk=case.pk).stage == CaseStage.PLANNING


def test_closure_through_the_pages(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.EVALUATION)
    worker = web(users[Role.SOCIAL_WORKER])
    missing = worker.post(reverse("cases:case_request_closure", args=[case.pk]), {})
    assert missing.status_code == 400
    assert Case.objects.get(pk=case.pk).closure_requested_at is None
    requested = worker.post(
        reverse("cases:case_request_closure", args=[case.pk]),
        {"closing_summary": "目标达成", "closing_reason": "goals_met"},
    )
    assert requested.status_code == 302
    manager = web(users[Role.STATION_MANAGER])
    refused = manager.post(reverse("cases:case_approve_closure", args=[case.pk]))
    assert refused.status_code == 400
    assert Case.objects.get(pk=case.pk).stage == CaseStage.EVALUATION
    # an auditor may not even try (a role that only reads, without being the supervisor)
    auditor = web(users[Role.AUDITOR]).post(reverse("cases:case_approve_closure", args=[case.pk]))
    assert auditor.status_code == 400
    approved = web(users[Role.SUPERVISOR]).post(
        reverse("cases:case_approve_closure", args=[case.pk])
    )
    assert approved.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == CaseStage.CLOSED
    reopened = worker.post(reverse("cases:case_reopen", args=[case.pk]), {"reopen-reason": "反复"})
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.reopened_count) == (CaseStage.INTERVENTION, 1)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
def test_reading_roles_cannot_post_actions(role: str, users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTAKE)
    client = web(users[role])
    for name, data in [
        ("case_advance", {"to_stage": "assessment"}),
        ("case_reopen", {"reopen-reason": "x"}),
        ("case_transfer", {"reason": "x"}),
        ("case_request_closure", {}),
    ]:
        assert client.post(reverse(f"cases:{name}", args=[case.pk]), data).status_code == 403
    assert Case.objects.get(pk=case.pk).stage == CaseStage.INTAKE


def test_transfer_away_returns_to_the_list(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTAKE)
    colleague = build.worker(CICHENG, name="同事")
    response = web(users[Role.SOCIAL_WORKER]).post(
        reverse("cases:case_transfer", args=[case.pk]),
        {"to_worker": colleague.pk, "reason": "休假"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_list")
    assert CaseTransfer.objects.get().to_worker == colleague
    assert web(users[Role.SOCIAL_WORKER]).get(case.get_absolute_url()).status_code == 404


def test_add_goal_link_prefills_the_case(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    body = (
        web(users[Role.SOCIAL_WORKER])
        .get(reverse("cases:casegoal_add"), {"case": case.pk})
        .content.decode()
    )
    assert re.search(rf'<option value="{case.pk}" selected>', body)


def related_rows(case: Case, n: int) -> None:
    for i in range(n):
        build.goal(case, f"目标{i}")
        build.service_record(case, case.opened_on, notes=f"记录{i}")
        build.elderly_assessment(case)
        build.child_assessment(case)
        other = build.worker(CICHENG)
        CaseTransfer.objects.create(
            case=case,
            from_worker=case.worker,
            to_worker=other,
            from_station=case.station,
            to_station=other.station,
            transferred_on=case.opened_on,
            reason=f"调整{i}",
        )
        case.presenting_problem += "。"
        case.save()


@pytest.mark.parametrize("suffix", ["", "_timeline", "_print"])
def test_case_pages_query_count_is_flat(suffix: str, users: dict[str, Any]) -> None:
    client = web(users[Role.STATION_MANAGER])
    few_case = build.make_case(CICHENG, 1, stage=CaseStage.INTERVENTION)
    many_case = build.make_case(CICHENG, 2, stage=CaseStage.INTERVENTION)
    related_rows(few_case, 1)
    related_rows(many_case, 8)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(f"cases:case{suffix}", args=[few_case.pk])).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(f"cases:case{suffix}", args=[many_case.pk])).status_code == 200
    assert len(many) == len(few)


def test_a_stale_case_edit_is_refused_and_saves_nothing(users: dict[str, Any]) -> None:
    """The case's edit form carries the version it shows, like every edit form: a case changed
    by someone else meanwhile is not overwritten."""
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    client = web(users[Role.SOCIAL_WORKER])
    url = reverse("cases:case_edit", args=[case.pk])
    version = re.search(r'name="row_version" value="([^"]+)"', client.get(url).content.decode())
    assert version, "the edit form carries the version it shows"
    data = {
        "supervisor": case.supervisor_id,
        "opened_on": case.opened_on.isoformat(),
        "presenting_problem": "社工的修改",
        "assessment_summary": case.assessment_summary,
        "intervention_summary": case.intervention_summary,
        "evaluation_summary": case.evaluation_summary,
        "row_version": version.group(1),
    }
    Case.objects.filter(pk=case.pk).update(  # someone else's change, saved meanwhile
        assessment_summary="督导的修改", updated_at=timezone.now()
    )
    stale = client.post(url, data)
    assert stale.status_code == 200
    assert "其他人修改了此记录" in stale.content.decode()
    case.refresh_from_db()
    assert case.presenting_problem != "社工的修改"
    assert case.assessment_summary == "督导的修改"
