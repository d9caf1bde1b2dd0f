"""Reassessments due (next_due within 14 days) and overdue: only each recipient's latest
assessment counts; a social worker sees the assessments they made."""

from datetime import date, timedelta
from typing import Any

import pytest

from swstation.cases.selectors import records as selectors
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, HEALTHY_ITEMS, NO_NEEDS

pytestmark = pytest.mark.django_db


def elderly(person: Any, on: date, assessor: Any = None) -> Any:
    return services.elderly_assessment_create(
        actor=SYSTEM,
        recipient=person,
        assessed_on=on,
        reason="routine",
        assessor=assessor or build.worker(CICHENG_VILLAGE),
        second_assessor=build.worker(CICHENG_VILLAGE),
        items=HEALTHY_ITEMS,
    )


def child(person: Any, on: date, scores: dict[str, int] = NO_NEEDS, assessor: Any = None) -> Any:
    return services.child_needs_assessment_create(
        actor=SYSTEM,
        recipient=person,
        assessed_on=on,
        assessor=assessor or build.worker(CICHENG_VILLAGE),
        needs=scores,
        help_plan="帮扶计划",
    )


def ids(group: selectors.DueAssessments) -> set[tuple[str, int]]:
    return {("elderly", a.pk) for a in group.elderly} | {("child", a.pk) for a in group.child}


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2026, 6, 30), None),  # due 2026-07-15: 15 days ahead
        (date(2026, 7, 1), "due"),  # 14 days ahead
        (date(2026, 7, 15), "due"),  # due today
        (date(2026, 7, 16), "overdue"),
    ],
)
def test_elderly_due_window(on: date, state: str | None, users: dict[str, Any]) -> None:
    assessment = elderly(build.recipient(CICHENG_VILLAGE), date(2026, 1, 15))
    assert assessment.next_due == date(2026, 7, 15)
    actor = users[Role.STATION_MANAGER]
    due = selectors.assessments_due(actor=actor, on=on)
    overdue = selectors.assessments_overdue(actor=actor, on=on)
    assert (("elderly", assessment.pk) in ids(due)) == (state == "due")
    assert (("elderly", assessment.pk) in ids(overdue)) == (state == "overdue")
    assert due.count() == len(ids(due)) and overdue.count() == len(ids(overdue))


def test_a_high_risk_child_is_due_after_three_months(users: dict[str, Any]) -> None:
    low = child(build.recipient(CICHENG_VILLAGE), date(2026, 1, 15))
    high = child(build.recipient(CICHENG_VILLAGE), date(2026, 1, 15), NO_NEEDS | {"safety": 3})
    on = date(2026, 4, 20)
    overdue = ids(selectors.assessments_overdue(actor=users[Role.STATION_MANAGER], on=on))
    assert ("child", high.pk) in overdue and ("child", low.pk) not in overdue


def test_a_newer_assessment_supersedes_the_old_one(users: dict[str, Any]) -> None:
    person = build.recipient(CICHENG_VILLAGE)
    old = elderly(person, date(2025, 1, 10))
    actor = users[Role.DISTRICT_OFFICER]
    on = date(2026, 1, 1)
    assert ("elderly", old.pk) in ids(selectors.assessments_overdue(actor=actor, on=on))
    new = elderly(person, date(2025, 12, 20))
    assert (
        ids(selectors.assessments_overdue(actor=actor, on=on))
        & {
            ("elderly", old.pk),
            ("elderly", new.pk),
        }
        == set()
    )
    # Two on the same day: the later record is the current one.
    same_day = elderly(person, date(2025, 12, 20))
    far = new.next_due + timedelta(days=1)
    assert ids(selectors.assessments_overdue(actor=actor, on=far)) == {("elderly", same_day.pk)}


def test_no_longer_served_recipients_are_left_out(users: dict[str, Any]) -> None:
    elderly(build.recipient(CICHENG_VILLAGE, status="deceased"), date(2025, 1, 10))
    assert (
        selectors.assessments_overdue(actor=users[Role.CITY_ADMIN], on=date(2026, 1, 1)).count()
        == 0
    )


def test_a_social_worker_sees_the_assessments_they_made(users: dict[str, Any]) -> None:
    me = build.worker(CICHENG_VILLAGE, user=users[Role.SOCIAL_WORKER])
    mine = elderly(build.recipient(CICHENG_VILLAGE), date(2025, 1, 10), assessor=me)
    as_second = services.elderly_assessment_create(
        actor=SYSTEM,
        recipient=build.recipient(CICHENG_VILLAGE),
        assessed_on=date(2025, 1, 10),
        reason="routine",
        assessor=build.worker(CICHENG_VILLAGE),
        second_assessor=me,
        items=HEALTHY_ITEMS,
    )
    my_child = child(build.recipient(CICHENG_VILLAGE), date(2025, 1, 10), assessor=me)
    others = elderly(build.recipient(CICHENG_VILLAGE), date(2025, 1, 10))
    on = date(2026, 1, 1)
    assert ids(selectors.assessments_overdue(actor=users[Role.SOCIAL_WORKER], on=on)) == {
        ("elderly", mine.pk),
        ("elderly", as_second.pk),
        ("child", my_child.pk),
    }
    assert ("elderly", others.pk) in ids(
        selectors.assessments_overdue(actor=users[Role.STATION_MANAGER], on=on)
    )
    # Auditors may not see children's assessments at all.
    auditor = ids(selectors.assessments_overdue(actor=users[Role.AUDITOR], on=on))
    assert ("elderly", others.pk) in auditor and ("child", my_child.pk) not in auditor


def test_items_are_merged_earliest_first_with_links(users: dict[str, Any]) -> None:
    a = elderly(build.recipient(CICHENG_VILLAGE, name="甲"), date(2025, 3, 1))
    b = child(build.recipient(CICHENG_VILLAGE, name="乙"), date(2025, 2, 1))
    items = selectors.assessments_overdue(actor=users[Role.CITY_ADMIN], on=date(2026, 1, 1)).items()
    assert [item.recipient.name for item in items][:2] == ["乙", "甲"]
    first = items[0]
    assert first.kind == "child" and first.url == b.get_absolute_url()
    assert first.overdue and first.days_late == (date(2026, 1, 1) - b.next_due).days
    assert f"recipient={a.recipient_id}" in items[1].action_url
