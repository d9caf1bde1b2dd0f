"""The case list as of a day (issue 18: the cockpit of a past period links to it) shows each
case as it was that day: the stage it was at (from its stage log, as the cockpit counts it),
its closure then, and a closure awaiting approval only if it was asked for by then; without
``as_of``, today's. The .xlsx/.csv columns say the same as the page."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from swstation.cases.models import Case, CaseStage
from swstation.cases.services import cases as services
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.cases.test_cases_stages import open_case, request_closure

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

LABELS = {
    CaseStage.INTAKE: "接案",
    CaseStage.ASSESSMENT: "预估",
    CaseStage.PLANNING: "计划",
    CaseStage.INTERVENTION: "介入",
    CaseStage.EVALUATION: "评估",
    CaseStage.CLOSED: "结案",
}


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker": build.worker_of(users[Role.SOCIAL_WORKER]),
        "supervisor": build.supervisor_of(users[Role.SUPERVISOR]),
    }


@pytest.fixture
def case(users: dict[str, Any], people: dict[str, Any]) -> Case:
    """Opened 2024-03-01, assessed from 03-05, planned from 04-01, in intervention from 04-10,
    in evaluation from 05-01, closed on 06-01 (its closure asked for today, approved as of
    06-01), reopened on 07-01."""
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    advance = services.case_advance
    case = advance(actor=worker, case=case, to_stage="assessment", changed_on=date(2024, 3, 5))
    case = advance(
        actor=worker,
        case=case,
        to_stage="planning",
        assessment_summary="生活自理能力下降",
        changed_on=date(2024, 4, 1),
    )
    services.case_goal_create(actor=worker, case=case, description="每周探访")
    case = advance(actor=worker, case=case, to_stage="intervention", changed_on=date(2024, 4, 10))
    case = advance(
        actor=worker,
        case=case,
        to_stage="evaluation",
        intervention_summary="每周探访两次",
        changed_on=date(2024, 5, 1),
    )
    case = request_closure(case, worker)
    case = services.case_approve_closure(
        actor=users[Role.SUPERVISOR], case=case, closed_on=date(2024, 6, 1)
    )
    return services.case_reopen(
        actor=worker, case=case, reason="病情反复", changed_on=date(2024, 7, 1)
    )


def _row(users: dict[str, Any], **params: Any) -> dict[str, str]:
    """The case's row of the list page, by column name, as rendered."""
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    response = client.get("/cases/", params)
    assert response.status_code == 200
    rows = list(response.context["table"].rows)
    assert len(rows) == 1, params
    return {column.name: str(cell) for column, cell in rows[0].items()}


def _values(users: dict[str, Any], **params: Any) -> dict[str, str]:
    """The same row as an export writes it."""
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    table = client.get("/cases/", params).context["table"]
    header, *rows = list(table.as_values())
    assert len(rows) == 1
    names = [column.name for column in table.columns if column.visible]
    assert len(names) == len(header)
    return {name: str(value) for name, value in zip(names, rows[0], strict=True)}


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (date(2024, 3, 1), CaseStage.INTAKE),
        (date(2024, 3, 10), CaseStage.ASSESSMENT),
        (date(2024, 4, 1), CaseStage.PLANNING),
        (date(2024, 4, 30), CaseStage.INTERVENTION),
        (date(2024, 5, 15), CaseStage.EVALUATION),
        (date(2024, 6, 15), CaseStage.CLOSED),
        (date(2024, 7, 15), CaseStage.INTERVENTION),
    ],
)
def test_the_stage_column_shows_the_stage_on_that_day(
    users: dict[str, Any], case: Case, day: date, stage: str
) -> None:
    assert case.stage == CaseStage.INTERVENTION  # today's, after the reopening
    row = _row(users, as_of=day.isoformat())
    assert LABELS[stage] in row["stage"], (day, row["stage"])
    assert _values(users, as_of=day.isoformat())["stage"] == LABELS[stage]
    # The stage filter reads the same stage as the column.
    assert _row(users, as_of=day.isoformat(), stage=stage)
    if stage != CaseStage.INTERVENTION:
        client = Client()
        client.force_login(users[Role.SOCIAL_WORKER])
        listed = client.get("/cases/", {"as_of": day.isoformat(), "stage": "intervention"})
        assert len(listed.context["table"].rows) == 0


