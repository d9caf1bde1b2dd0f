"""Double transitions of a case (issue 9): every stage action, closure step, reopening and
transfer locks the case and checks that it is still in the state the request was made
against. The second of two requests made against the same state is refused with a
StateConflict: 409 with a Chinese ``detail`` in the API, a message on the case page.

The sequential tests act through a stale copy (loaded before another copy made the change), on
every database; the ``parallel`` tests race two threads on PostgreSQL."""

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from swstation.cases.api.views import CaseViewSet
from swstation.cases.models import Case, CaseGoal, CaseStage, CaseTransfer
from swstation.cases.services import cases as services
from swstation.cases.views import CaseAdvanceView
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from tests.cases import case_builders as build
from tests.clients import api_for as api
from tests.concurrency import parallel, run_together
from tests.conftest import CICHENG

pytestmark = pytest.mark.django_db

PENDING = {
    "stage": CaseStage.EVALUATION,
    "closure_requested_at": datetime(2024, 6, 1, 9, tzinfo=UTC),
    "closing_summary": "目标达成",
    "closing_reason": "goals_met",
    "intervention_summary": "已介入",
}


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# What each transition is, as a call on (users, case, a colleague to transfer to).
Action = Callable[[dict[str, Any], Case, Any], Any]


def advance(users: dict[str, Any], case: Case, _colleague: Any) -> Any:
    return services.case_advance(
        actor=users[Role.SOCIAL_WORKER], case=case, to_stage=CaseStage.ASSESSMENT
    )


def request_closure(users: dict[str, Any], case: Case, _colleague: Any) -> Any:
    return services.case_request_closure(
        actor=users[Role.SOCIAL_WORKER],
        case=case,
        closing_summary="目标达成",
        closing_reason="goals_met",
    )


def approve_closure(users: dict[str, Any], case: Case, _colleague: Any) -> Any:
    return services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)


def return_closure(users: dict[str, Any], case: Case, _colleague: Any) -> Any:
    return services.case_return_closure(actor=users[Role.SUPERVISOR], case=case, reason="补充材料")


def reopen(users: dict[str, Any], case: Case, _colleague: Any) -> Any:
    return services.case_reopen(actor=users[Role.SOCIAL_WORKER], case=case, reason="再次求助")


def transfer(users: dict[str, Any], case: Case, colleague: Any) -> Any:
    return services.case_transfer(
        actor=users[Role.STATION_MANAGER], case=case, to_worker=colleague, reason="轮岗"
    )


# (starting state, the change made first, the stale request refused, the stage it leaves)
STALE_REQUESTS: dict[str, tuple[dict[str, Any], Action, Action, str]] = {
    "advance twice": ({"stage": CaseStage.INTAKE}, advance, advance, CaseStage.ASSESSMENT),
    "request closure twice": (
        {"stage": CaseStage.EVALUATION, "intervention_summary": "已介入"},
        request_closure,
        request_closure,
        CaseStage.EVALUATION,
    ),
    "approve closure twice": (PENDING, approve_closure, approve_closure, CaseStage.CLOSED),
    "return a closure already approved": (
        PENDING,
        approve_closure,
        return_closure,
        CaseStage.CLOSED,
    ),
    "approve a closure already returned": (
        PENDING,
        return_closure,
        approve_closure,
        CaseStage.EVALUATION,
    ),
    "reopen twice": ({"stage": CaseStage.CLOSED}, reopen, reopen, CaseStage.INTERVENTION),
    "transfer twice": ({"stage": CaseStage.PLANNING}, transfer, transfer, CaseStage.PLANNING),
}


@pytest.mark.parametrize("name", list(STALE_REQUESTS))
def test_a_request_against_a_stale_state_is_refused(name: str, users: dict[str, Any]) -> None:
    start, first, second, stage_after = STALE_REQUESTS[name]
    case = build.make_case(CICHENG, 1, **start)
    colleague = build.worker(CICHENG, name="接班社工")
    stale = fresh(case)  # the copy a second request loaded before the first one's change
    first(users, fresh(case), colleague)
    after_first = fresh(case)

    with pytest.raises(StateConflict) as refused:
        second(users, stale, build.worker(CICHENG, name="又一位社工"))

    assert case.number in " ".join(refused.value.messages)
    now = fresh(case)
    assert now.stage == stage_after
    # Nothing of the refused request was written.
    for field in ("stage", "worker_id", "reopened_count", "closure_requested_at", "closed_on"):
        assert getattr(now, field) == getattr(after_first, field), field
    assert CaseTransfer.objects.filter(case=case).count() == (1 if first is transfer else 0)


