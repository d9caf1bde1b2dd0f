"""Double transitions of a payment batch (issue 9): approving, marking paid and deleting a
draft lock the batch and check that its status is still the one the request was made against.
The second of two such requests is refused with a StateConflict: 409 in the API, a message on
the review page; nothing of it is written.

The sequential tests act through a stale copy (loaded before another copy made the change), on
every database; the ``parallel`` tests race two threads on PostgreSQL."""

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.regions.models import Region
from swstation.workforce.models import BatchStatus, PaymentBatch
from swstation.workforce.services.payments import (
    payment_batch_approve,
    payment_batch_delete_draft,
    payment_batch_mark_paid,
)
from tests.concurrency import parallel, run_together
from tests.conftest import JIANGBEI

pytestmark = pytest.mark.django_db


def make_batch(status: str = BatchStatus.DRAFT, **extra: Any) -> PaymentBatch:
    if status != BatchStatus.DRAFT:
        extra.setdefault("approved_at", timezone.now())
    return PaymentBatch.objects.create(
        kind="exam_reward",
        region=Region.objects.get(code=JIANGBEI),
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        status=status,
        **extra,
    )


def fresh(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.get(pk=batch.pk)


Step = Callable[[Any, PaymentBatch], Any]


def approve(actor: Any, batch: PaymentBatch) -> Any:
    return payment_batch_approve(actor=actor, batch=batch)


def pay(actor: Any, batch: PaymentBatch) -> Any:
    return payment_batch_mark_paid(actor=actor, batch=batch, paid_on=timezone.localdate())


def discard(actor: Any, batch: PaymentBatch) -> Any:
    return payment_batch_delete_draft(actor=actor, batch=batch)


# (status at the start, the step made first, the stale step refused)
STALE_STEPS: dict[str, tuple[str, Step, Step]] = {
    "approve twice": (BatchStatus.DRAFT, approve, approve),
    "delete a draft approved meanwhile": (BatchStatus.DRAFT, approve, discard),
    "approve a draft deleted meanwhile": (BatchStatus.DRAFT, discard, approve),
    "pay twice": (BatchStatus.APPROVED, pay, pay),
}


@pytest.mark.parametrize("name", list(STALE_STEPS))
def test_a_step_against_a_stale_status_is_refused(name: str, users: dict[str, Any]) -> None:
    status, first, second = STALE_STEPS[name]
    officer = users[Role.DISTRICT_OFFICER]
    batch = make_batch(status)
    stale = fresh(batch)
    first(officer, fresh(batch))
    after_first = PaymentBatch.objects.filter(pk=batch.pk).values().first()

    with pytest.raises(StateConflict) as refused:
        second(users[Role.CITY_ADMIN], stale)

    message = " ".join(refused.value.messages)
    assert "刚刚已被他人" in message
    assert PaymentBatch.objects.filter(pk=batch.pk).values().first() == after_first


def test_a_status_that_does_not_allow_the_step_is_a_conflict(users: dict[str, Any]) -> None:
    """What the second of two requests sees when the page or API locked the batch before
    loading it: the batch as the first one left it."""
    officer = users[Role.DISTRICT_OFFICER]
    batch = make_batch()
    approve(officer, fresh(batch))
    with pytest.raises(StateConflict) as refused:
        approve(officer, fresh(batch))
    assert refused.value.message_dict == {
        "status": ["只能审批草稿状态的批次；该批次状态为“已审批”。"]
    }


def test_the_review_page_shows_the_conflict(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    batch = make_batch()
    url = reverse("workforce:paymentbatch_approve", args=[batch.pk])
    assert client.post(url, follow=True).status_code == 200
    second = client.post(url)
    assert second["Location"] == reverse("workforce:paymentbatch_review", args=[batch.pk])
    shown = [(m.level, str(m)) for m in get_messages(second.wsgi_request)]
    assert shown == [(messages.ERROR, "只能审批草稿状态的批次；该批次状态为“已审批”。")]
    assert fresh(batch).approved_by == users[Role.DISTRICT_OFFICER]


def test_the_api_answers_409_to_a_second_delete_of_an_approved_batch(
    users: dict[str, Any],
) -> None:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    batch = make_batch(BatchStatus.APPROVED)
    response = client.delete(f"/api/v1/payment-batches/{batch.pk}/")
    assert response.status_code == 409
    assert response.json() == {"detail": "只能删除草稿状态的批次；该批次状态为“已审批”。"}
    assert fresh(batch).status == BatchStatus.APPROVED


# --- real races (PostgreSQL) ---------------------------------------------------------------


@parallel
def test_two_approvals_at_once_one_is_refused(users: dict[str, Any]) -> None:
    """Both callers load the draft before either approves; the service's lock decides."""
    batch = make_batch()
    barrier = threading.Barrier(2)

    def approve_as(user: Any) -> Callable[[], str]:
        def call() -> str:
            mine = fresh(batch)
            barrier.wait(10)
            approve(user, mine)
            return "approved"

        return call

    results = run_together(
        approve_as(users[Role.DISTRICT_OFFICER]), approve_as(users[Role.CITY_ADMIN])
    )
    assert results.count("approved") == 1, results
    assert sum(isinstance(r, StateConflict) for r in results) == 1, results
    now = fresh(batch)
    assert now.status == BatchStatus.APPROVED
    assert now.history.filter(status=BatchStatus.APPROVED).count() == 1  # approved once


@parallel
def test_approve_and_delete_at_once_never_lose_an_approved_batch(users: dict[str, Any]) -> None:
    """Through the pages: either the draft is deleted, or it is approved and kept."""
    batch = make_batch()
    officer = users[Role.DISTRICT_OFFICER]
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(officer)

    responses = run_together(
        lambda: clients[0].post(reverse("workforce:paymentbatch_approve", args=[batch.pk])),
        lambda: clients[1].post(reverse("workforce:paymentbatch_discard", args=[batch.pk])),
    )

    # approved then refused to delete (302, 302), or deleted then not found to approve (404, 302)
    assert [r.status_code for r in responses] in ([302, 302], [404, 302]), responses
    kept = PaymentBatch.objects.filter(pk=batch.pk).first()
    if kept is None:  # deleted first: the approval found nothing (404)
        assert responses[0].status_code == 404
    else:  # approved first: the deletion was refused with the message
        assert kept.status == BatchStatus.APPROVED
        refused = [str(m) for m in get_messages(responses[1].wsgi_request)]
        assert refused == ["只能删除草稿状态的批次；该批次状态为“已审批”。"]
