"""Visit schedules produce due and overdue lists (selectors/records.py): the interval, the last
service of the schedule's type, the 2-day window, whose schedules, and flat query counts."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from swstation.cases.selectors import records as selectors
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, YUEHU_COMMUNITY

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)


def due_ids(actor: Any, on: date) -> set[int]:
    return set(selectors.visits_due(actor=actor, on=on).values_list("pk", flat=True))


def overdue_ids(actor: Any, on: date) -> set[int]:
    return set(selectors.visits_overdue(actor=actor, on=on).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("times", "days"), [(1, 30), (2, 15), (3, 10), (4, 7), (8, 3), (30, 1), (31, 1)]
)
def test_interval_is_about_30_days_over_times_per_month(times: int, days: int) -> None:
    assert selectors.visit_interval_days(times) == days


@pytest.mark.parametrize(
    ("times", "expected_due"),
    [(1, date(2026, 1, 31)), (2, date(2026, 1, 16)), (4, date(2026, 1, 8)), (31, date(2026, 1, 2))],
)
def test_next_due_is_start_plus_interval_without_services(
    times: int, expected_due: date, users: dict[str, Any]
) -> None:
    plan = build.schedule(
        build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE), START, times
    )
    row = selectors.visit_schedules_with_next_due(
        actor=users[Role.CITY_ADMIN], on=date(2026, 1, 1)
    ).get(pk=plan.pk)
    assert row.last_served_on is None
    assert row.next_due_on == expected_due


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2026, 1, 13), None),  # due on the 16th: 3 days ahead
        (date(2026, 1, 14), "due"),  # within the next 2 days
        (date(2026, 1, 15), "due"),
        (date(2026, 1, 16), "due"),  # due today
        (date(2026, 1, 17), "overdue"),
        (date(2026, 3, 1), "overdue"),
    ],
)
def test_due_window_and_overdue(on: date, state: str | None, users: dict[str, Any]) -> None:
    plan = build.schedule(build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE), START)
    actor = users[Role.STATION_MANAGER]
    assert (plan.pk in due_ids(actor, on)) == (state == "due")
    assert (plan.pk in overdue_ids(actor, on)) == (state == "overdue")


def test_the_last_service_of_the_schedules_type_moves_the_due_date(
    users: dict[str, Any],
) -> None:
    person, by = build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    plan = build.schedule(person, by, START, 2, service_type="health_visit")
    actor = users[Role.STATION_MANAGER]
    on = date(2026, 1, 17)
    assert plan.pk in overdue_ids(actor, on)
    # Another type, another recipient's visit and a visit before the start do not count.
    build.record(person, by, date(2026, 1, 12), service_type="phone")
    build.record(build.recipient(CICHENG_VILLAGE), by, date(2026, 1, 12), "health_visit")
    build.record(person, by, date(2025, 12, 30), service_type="health_visit")
    assert plan.pk in overdue_ids(actor, on)
    # Any worker's health visit on the 10th: next due the 25th.
    build.record(person, build.worker(CICHENG_VILLAGE), date(2026, 1, 10), "health_visit")
    build.record(person, by, date(2026, 1, 5), "health_visit")  # an earlier one is not the last
    row = selectors.visit_schedules_with_next_due(actor=actor, on=on).get(pk=plan.pk)
    assert row.last_served_on == date(2026, 1, 10)
    assert row.next_due_on == date(2026, 1, 25)
    assert plan.pk not in overdue_ids(actor, on) | due_ids(actor, on)
    assert plan.pk in due_ids(actor, date(2026, 1, 23))
    assert plan.pk in overdue_ids(actor, date(2026, 1, 26))


def test_a_service_after_the_day_asked_about_is_not_counted(users: dict[str, Any]) -> None:
    person, by = build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    plan = build.schedule(person, by, START, 2)
    build.record(person, by, date(2026, 1, 20), "health_visit")
    actor = users[Role.STATION_MANAGER]
    assert plan.pk in overdue_ids(actor, date(2026, 1, 18))


def test_inactive_ended_unstarted_and_no_longer_served_are_left_out(
    users: dict[str, Any],
) -> None:
    by = build.worker(CICHENG_VILLAGE)
    on = date(2026, 2, 1)
    kept = build.schedule(build.recipient(CICHENG_VILLAGE), by, START)
    still_running = build.schedule(build.recipient(CICHENG_VILLAGE), by, START, ends_on=on)
    left_out = [
        build.schedule(build.recipient(CICHENG_VILLAGE), by, START, active=False),
        build.schedule(build.recipient(CICHENG_VILLAGE), by, START, ends_on=date(2026, 1, 31)),
        build.schedule(build.recipient(CICHENG_VILLAGE), by, date(2026, 2, 2)),
        build.schedule(build.recipient(CICHENG_VILLAGE, status="deceased"), by, START),
        build.schedule(build.recipient(CICHENG_VILLAGE, status="moved"), by, START),
    ]
    found = overdue_ids(users[Role.STATION_MANAGER], on)
    assert {kept.pk, still_running.pk} <= found
    assert not found & {plan.pk for plan in left_out}


def test_a_social_worker_sees_their_own_schedules_managers_their_scope(
    users: dict[str, Any],
) -> None:
    me = build.worker(CICHENG_VILLAGE, user=users[Role.SOCIAL_WORKER])
    colleague = build.worker(CICHENG_VILLAGE)
    mine = build.schedule(build.recipient(CICHENG_VILLAGE), me, START)
    theirs = build.schedule(build.recipient(CICHENG_VILLAGE), colleague, START)
    elsewhere = build.schedule(
        build.recipient(YUEHU_COMMUNITY), build.worker(YUEHU_COMMUNITY), START
    )
    on = date(2026, 2, 1)
    assert overdue_ids(users[Role.SOCIAL_WORKER], on) == {mine.pk}
    assert overdue_ids(users[Role.STATION_MANAGER], on) == {mine.pk, theirs.pk}
    assert overdue_ids(users[Role.DISTRICT_OFFICER], on) == {mine.pk, theirs.pk}
    assert overdue_ids(users[Role.CITY_ADMIN], on) >= {mine.pk, theirs.pk, elsewhere.pk}
    # A social worker whose account is linked to no worker record sees none.
    stranger = users[Role.SOCIAL_WORKER].__class__.objects.create(
        username="unlinked", role=Role.SOCIAL_WORKER, jurisdiction=me.station.region
    )
    assert overdue_ids(stranger, on) == set()


def _make_overdue(n: int) -> None:
    by = build.worker(CICHENG_VILLAGE)
    for i in range(n):
        person = build.recipient(CICHENG_VILLAGE)
        build.schedule(person, by, START, 2 + i % 3)
        build.record(person, by, START + timedelta(days=i % 5), "health_visit")


def test_query_count_of_the_due_lists_is_flat(users: dict[str, Any]) -> None:
    actor = users[Role.DISTRICT_OFFICER]
    on = date(2026, 3, 1)

    def read() -> int:
        with CaptureQueriesContext(connection) as queries:
            items = selectors.due_items_for_visits(selectors.visits_overdue(actor=actor, on=on), on)
            assert all(item.recipient.name and item.worker for item in items)
        return len(queries)

    _make_overdue(3)
    few = read()
    _make_overdue(15)
    assert read() == few