def test_a_request_against_the_current_state_still_goes_through(users: dict[str, Any]) -> None:
    """The lock refuses only a stale state: another change of the case (a transfer) does not
    stop the next stage, and the service's own rules still speak (400, not 409)."""
    manager = users[Role.STATION_MANAGER]
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    loaded = fresh(case)
    transfer(users, fresh(case), build.worker(CICHENG, name="接班社工"))
    with pytest.raises(ValidationError) as refused:
        services.case_advance(actor=manager, case=loaded, to_stage=CaseStage.INTERVENTION)
    assert not isinstance(refused.value, StateConflict)
    assert "goals" in refused.value.message_dict
    build.goal(case)
    moved = services.case_advance(actor=manager, case=loaded, to_stage=CaseStage.INTERVENTION)
    assert moved.stage == CaseStage.INTERVENTION and moved.worker.name == "接班社工"


def test_the_api_answers_409_in_chinese(users: dict[str, Any]) -> None:
    """The same request sent twice: the second finds the case already moved (the API locks
    the case before loading it, so a second request sent together sees the same)."""
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1)
    url = f"/api/v1/cases/{case.pk}/advance/"
    assert api(sw).post(url, {"to_stage": "assessment"}, format="json").status_code == 200
    response = api(sw).post(url, {"to_stage": "assessment"}, format="json")
    assert response.status_code == 409
    with translation.override("zh-hans"):
        stage_now = str(CaseStage.ASSESSMENT.label)
    assert response.json() == {
        "detail": f"个案{case.number}已处于“{stage_now}”阶段：刚刚已被推进（他人操作或重复提交）。"
    }
    assert fresh(case).stage == CaseStage.ASSESSMENT


def test_the_api_answers_409_to_a_stale_copy(users: dict[str, Any]) -> None:
    """A caller holding the case as it was (here: the view's lookup, replaced) is refused by
    the service's own lock and check."""
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1)
    stale = fresh(case)
    advance(users, fresh(case), None)
    with mock.patch.object(CaseViewSet, "get_object", lambda self: stale):
        response = api(sw).post(
            f"/api/v1/cases/{case.pk}/request-closure/",
            {"closing_summary": "x", "closing_reason": "goals_met"},
            format="json",
        )
    assert response.status_code == 409
    with translation.override("zh-hans"):
        stage_now = str(CaseStage.ASSESSMENT.label)
    assert response.json() == {
        "detail": f"个案{case.number}刚刚已被他人更改，当前阶段为“{stage_now}”。请刷新后重试。"
    }


@pytest.mark.parametrize(
    ("start", "route", "data", "actor"),
    [
        ({"stage": CaseStage.INTAKE}, "case_advance", {"to_stage": "assessment"}, "sw"),
        (PENDING, "case_approve_closure", {}, "supervisor"),
        ({"stage": CaseStage.CLOSED}, "case_reopen", {"reopen-reason": "再次求助"}, "sw"),
    ],
)
def test_the_page_sends_a_second_submission_back_to_the_case_with_the_message(
    start: dict[str, Any], route: str, data: dict[str, str], actor: str, users: dict[str, Any]
) -> None:
    user = users[Role.SOCIAL_WORKER if actor == "sw" else Role.SUPERVISOR]
    case = build.make_case(CICHENG, 1, **start)
    client = Client()
    client.force_login(user)
    url = reverse(f"cases:{route}", args=[case.pk])
    assert client.post(url, data, follow=True).status_code == 200  # done, message shown
    after_first = fresh(case)
    second = client.post(url, data)
    assert second.status_code == 302 and second["Location"] == case.get_absolute_url()
    shown = [(m.level, str(m)) for m in get_messages(second.wsgi_request)]
    assert len(shown) == 1 and shown[0][0] == messages.ERROR and case.number in shown[0][1]
    now = fresh(case)
    assert (now.stage, now.reopened_count) == (after_first.stage, after_first.reopened_count)


