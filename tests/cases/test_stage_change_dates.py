"""A stage change recorded later takes the day it happened (issue 18): the services, the case
page and the API take the day of an advance, a closure's approval and a reopening; never ahead
of today, never before the case was opened or its last change (Chinese messages naming the
field); and the cockpit of that period counts the case at its stage then. A person's exit
closes their open cases as of the exit date, with the exit's reason, in the same
transaction."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from swstation.cases.models import Case, CaseStage, CaseStageChange, ClosingReason
from swstation.cases.services import cases as services
from swstation.core.roles import Role
from swstation.dashboard import selectors as cockpit
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.recipients.services import recipient_exit, recipient_update
from swstation.regions.models import Region
from tests.cases import case_builders as build
from tests.cases.test_cases_stages import open_case, request_closure, walk_to
from tests.conftest import CICHENG, CITY

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker": build.worker_of(users[Role.SOCIAL_WORKER]),
        "supervisor": build.supervisor_of(users[Role.SUPERVISOR]),
    }


def open_for_exit(users: dict[str, Any], people: dict[str, Any]) -> Case:
    """A case of a person registered (with consent) in 2024, as an exit of 2024 needs."""
    person = build.recipient(
        CICHENG,
        registered_on=date(2024, 1, 2),
        consent_on=date(2024, 1, 2),
        document_type="none",
        no_document_reason="无证件",
    )
    return open_case(users, people, recipient=person, opened_on=date(2024, 3, 1))


def log(case: Case) -> list[tuple[str, str, date]]:
    return list(
        CaseStageChange.objects.filter(case=case)
        .order_by("changed_on", "pk")
        .values_list("from_stage", "to_stage", "changed_on")
    )


def test_back_dated_changes_keep_their_day(users: dict[str, Any], people: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    case = services.case_advance(
        actor=worker, case=case, to_stage=CaseStage.ASSESSMENT, changed_on=date(2024, 3, 5)
    )
    services.case_goal_create(actor=worker, case=case, description="每周探访")
    case = services.case_advance(
        actor=worker,
        case=case,
        to_stage=CaseStage.PLANNING,
        assessment_summary="生活自理能力下降",
        changed_on=date(2024, 4, 1),
    )
    case = walk_to(case, CaseStage.EVALUATION, worker)  # today
    case = request_closure(case, worker)
    case = services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)
    assert case.closed_on == TODAY
    case = services.case_reopen(actor=worker, case=case, reason="病情反复", changed_on=TODAY)
    assert log(case)[:3] == [
        ("", "intake", date(2024, 3, 1)),
        ("intake", "assessment", date(2024, 3, 5)),
        ("assessment", "planning", date(2024, 4, 1)),
    ]
    # The cockpit of 2024 counts the case at planning, the stage it was at that year's end.
    city = users[Role.CITY_ADMIN]
    result = cockpit.cockpit(
        actor=city, region=Region.objects.get(code=CITY), period=cockpit.Period.year(2024)
    )
    assert {s.key: s.count for s in result.cases_by_stage if s.count} == {"planning": 1}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + timedelta(days=1), "不能晚于今天"),
        (date(2024, 2, 28), "不能早于开案日期"),
        (date(2024, 3, 9), "不能早于"),  # the last change is dated 2024-03-10
    ],
)
def test_impossible_days_are_refused_in_chinese(
    users: dict[str, Any], people: dict[str, Any], day: date, message: str
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    case = services.case_advance(
        actor=worker, case=case, to_stage=CaseStage.ASSESSMENT, changed_on=date(2024, 3, 10)
    )
    with pytest.raises(ValidationError) as refused:
        services.case_advance(
            actor=worker,
            case=case,
            to_stage=CaseStage.PLANNING,
            assessment_summary="生活自理能力下降",
            changed_on=day,
        )
    assert message in " ".join(refused.value.message_dict["changed_on"])
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSESSMENT and len(log(case)) == 2  # nothing written


def test_the_page_and_the_api_take_the_day(users: dict[str, Any], people: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_case(users, people, opened_on=date(2024, 3, 1))
    client = Client()
    client.force_login(worker)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="changed_on"' in page
    response = client.post(
        f"/cases/{case.pk}/advance/", {"to_stage": "assessment", "changed_on": "2024-03-04"}
    )
    assert response.status_code == 302
    refused = client.post(
        f"/cases/{case.pk}/advance/",
        {"to_stage": "planning", "assessment_summary": "需要照料", "changed_on": "2024-03-02"},
    )
    assert refused.status_code == 400
    assert "不能早于" in refused.content.decode()
    answer = client.post(
        f"/api/v1/cases/{case.pk}/advance/",
        {"to_stage": "planning", "assessment_summary": "需要照料", "changed_on": "2024-03-20"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert log(Case.objects.get(pk=case.pk))[1:] == [
        ("intake", "assessment", date(2024, 3, 4)),
        ("assessment", "planning", date(2024, 3, 20)),
    ]
    services.case_goal_create(actor=worker, case=case, description="每周探访")
    future = client.post(
        f"/api/v1/cases/{case.pk}/advance/",
        {"to_stage": "intervention", "changed_on": str(TODAY + timedelta(days=2))},
        content_type="application/json",
    )
    assert future.status_code == 400 and "changed_on" in future.json()


def test_approval_and_reopening_through_the_api(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = walk_to(
        open_case(users, people, opened_on=date(2024, 3, 1)), CaseStage.EVALUATION, worker
    )
    case = request_closure(case, worker)
    supervisor = Client()
    supervisor.force_login(users[Role.SUPERVISOR])
    answer = supervisor.post(
        f"/api/v1/cases/{case.pk}/approve-closure/",
        {"closed_on": str(TODAY - timedelta(days=1))},
        content_type="application/json",
    )
    # The last change (to evaluation) is dated today: a closure cannot be dated before it.
    assert answer.status_code == 400 and "closed_on" in answer.json()
    answer = supervisor.post(
        f"/api/v1/cases/{case.pk}/approve-closure/", {}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert Case.objects.get(pk=case.pk).closed_on == TODAY
    client = Client()
    client.force_login(worker)
    answer = client.post(
        f"/api/v1/cases/{case.pk}/reopen/",
        {"reason": "病情反复", "changed_on": str(TODAY)},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert log(Case.objects.get(pk=case.pk))[-1] == ("closed", "intervention", TODAY)


# --- a person's exit ----------------------------------------------------------------------------


def test_an_exit_closes_the_open_cases_on_its_day(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_for_exit(users, people)
    case = services.case_advance(
        actor=worker, case=case, to_stage=CaseStage.ASSESSMENT, changed_on=date(2024, 3, 5)
    )
    person = Recipient.objects.get(pk=case.recipient_id)
    recipient_exit(
        actor=users[Role.STATION_MANAGER],
        recipient=person,
        exited_on=date(2024, 6, 1),
        reason="deceased",
        note="病故",
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED and case.closed_on == date(2024, 6, 1)
    assert case.closing_reason == ClosingReason.DECEASED
    assert "离开服务" in case.closing_summary
    assert log(case)[-1] == ("assessment", "closed", date(2024, 6, 1))
    change = CaseStageChange.objects.filter(case=case).order_by("pk").last()
    assert change is not None and change.changed_by == users[Role.STATION_MANAGER]
    assert "离开服务" in change.reason
    assert case.history.first().history_change_reason  # type: ignore[union-attr]
    # The cockpit: open at the end of 2024's May, closed in June.
    city = users[Role.CITY_ADMIN]
    region = Region.objects.get(code=CITY)
    may = cockpit.cockpit(
        actor=city, region=region, period=cockpit.Period.months(date(2024, 5, 1), date(2024, 5, 1))
    )
    june = cockpit.cockpit(
        actor=city, region=region, period=cockpit.Period.months(date(2024, 6, 1), date(2024, 6, 1))
    )
    assert (may.totals.cases_open, june.totals.cases_open, june.totals.cases_closed) == (1, 0, 1)


def test_an_exit_before_the_last_change_closes_on_that_change(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    case = open_for_exit(users, people)
    case = services.case_advance(
        actor=worker, case=case, to_stage=CaseStage.ASSESSMENT, changed_on=date(2024, 8, 1)
    )
    recipient_exit(
        actor=users[Role.STATION_MANAGER],
        recipient=Recipient.objects.get(pk=case.recipient_id),
        exited_on=date(2024, 7, 1),
        reason="moved_away",
    )
    case.refresh_from_db()
    assert case.closed_on == date(2024, 8, 1) and case.closing_reason == ClosingReason.MOVED


def test_an_exit_written_as_an_edit_closes_them_too(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    case = open_for_exit(users, people)
    person = Recipient.objects.get(pk=case.recipient_id)
    recipient_update(
        actor=users[Role.STATION_MANAGER],
        recipient=person,
        exited_on=date(2024, 9, 1),
        exit_reason="declined",
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on, case.closing_reason) == (
        CaseStage.CLOSED,
        date(2024, 9, 1),
        ClosingReason.DECLINED,
    )


def test_a_refused_closure_undoes_the_exit(
    users: dict[str, Any], people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: if a case cannot be closed, the exit is not recorded either."""
    case = open_for_exit(users, people)
    person = Recipient.objects.get(pk=case.recipient_id)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationError({"closed_on": "不能结案"})

    monkeypatch.setattr(services, "_log_stage", refuse)
    with pytest.raises(ValidationError):
        recipient_exit(
            actor=users[Role.STATION_MANAGER],
            recipient=person,
            exited_on=date(2024, 6, 1),
            reason="deceased",
        )
    person.refresh_from_db()
    case.refresh_from_db()
    assert person.exited_on is None and person.status == RecipientStatus.ACTIVE
    assert case.stage == CaseStage.INTAKE
