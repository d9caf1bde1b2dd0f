"""The case timeline (everything that happened, oldest first, with who and when) and the
printable case file for the archive room."""

import re
from datetime import date, datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from swstation.cases.models import Case, CaseGoal, CaseStage
from swstation.cases.selectors import cases as selectors
from swstation.cases.services import cases as services
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.clients import client_for as web
from tests.conftest import CICHENG

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def story(users: dict[str, Any]) -> Case:
    """A case walked through the services; each history record then dated on its own day so
    that the expected order is known: opened 3-1, assessment 3-2, elderly assessment 3-3,
    goal 3-4, planning 3-5, intervention 3-6, transfer 3-8, service 3-10, evaluation 3-12,
    closure requested 3-13, approved 3-14, reopened 3-20."""
    sw = users[Role.SOCIAL_WORKER]
    manager = users[Role.STATION_MANAGER]
    case = services.case_open(
        actor=sw,
        recipient=build.recipient(CICHENG, name="王阿婆"),
        station=build.worker_of(sw).station,
        worker=build.worker_of(sw),
        supervisor=build.supervisor_of(users[Role.SUPERVISOR]),
        opened_on=date(2024, 3, 1),
        presenting_problem="独居，行动不便",
    )
    case = services.case_advance(actor=sw, case=case, to_stage=CaseStage.ASSESSMENT)
    build.elderly_assessment(case, assessed_on=date(2024, 3, 3))
    goal = services.case_goal_create(actor=sw, case=case, description="每周探访两次")
    case = services.case_advance(actor=sw, case=case, to_stage=CaseStage.PLANNING)
    case = services.case_advance(actor=sw, case=case, to_stage=CaseStage.INTERVENTION)
    colleague = build.worker(CICHENG, name="李社工")
    services.case_transfer(
        actor=manager,
        case=case,
        to_worker=colleague,
        reason="原社工休产假",
        transferred_on=date(2024, 3, 8),
    )
    case.refresh_from_db()
    build.service_record(case, date(2024, 3, 10), notes="入户探访")
    case = services.case_advance(
        actor=manager, case=case, to_stage=CaseStage.EVALUATION, intervention_summary="已探访"
    )
    case = services.case_request_closure(
        actor=manager, case=case, closing_summary="目标达成", closing_reason="goals_met"
    )
    case = services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)
    case = services.case_reopen(actor=manager, case=case, reason="老人再次跌倒")

    records = list(case.history.order_by("history_id"))
    dated = [
        date(2024, 3, 1),  # opened
        date(2024, 3, 2),  # → assessment
        date(2024, 3, 5),  # → planning
        date(2024, 3, 6),  # → intervention
        date(2024, 3, 8),  # transfer's save of the case
        date(2024, 3, 12),  # → evaluation
        date(2024, 3, 13),  # closure requested
        date(2024, 3, 14),  # approved
        date(2024, 3, 20),  # reopened
    ]
    assert len(records) == len(dated), [r.stage for r in records]
    for record, day in zip(records, dated, strict=True):
        type(record).objects.filter(pk=record.pk).update(history_date=at(day))
    CaseGoal.history.filter(id=goal.pk).update(history_date=at(date(2024, 3, 4)))
    return case


def test_timeline_lists_everything_in_date_order(users: dict[str, Any], story: Case) -> None:
    events = selectors.case_timeline(actor=users[Role.STATION_MANAGER], case=story)
    lines = [(e.day.isoformat(), e.kind) for e in events]
    assert lines == [
        ("2024-03-01", "stage"),  # opened
        ("2024-03-02", "stage"),  # intake → assessment
        ("2024-03-03", "assessment"),
        ("2024-03-04", "goal"),
        ("2024-03-05", "stage"),  # → planning
        ("2024-03-06", "stage"),  # → intervention
        ("2024-03-08", "transfer"),
        ("2024-03-10", "service"),
        ("2024-03-12", "stage"),  # → evaluation
        ("2024-03-13", "stage"),  # closure requested
        ("2024-03-14", "stage"),  # closure approved
        ("2024-03-20", "stage"),  # reopened
    ]
    titles = [e.title for e in events]
    assert "王阿婆" not in titles[0]  # the title names the stage; the problem is the detail
    assert events[0].detail == "独居，行动不便"
    assert "每周探访两次" in titles[3]
    assert "李社工" in titles[6] and events[6].detail == "原社工休产假"
    assert events[-1].detail == "老人再次跌倒"
    # who did it
    assert events[1].user == users[Role.SOCIAL_WORKER]
    assert events[10].user == users[Role.SUPERVISOR]
    assert events[11].user == users[Role.STATION_MANAGER]