def test_the_page_refuses_a_stale_copy_with_the_message(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTAKE)
    stale = fresh(case)
    advance(users, fresh(case), None)
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    with mock.patch.object(CaseAdvanceView, "get_object", lambda self, **kw: stale):
        response = client.post(
            reverse("cases:case_advance", args=[case.pk]), {"to_stage": "assessment"}
        )
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "刚刚已被他人更改" in shown[0] and "请刷新后重试" in shown[0]
    assert fresh(case).stage == CaseStage.ASSESSMENT


# --- real races (PostgreSQL) ---------------------------------------------------------------


@parallel
def test_two_advances_at_once_one_is_refused_with_409(users: dict[str, Any]) -> None:
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTAKE)
    clients = [api(sw), api(sw)]
    url = f"/api/v1/cases/{case.pk}/advance/"

    def post(client: APIClient) -> Any:
        return client.post(url, {"to_stage": "assessment"}, format="json")

    responses = run_together(lambda: post(clients[0]), lambda: post(clients[1]))

    assert sorted(r.status_code for r in responses) == [200, 409], responses
    refused = next(r for r in responses if r.status_code == 409)
    assert case.number in refused.json()["detail"]
    assert fresh(case).stage == CaseStage.ASSESSMENT
    assert case.history.filter(stage=CaseStage.ASSESSMENT).count() == 1  # moved once


@parallel
def test_approve_and_return_at_once_never_reopen_a_closed_case(users: dict[str, Any]) -> None:
    supervisor = users[Role.SUPERVISOR]
    case = build.make_case(CICHENG, 1, **{**PENDING, "closure_requested_at": timezone.now()})
    clients = [api(supervisor), api(supervisor)]
    base = f"/api/v1/cases/{case.pk}"

    responses = run_together(
        lambda: clients[0].post(f"{base}/approve-closure/", {}, format="json"),
        lambda: clients[1].post(f"{base}/return-closure/", {"reason": "补充"}, format="json"),
    )

    assert sorted(r.status_code for r in responses) == [200, 409], responses
    now = fresh(case)
    if responses[0].status_code == 200:  # approved first: it stays closed
        assert (now.stage, now.closed_on) == (CaseStage.CLOSED, timezone.localdate())
    else:  # returned first: still in evaluation, no request pending, never closed
        assert (now.stage, now.closure_requested_at, now.closed_on) == (
            CaseStage.EVALUATION,
            None,
            None,
        )


@parallel
def test_removing_two_goals_at_once_keeps_one_in_the_plan(users: dict[str, Any]) -> None:
    """A case in intervention keeps at least one goal. Two removals of its last two goals at
    once lock the case in turn, so the second one counts what the first one left.

    To make the race certain, each removal waits (up to 2 s) for the other one just before
    deleting, i.e. after counting the goals left: without the lock both would count two and
    both delete; with it the second is still waiting for the lock, so the first goes on
    alone after the 2 s."""
    manager = users[Role.STATION_MANAGER]
    case = build.make_case(CICHENG, 1, stage=CaseStage.INTERVENTION)
    goals = [build.goal(case), build.goal(case)]
    rendezvous = threading.Barrier(2)
    original_delete = CaseGoal.delete

    def delete_after_the_other_counted(goal: CaseGoal, *args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous.wait(2)
        return original_delete(goal, *args, **kwargs)

    def remove(goal: CaseGoal) -> Callable[[], str]:
        def call() -> str:
            services.case_goal_delete(actor=manager, goal=CaseGoal.objects.get(pk=goal.pk))
            return "removed"

        return call

    with mock.patch.object(CaseGoal, "delete", delete_after_the_other_counted):
        results = run_together(remove(goals[0]), remove(goals[1]))
    assert results.count("removed") == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert CaseGoal.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_patch_of_a_closed_case_is_a_conflict_not_a_field_error(users: dict[str, Any]) -> None:
    """A refusal of the record's state raised while saving (not by a custom action) is a 409
    too: the generic API write lets a StateConflict through instead of making it a 400."""
    worker = build.worker_of(users[Role.SOCIAL_WORKER])
    case = build.make_case(CICHENG, case_worker=worker, stage=CaseStage.CLOSED)
    response = api(users[Role.STATION_MANAGER]).patch(
        f"/api/v1/cases/{case.pk}/", {"presenting_problem": "改写"}, format="json"
    )
    assert response.status_code == 409, response.json()
    assert "已结案" in response.json()["detail"] or "结案" in response.json()["detail"]
    assert fresh(case).presenting_problem != "改写"
