"""The case API contract (GET /api/v1/cases/) and its stage actions, which call the same
services as the pages."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from swstation.cases.models import Case, CaseStage, CaseTransfer
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.clients import api_for as api
from tests.conftest import CICHENG

pytestmark = pytest.mark.django_db


def act(user: Any, case: Case, name: str, body: dict[str, Any] | None = None) -> Any:
    return api(user).post(f"/api/v1/cases/{case.pk}/{name}/", body or {}, format="json")


def test_list_contract(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    for n in range(2, 5):
        build.make_case(CICHENG, n)
    response = api(users[Role.STATION_MANAGER]).get("/api/v1/cases/", {"page_size": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert len(data["results"]) == 2 and data["next"]
    row = next(
        r
        for r in api(users[Role.STATION_MANAGER]).get("/api/v1/cases/").json()["results"]
        if r["id"] == case.pk
    )
    assert {"stage", "number", "recipient", "station", "worker", "supervisor", "opened_on"} <= set(
        row
    )
    assert row["stage"] == "planning"
    assert row["number"] == case.number
    assert row["recipient"] == case.recipient_id
    assert row["recipient_name"] == case.recipient.name
    assert row["station"] == case.station_id
    assert row["worker"] == case.worker_id
    assert row["supervisor"] == case.supervisor_id
    assert row["opened_on"] == "2024-03-01"


def test_list_filters(users: dict[str, Any]) -> None:
    planning = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    intake = build.make_case(CICHENG, 2, opened_on=date(2023, 5, 1))
    client = api(users[Role.STATION_MANAGER])

    def numbers(**params: Any) -> set[str]:
        return {r["number"] for r in client.get("/api/v1/cases/", params).json()["results"]}

    assert numbers(stage="planning") == {planning.number}
    assert numbers(opened_year=2023) == {intake.number}
    assert numbers(q=intake.recipient.name) == {intake.number}
    assert numbers(worker=planning.worker_id) == {planning.number, intake.number}


def test_create_opens_at_intake_with_a_number(users: dict[str, Any]) -> None:
    sw = users[Role.SOCIAL_WORKER]
    me = build.worker_of(sw)
    response = api(sw).post(
        "/api/v1/cases/",
        {
            "recipient": build.recipient(CICHENG).pk,
            "station": me.station_id,
            "worker": me.pk,
            "presenting_problem": "失业，需要就业援助",
            "stage": "closed",  # read-only: ignored
            "number": "X-1",  # read-only: ignored
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "intake"
    assert data["number"].startswith("330205103-")
    assert data["supervisor"] is None


def test_patch_cannot_move_worker_or_station(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1)
    other = build.worker(CICHENG)
    response = api(users[Role.STATION_MANAGER]).patch(
        f"/api/v1/cases/{case.pk}/", {"worker": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "worker" in response.json()
    assert Case.objects.get(pk=case.pk).worker_id == case.worker_id


def test_walk_and_close_through_the_api(users: dict[str, Any]) -> None:
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1)
    assert act(sw, case, "advance", {"to_stage": "assessment"}).json()["stage"] == "assessment"
    refused = act(sw, case, "advance", {"to_stage": "planning"})
    assert refused.status_code == 400 and "assessment_summary" in refused.json()
    skip = act(sw, case, "advance", {"to_stage": "evaluation"})
    assert skip.status_code == 400 and "to_stage" in skip.json()
    moved = act(sw, case, "advance", {"to_stage": "planning", "assessment_summary": "预估"})
    assert moved.status_code == 200 and moved.json()["assessment_summary"] == "预估"
    no_goal = act(sw, case, "advance", {"to_stage": "intervention"})
    assert no_goal.status_code == 400 and "goals" in no_goal.json()
    goal = api(sw).post(
        "/api/v1/case-goals/", {"case": case.pk, "description": "就业"}, format="json"
    )
    assert goal.status_code == 201
    assert act(sw, case, "advance", {"to_stage": "intervention"}).status_code == 200
    assert (
        act(
            sw, case, "advance", {"to_stage": "evaluation", "intervention_summary": "已介入"}
        ).json()["stage"]
        == "evaluation"
    )
    closed_directly = act(sw, case, "advance", {"to_stage": "closed"})
    assert closed_directly.status_code == 400
    missing = act(sw, case, "request-closure")
    assert missing.status_code == 400
    assert {"closing_summary", "closing_reason"} <= set(missing.json())
    requested = act(
        sw, case, "request-closure", {"closing_summary": "就业", "closing_reason": "goals_met"}
    )
    assert requested.status_code == 200 and requested.json()["closure_requested_at"]

    assert act(users[Role.STATION_MANAGER], case, "approve-closure").status_code == 403
    assert act(sw, case, "approve-closure").status_code == 403
    assert act(users[Role.AUDITOR], case, "approve-closure").status_code == 403
    approved = act(users[Role.SUPERVISOR], case, "approve-closure")
    assert approved.status_code == 200
    assert approved.json()["stage"] == "closed"
    assert approved.json()["closure_approved_by"] == users[Role.SUPERVISOR].pk

    no_reason = act(sw, case, "reopen")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    reopened = act(sw, case, "reopen", {"reason": "再次失业"})
    assert reopened.json()["stage"] == "intervention"
    assert reopened.json()["reopened_count"] == 1


def test_return_closure_through_the_api(users: dict[str, Any]) -> None:
    case = build.make_case(
        CICHENG,
        1,
        stage=CaseStage.EVALUATION,
        closure_requested_at=timezone.now(),
        closing_summary="x",
        closing_reason="goals_met",
    )
    assert act(users[Role.SOCIAL_WORKER], case, "return-closure", {"reason": "x"}).status_code == (
        403
    )
    returned = act(users[Role.SUPERVISOR], case, "return-closure", {"reason": "证据不足"})
    assert returned.status_code == 200
    assert returned.json()["closure_requested_at"] is None
    assert returned.json()["stage"] == "evaluation"


def test_reading_roles_cannot_use_write_actions(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1)
    for role in (Role.SUPERVISOR, Role.AUDITOR):
        for name in ("advance", "request-closure", "reopen", "transfer"):
            assert act(users[role], case, name, {"to_stage": "assessment"}).status_code == 403
    assert Case.objects.get(pk=case.pk).stage == CaseStage.INTAKE


def test_transfer_through_the_api(users: dict[str, Any]) -> None:
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1)
    colleague = build.worker(CICHENG, name="接班社工")
    bad = act(sw, case, "transfer", {"to_worker": colleague.pk})
    assert bad.status_code == 400 and "reason" in bad.json()
    moved = act(sw, case, "transfer", {"to_worker": colleague.pk, "reason": "轮岗"})
    assert moved.status_code == 200
    assert moved.json()["worker"] == colleague.pk
    assert CaseTransfer.objects.get().from_worker_id == case.worker_id
    # the case is no longer the social worker's: it is gone from their list
    assert api(sw).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    transfers = api(users[Role.STATION_MANAGER]).get("/api/v1/case-transfers/", {"case": case.pk})
    assert transfers.json()["count"] == 1
    assert transfers.json()["results"][0]["to_worker_name"] == "接班社工"


def test_actions_on_someone_elses_case_are_404(users: dict[str, Any], make_user: Any) -> None:
    case = build.make_case(CICHENG, 1)
    colleague = make_user(Role.SOCIAL_WORKER, CICHENG)
    assert act(colleague, case, "advance", {"to_stage": "assessment"}).status_code == 404
    outside = build.make_case(build.YUEHU, 2)
    assert act(users[Role.DISTRICT_OFFICER], outside, "advance", {}).status_code == 404


def test_schema_documents_the_actions(users: dict[str, Any]) -> None:
    client = APIClient()
    client.force_login(users[Role.CITY_ADMIN])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for name in ("advance", "request-closure", "approve-closure", "reopen", "transfer"):
        path = f"/api/v1/cases/{{id}}/{name}/"
        assert path in schema["paths"], path
    advance = schema["paths"]["/api/v1/cases/{id}/advance/"]["post"]
    assert "requestBody" in advance
