"""A colleague's visit plan shows its next visit due (issue 10): on the plan's page, on the
person's page and in the visit plans list, to a social worker who is not its worker; the
worker's own due lists still hold their own plans only; an ended plan has no next visit."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from swstation.cases.selectors import records as selectors
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(users: dict[str, Any]) -> Any:
    today = timezone.localdate()
    me = build.worker(CICHENG_VILLAGE, name="我", user=users[Role.SOCIAL_WORKER])
    colleague = build.worker(CICHENG_VILLAGE, name="同事")
    person = build.recipient(CICHENG_VILLAGE, name="同事的对象")
    # Twice a month, last visited 5 days ago: due in 10 days.
    theirs = build.schedule(person, colleague, today - timedelta(days=60), 2)
    build.record(person, colleague, today - timedelta(days=5), "health_visit")
    ended = build.schedule(
        person,
        colleague,
        today - timedelta(days=200),
        1,
        service_type="home_visit",
        ends_on=today - timedelta(days=30),
    )
    return me, theirs, ended, today + timedelta(days=10)


def test_the_plans_page_and_the_persons_page_show_the_next_visit(
    users: dict[str, Any], plans: Any
) -> None:
    _me, theirs, _ended, due = plans
    client = client_for(users[Role.SOCIAL_WORKER])
    body = client.get(theirs.get_absolute_url()).content.decode()
    found = re.search(r'id="next-visit">([^<]*)<', body)
    assert found is not None and found[1] == due.isoformat()
    body = client.get(theirs.recipient.get_absolute_url()).content.decode()
    assert f"下次探访 {due.isoformat()}" in body


def test_the_list_shows_the_next_visit_of_running_plans(users: dict[str, Any], plans: Any) -> None:
    _me, theirs, ended, due = plans
    body = client_for(users[Role.SOCIAL_WORKER]).get(reverse("cases:visitschedule_list"))
    rows = re.findall(r"<tr\b.*?</tr>", body.content.decode(), re.S)
    row_of = {
        plan.pk: next(row for row in rows if plan.get_absolute_url() in row)
        for plan in (theirs, ended)
    }
    assert "下次探访到期日" in body.content.decode()

    def next_due_cell(plan: Any) -> str:  # the sixth column: after the worker
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", row_of[plan.pk], re.S)
        return str(cells[5]).strip()

    assert next_due_cell(theirs) == due.isoformat()
    assert next_due_cell(ended) == "—"


def test_the_workers_due_lists_stay_their_own(users: dict[str, Any], plans: Any) -> None:
    _me, theirs, _ended, _due = plans
    mine = selectors.visit_schedules_with_next_due(
        actor=users[Role.SOCIAL_WORKER], on=timezone.localdate()
    )
    assert not mine.filter(pk=theirs.pk).exists()
    everyone = selectors.visit_schedules_with_next_due(
        actor=users[Role.SOCIAL_WORKER], on=timezone.localdate(), everyone=True
    )
    assert everyone.filter(pk=theirs.pk).exists()
