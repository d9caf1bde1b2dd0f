"""The due page (/cases/due/, "cases:due") and the due summary selector (the home page's own
tests are tests/core/test_home_*.py)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, HEALTHY_ITEMS, YUEHU_COMMUNITY
from tests.clients import client_for

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 1)


def world(users: dict[str, Any]) -> dict[str, Any]:
    me = build.worker(CICHENG_VILLAGE, name="我", user=users[Role.SOCIAL_WORKER])
    colleague = build.worker(CICHENG_VILLAGE, name="同事")
    late = build.recipient(CICHENG_VILLAGE, name="逾期对象")
    soon = build.recipient(CICHENG_VILLAGE, name="将到对象")
    theirs = build.recipient(CICHENG_VILLAGE, name="同事对象")
    build.schedule(late, me, date(2026, 1, 1), 2)  # due 01-16: overdue
    build.schedule(soon, me, date(2026, 2, 1), 1)  # due 03-03: due
    build.schedule(theirs, colleague, date(2026, 1, 1), 4)  # overdue, not mine
    build.schedule(
        build.recipient(YUEHU_COMMUNITY, name="外区对象"),
        build.worker(YUEHU_COMMUNITY),
        date(2026, 1, 1),
    )
    old = build.recipient(CICHENG_VILLAGE, name="复评老人")
    services.elderly_assessment_create(
        actor=SYSTEM,
        recipient=old,
        assessed_on=date(2025, 9, 5),  # due 2026-03-05: within 14 days
        reason="routine",
        assessor=me,
        second_assessor=colleague,
        items=HEALTHY_ITEMS,
    )
    return {"me": me, "late": late, "soon": soon, "old": old}


def test_a_social_worker_sees_their_own_due_work(users: dict[str, Any]) -> None:
    world(users)
    response = client_for(users[Role.SOCIAL_WORKER]).get(
        reverse("cases:due"), {"on": ON.isoformat()}
    )
    assert response.status_code == 200
    body = response.content.decode()
    counts = {s["id"]: s["count"] for s in response.context["sections"]}
    assert counts == {
        "visits-overdue": 1,
        "visits-due": 1,
        "assessments-overdue": 0,
        "assessments-due": 1,
    }
    assert "逾期对象" in body and "将到对象" in body and "复评老人" in body
    assert "同事对象" not in body and "外区对象" not in body
    assert reverse("cases:servicerecord_quick") + "?recipient=" in body


def test_a_manager_sees_the_whole_station(users: dict[str, Any]) -> None:
    world(users)
    response = client_for(users[Role.STATION_MANAGER]).get(
        reverse("cases:due"), {"on": ON.isoformat()}
    )
    counts = {s["id"]: s["count"] for s in response.context["sections"]}
    assert counts["visits-overdue"] == 2
    assert "同事对象" in response.content.decode() and "外区对象" not in response.content.decode()


def test_an_unlinked_social_worker_is_told_why_the_list_is_empty(users: dict[str, Any]) -> None:
    body = client_for(users[Role.SOCIAL_WORKER]).get(reverse("cases:due")).content.decode()
    assert 'id="unlinked"' in body


def test_the_day_defaults_to_today_and_bad_days_are_ignored(users: dict[str, Any]) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    assert client.get(reverse("cases:due")).context["on"] == timezone.localdate()
    assert (
        client.get(reverse("cases:due"), {"on": "2026-02-30"}).context["on"] == timezone.localdate()
    )
    assert client.get(reverse("cases:due"), {"on": "2026-02-03"}).context["on"] == date(2026, 2, 3)


def test_the_due_page_needs_login() -> None:
    response = Client().get(reverse("cases:due"))
    assert response.status_code == 302


def test_due_page_query_count_is_flat(users: dict[str, Any]) -> None:
    data = world(users)
    client = client_for(users[Role.STATION_MANAGER])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:due"), {"on": ON.isoformat()}).status_code == 200
        return len(queries)

    few = count()
    for _ in range(10):
        person = build.recipient(CICHENG_VILLAGE)
        build.schedule(person, data["me"], ON - timedelta(days=40), 2)
    assert count() == few