def test_timeline_page_shows_the_events(users: dict[str, Any], story: Case) -> None:
    response = web(users[Role.STATION_MANAGER]).get(reverse("cases:case_timeline", args=[story.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    kinds = re.findall(r'<tr class="timeline-\w+" data-kind="(\w+)"', body)
    assert kinds[:4] == ["stage", "stage", "assessment", "goal"]
    assert len(kinds) == 12
    for text in ("原社工休产假", "老人再次跌倒", "每周探访两次", "2024-03-10"):
        assert text in body


def test_timeline_tells_goal_changes_and_edits(users: dict[str, Any]) -> None:
    sw = users[Role.SOCIAL_WORKER]
    case = build.make_case(CICHENG, 1, stage=CaseStage.PLANNING)
    goal = services.case_goal_create(actor=sw, case=case, description="学会用药")
    services.case_goal_update(actor=sw, goal=goal, achieved=True)
    services.case_goal_delete(actor=sw, goal=goal)
    services.case_update(actor=sw, case=case, assessment_summary="补充预估")
    events = selectors.case_timeline(actor=sw, case=case)
    titles = " | ".join(e.title for e in events)
    assert titles.count("学会用药") == 3  # added, achieved, removed
    edits = [e for e in events if e.kind == "change"]
    assert len(edits) == 1
    assert edits[0].detail == str(Case._meta.get_field("assessment_summary").verbose_name)


def test_auditor_timeline_leaves_out_child_assessments(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, 1, stage=CaseStage.ASSESSMENT)
    build.child_assessment(case)
    build.elderly_assessment(case)
    kinds = [e.kind for e in selectors.case_timeline(actor=users[Role.AUDITOR], case=case)]
    assert kinds.count("assessment") == 1
    kinds = [e.kind for e in selectors.case_timeline(actor=users[Role.STATION_MANAGER], case=case)]
    assert kinds.count("assessment") == 2


def test_print_page_is_a_clean_case_file(users: dict[str, Any], story: Case) -> None:
    response = web(users[Role.STATION_MANAGER]).get(reverse("cases:case_print", args=[story.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "swstation/print.css" in body
    assert "navbar" not in body and "<nav" not in body and "<form" not in body
    for section in (
        "print-case",
        "print-texts",
        "print-goals",
        "print-assessments",
        "print-services",
        "print-transfers",
        "print-timeline",
    ):
        assert f'id="{section}"' in body
    for text in (story.number, "王阿婆", "每周探访两次", "原社工休产假", "入户探访", "已探访"):
        assert text in body


def test_print_page_masks_personal_data_for_auditors(users: dict[str, Any]) -> None:
    person = build.recipient(CICHENG, birth_date=date(1940, 5, 17), address="慈城镇太湖路8号")
    case = build.make_case(CICHENG, 1, recipient=person)
    manager = web(users[Role.STATION_MANAGER]).get(reverse("cases:case_print", args=[case.pk]))
    assert "1940-05-17" in manager.content.decode()
    auditor = web(users[Role.AUDITOR]).get(reverse("cases:case_print", args=[case.pk]))
    body = auditor.content.decode()
    assert auditor.status_code == 200
    assert "1940-05-17" not in body and "太湖路8号" not in body


def test_print_and_timeline_out_of_scope_are_404(users: dict[str, Any]) -> None:
    outside = build.make_case(build.YUEHU, 1)
    client = web(users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("cases:case_print", args=[outside.pk])).status_code == 404
    assert client.get(reverse("cases:case_timeline", args=[outside.pk])).status_code == 404
