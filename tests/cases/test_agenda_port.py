"""The agenda's port (cases.selectors.home.register_agenda_source): work recorded by an app
above cases (pairings, referrals) joins a worker's home page and the station's workload
without cases importing it."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from swstation.cases.selectors import home
from swstation.cases.selectors.records import DueItem
from swstation.core.actors import Actor
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG_VILLAGE
from tests.core.test_home_counts import count, load_row, page

pytestmark = pytest.mark.django_db

WAITING: list[tuple[Recipient, int, date]] = []
"""What the fake source reads: (recipient, worker pk, answer due on)."""


def _replies(actor: Actor, on: date, limit: int) -> home.AgendaGroup:
    items = [
        DueItem(
            kind="reply",
            title="等待回复",
            recipient=person,
            due_on=due_on,
            on=on,
            url="/",
            action_url="/reply/",
            action_label="记录回复",
        )
        for person, _worker, due_on in sorted(WAITING, key=lambda row: row[2])
    ]
    return home.AgendaGroup(
        kind="replies",
        label="等待回复",
        overdue=sum(item.overdue for item in items),
        today=sum(item.due_on == on for item in items),
        soon=0,
        soon_days=7,
        items=items[:limit],
        url="/",
    )


def _overdue(actor: Actor, on: date) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _person, worker, due_on in WAITING:
        if due_on < on:
            counts[worker] = counts.get(worker, 0) + 1
    return counts


@pytest.fixture
def registered() -> Iterator[None]:
    home.register_agenda_source("replies", _replies, overdue_by_worker=_overdue)
    yield
    home._agenda_sources.pop("replies", None)
    WAITING.clear()


def test_a_registered_kind_joins_the_home_page_and_the_workload(
    registered: None, users: dict[str, Any]
) -> None:
    worker_user, manager = users[Role.SOCIAL_WORKER], users[Role.STATION_MANAGER]
    me = cb.worker_of(worker_user)
    body = page(worker_user)
    assert count(body, "home-replies-overdue") == 0
    person = build.recipient(CICHENG_VILLAGE)
    WAITING.append((person, me.pk, timezone.localdate() - timedelta(days=3)))
    body = page(worker_user)
    assert count(body, "home-replies-overdue") == 1
    assert person.name in body and "记录回复" in body
    # Shown after the kinds cases records itself.
    assert body.index('id="home-due-goals"') < body.index('id="home-due-replies"')
    assert load_row(page(manager), me)["other"] == 1


def test_registering_a_kind_twice_keeps_one_group(registered: None, users: dict[str, Any]) -> None:
    home.register_agenda_source("replies", _replies, overdue_by_worker=_overdue)
    body = page(users[Role.SOCIAL_WORKER])
    assert body.count('id="home-due-replies"') == 1


def test_without_a_registration_there_is_no_such_group(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    assert 'id="home-due-replies"' not in client.get("/").content.decode()
