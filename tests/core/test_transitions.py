"""core/transitions.py: a state change locks the row, re-reads it and refuses a stale request
with StateConflict, which the API answers with 409 and a Chinese ``detail``."""

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from swstation.accounts.models import User
from swstation.core.api.exceptions import exception_handler
from swstation.core.roles import Role
from swstation.core.transitions import (
    StateConflict,
    lock_all_for_transition,
    lock_for_transition,
)
from swstation.regions.models import Population, Region
from tests.concurrency import parallel, run_together
from tests.conftest import CITY

pytestmark = pytest.mark.django_db


def stale_and_changed(make_user: Callable[..., User]) -> tuple[User, User]:
    """Two copies of one user; the second deactivates it and saves (a state change)."""
    user = make_user(Role.AUDITOR, first_name="审计")
    stale = User.objects.get(pk=user.pk)
    other = User.objects.get(pk=user.pk)
    other.is_active = False
    other.save()
    return stale, other


def test_a_changed_state_is_refused_with_a_chinese_message(make_user: Any) -> None:
    stale, _other = stale_and_changed(make_user)
    with (
        translation.override("zh-hans"),
        transaction.atomic(),
        pytest.raises(StateConflict) as refused,
    ):
        lock_for_transition(stale, "is_active")
    message = " ".join(refused.value.messages)
    assert "刚刚已被他人更改" in message and "请刷新后重试" in message
    assert stale.username in message or str(stale) in message
    assert refused.value.code == "state_conflict"
    # The caller's copy now holds the stored row: the page shows the state as it is.
    assert stale.is_active is False


def test_an_unchanged_state_passes_and_the_copy_is_refreshed(make_user: Any) -> None:
    stale, other = stale_and_changed(make_user)
    other.first_name = "另一位"
    other.save()
    with transaction.atomic():
        locked = lock_for_transition(stale, "role")  # the role did not change
    assert locked is stale
    assert stale.first_name == "另一位" and stale.is_active is False


def test_a_custom_message_names_the_new_state(make_user: Any) -> None:
    stale, _other = stale_and_changed(make_user)
    with transaction.atomic(), pytest.raises(StateConflict) as refused:
        lock_for_transition(stale, "is_active", conflict=lambda u: f"active={u.is_active}")
    assert refused.value.messages == ["active=False"]


def test_a_row_deleted_meanwhile_is_a_conflict() -> None:
    figure = Population.objects.create(
        region=Region.objects.get(code=CITY), year=1950, population=1
    )
    stale = Population.objects.get(pk=figure.pk)
    Population.objects.filter(pk=figure.pk).delete()
    with (
        translation.override("zh-hans"),
        transaction.atomic(),
        pytest.raises(StateConflict) as refused,
    ):
        lock_for_transition(stale, "status")
    assert "刚刚已被他人删除" in " ".join(refused.value.messages)


def test_it_takes_a_saved_record(make_user: Any) -> None:
    with transaction.atomic(), pytest.raises(ValueError):
        lock_for_transition(User(username="nobody"))


def test_it_refuses_to_run_outside_a_transaction(make_user: Any) -> None:
    """Outside ``atomic()`` the lock would be released at once; the test itself runs inside a
    transaction, so the call is made from a thread with its own, idle, connection."""
    user = make_user(Role.AUDITOR)
    raised: list[BaseException] = []

    def call() -> None:
        try:
            lock_for_transition(User(pk=user.pk, username=user.username), "is_active")
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    thread.join(10)
    assert len(raised) == 1 and isinstance(raised[0], TransactionManagementError)


def test_several_rows_are_locked_in_primary_key_order(make_user: Any) -> None:
    first, second = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    assert first.pk < second.pk
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        given = lock_all_for_transition([second, first], "is_active")
    assert given == [second, first]  # handed back in the order given
    reads = [q["sql"] for q in queries.captured_queries if "accounts_user" in q["sql"]]
    assert len(reads) == 2
    if connection.vendor == "postgresql":
        assert all("FOR UPDATE" in sql for sql in reads)
    locked = [int(re.search(r'"accounts_user"\."id" = (\d+)', sql)[1]) for sql in reads]
    assert locked == [first.pk, second.pk]


def test_the_api_answers_a_conflict_with_409_in_chinese() -> None:
    request = Request(APIRequestFactory().post("/api/v1/anything/"))
    with translation.override("zh-hans"):
        conflict = StateConflict("个案已被他人更改")
        response = exception_handler(conflict, {"request": request, "view": None})
    assert response is not None
    assert response.status_code == 409
    assert response.data == {"detail": "个案已被他人更改"}


def test_the_schema_declares_409_on_the_transition_actions(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    actions = [
        f"/api/v1/cases/{{id}}/{name}/"
        for name in (
            "advance",
            "request-closure",
            "approve-closure",
            "return-closure",
            "reopen",
            "transfer",
        )
    ] + ["/api/v1/grants/{id}/mark_paid/", "/api/v1/recipients/{id}/merge/"]
    for path in actions:
        responses = schema["paths"][path]["post"]["responses"]
        assert {"200", "409"} <= set(responses), path
        body = responses["409"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Conflict"}, path
    assert "detail" in schema["components"]["schemas"]["Conflict"]["properties"]


@parallel
def test_two_transitions_at_once_one_waits_and_is_refused(make_user: Any) -> None:
    """The second locker waits for the first one's commit, then sees the new state."""
    user = make_user(Role.AUDITOR)
    barrier = threading.Barrier(2)

    def deactivate() -> str:
        mine = User.objects.get(pk=user.pk)
        barrier.wait(10)
        with transaction.atomic():
            lock_for_transition(mine, "is_active")
            mine.is_active = False
            mine.save()
        return "done"

    results = run_together(deactivate, deactivate)
    assert results.count("done") == 1, results
    assert sum(isinstance(result, StateConflict) for result in results) == 1, results
    assert User.objects.get(pk=user.pk).is_active is False
