"""The stage log (issue 18): every opening and stage change of a case is recorded with its date
by the services, so that "cases by stage at the end of 2023" can be counted; a corrected
opening date moves the opening, never after a later change."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from swstation.cases.models import Case, CaseStage, CaseStageChange
from swstation.cases.services import cases as services
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.cases.test_cases_stages import open_case, request_closure, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker": build.worker_of(users[Role.SOCIAL_WORKER]),
        "supervisor": build.supervisor_of(users[Role.SUPERVISOR]),
    }


def log(case: Case) -> list[tuple[str, str, date]]:
    return list(
        CaseStageChange.objects.filter(case=case)
        .order_by("changed_on", "pk")
        .values_list("from_stage", "to_stage", "changed_on")
    )


def test_the_opening_and_every_change_are_logged_with_their_day(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    today = timezone.localdate()
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    assert log(case) == [("", "intake", date(2024, 3, 1))]
    case = walk_to(case, CaseStage.EVALUATION, worker)
    case = request_closure(case, worker)
    case = services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)
    case = services.case_reopen(actor=worker, case=case, reason="病情反复")
    assert log(case) == [
        ("", "intake", date(2024, 3, 1)),
        ("intake", "assessment", today),
        ("assessment", "planning", today),
        ("planning", "intervention", today),
        ("intervention", "evaluation", today),
        ("evaluation", "closed", today),
        ("closed", "intervention", today),
    ]
    changes = CaseStageChange.objects.filter(case=case).order_by("pk")
    assert changes.last().reason == "病情反复"  # type: ignore[union-attr]
    assert changes.last().changed_by == worker  # type: ignore[union-attr]
    assert changes.get(to_stage="closed").changed_by == users[Role.SUPERVISOR]


def test_a_refused_change_logs_nothing(users: dict[str, Any], people: dict[str, Any]) -> None:
    case = open_case(users, people)
    with pytest.raises(ValidationError):
        services.case_advance(
            actor=users[Role.SOCIAL_WORKER], case=case, to_stage=CaseStage.PLANNING
        )
    assert len(log(case)) == 1


def test_a_corrected_opening_date_moves_the_opening(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    case = services.case_update(actor=worker, case=case, opened_on=date(2024, 2, 20))
    assert log(case) == [("", "intake", date(2024, 2, 20))]


def test_the_opening_cannot_move_after_a_later_change(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    case = services.case_advance(actor=worker, case=case, to_stage=CaseStage.ASSESSMENT)
    CaseStageChange.objects.filter(case=case, to_stage="assessment").update(
        changed_on=date(2024, 4, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.case_update(actor=worker, case=case, opened_on=date(2024, 5, 1))
    assert set(caught.value.message_dict) == {"opened_on"}
    assert log(case)[0] == ("", "intake", date(2024, 3, 1))


def test_the_log_is_read_only_for_every_role(users: dict[str, Any]) -> None:
    from swstation.core.permissions import user_can

    for user in users.values():
        assert not user_can(user, "add", CaseStageChange)
        assert not user_can(user, "change", CaseStageChange)