def test_before_its_opening_the_case_is_not_listed(users: dict[str, Any], case: Case) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    response = client.get("/cases/", {"as_of": "2024-02-29"})
    assert len(response.context["table"].rows) == 0


def test_the_closure_shown_is_the_one_of_that_day(users: dict[str, Any], case: Case) -> None:
    # Closed on 2024-06-01 and reopened since: closed as of June, not before, not after.
    assert _values(users, as_of="2024-06-15")["closed_on"] == "2024-06-01"
    for day in ("2024-05-15", "2024-07-15"):
        assert _values(users, as_of=day)["closed_on"] == "", day
        assert _row(users, as_of=day)["closed_on"] == "—", day


def test_a_closure_awaits_approval_from_the_day_it_was_asked_for(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    """In evaluation since 2024-05-01, its closure asked for today: not awaiting approval as
    of 2024-05-15, awaiting it today."""
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    for stage, day, texts in [
        ("assessment", date(2024, 3, 5), {}),
        ("planning", date(2024, 4, 1), {"assessment_summary": "生活自理能力下降"}),
        ("intervention", date(2024, 4, 10), {}),
        ("evaluation", date(2024, 5, 1), {"intervention_summary": "每周探访两次"}),
    ]:
        if stage == "intervention":
            services.case_goal_create(actor=worker, case=case, description="每周探访")
        case = services.case_advance(
            actor=worker, case=case, to_stage=stage, changed_on=day, **texts
        )
    request_closure(case, worker)
    then = _row(users, as_of="2024-05-15")
    assert LABELS[CaseStage.EVALUATION] in then["stage"] and then["closure_pending"] == "—"
    assert _values(users, as_of="2024-05-15")["closure_pending"] == ""
    assert _row(users, as_of=TODAY.isoformat())["closure_pending"] == "是"
    assert _row(users)["closure_pending"] == "是"


def test_without_as_of_the_list_shows_today(users: dict[str, Any], case: Case) -> None:
    row = _row(users)
    assert LABELS[CaseStage.INTERVENTION] in row["stage"]
    today = _row(users, as_of=TODAY.isoformat())
    assert LABELS[CaseStage.INTERVENTION] in today["stage"]
    assert today["station"] == row["station"]


def test_the_times_reopened_are_those_of_that_day(users: dict[str, Any], case: Case) -> None:
    # Reopened on 2024-07-01: not yet as of June, once from then on, as today.
    assert case.reopened_count == 1
    assert _values(users, as_of="2024-06-15")["reopened_count"] == "0"
    assert _values(users, as_of="2024-07-15")["reopened_count"] == "1"
    assert _row(users)["reopened_count"] == "1"


def test_a_past_list_sorts_by_the_stage_it_shows(
    users: dict[str, Any], people: dict[str, Any], case: Case
) -> None:
    """Today ``case`` is in intervention and ``other`` in planning (since 2024-03-04); as of
    2024-03-10 ``case`` was in assessment. Sorted by stage — in the stages' order, intake to
    closed, not their codes' — the order follows the stages of the day shown."""
    worker = users[Role.SOCIAL_WORKER]
    other = open_case(users, people, opened_on=date(2024, 3, 2))
    other = services.case_advance(
        actor=worker, case=other, to_stage="assessment", changed_on=date(2024, 3, 3)
    )
    other = services.case_advance(
        actor=worker,
        case=other,
        to_stage="planning",
        assessment_summary="独居，行动不便",
        changed_on=date(2024, 3, 4),
    )
    client = Client()
    client.force_login(worker)

    def numbers(**params: Any) -> list[str]:
        table = client.get("/cases/", params).context["table"]
        return [row.record.number for row in table.rows]

    assert numbers(sort="stage") == [other.number, case.number]
    assert numbers(sort="-stage") == [case.number, other.number]
    assert numbers(sort="stage", as_of="2024-03-10") == [case.number, other.number]
    assert numbers(sort="-stage", as_of="2024-03-10") == [other.number, case.number]


def test_the_api_shows_the_case_as_it_was(users: dict[str, Any], case: Case) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    then = client.get("/api/v1/cases/", {"as_of": "2024-06-15"}).json()["results"]
    assert [(r["stage"], r["closed_on"], r["reopened_count"]) for r in then] == [
        ("closed", "2024-06-01", 0)
    ]
    now = client.get("/api/v1/cases/").json()["results"]
    assert [(r["stage"], r["closed_on"], r["reopened_count"]) for r in now] == [
        ("intervention", None, 1)
    ]
