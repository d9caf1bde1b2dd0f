"""The payments list's order (issue 10, "Lists fast at any size"): the newest batch first,
each batch's lines in the order the batch was generated, read from the index
``payment_newest_batch`` rather than sorted through the batch and the worker; a batch's own
page keeps its payments by name."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from swstation.core.keyset import Position, keyset_page, ordering_keys
from swstation.core.roles import Role
from swstation.workforce.models import Payment, RewardPolicy
from swstation.workforce.selectors.payments import batch_payments, payment_list
from tests.workforce import helpers

pytestmark = pytest.mark.django_db


def _batch(policy: RewardPolicy, year: int, names: list[str]) -> list[Payment]:
    batch = helpers.exam_reward_batch(year)
    # Created in the order a batch's lines are generated.
    return [
        helpers.exam_reward(
            batch, helpers.person(helpers.CICHENG, name=name), policy, date(year, 5, 1)
        )
        for name in names
    ]


@pytest.fixture
def batches() -> tuple[list[Payment], list[Payment]]:
    policy = RewardPolicy.objects.create(
        kind="exam_reward",
        level="assistant",
        valid_from=date(2020, 1, 1),
        amount=Decimal("1500"),
    )
    older = _batch(policy, 2022, ["钱二", "赵一", "孙三"])
    newer = _batch(policy, 2023, ["周五", "李四", "吴六", "郑七"])
    return older, newer


def test_the_list_shows_the_newest_batch_first_in_its_generated_order(
    batches: tuple[list[Payment], list[Payment]], users: dict[str, Any]
) -> None:
    older, newer = batches
    queryset = payment_list(actor=users[Role.CITY_ADMIN])
    assert list(queryset) == newer + older
    keys = ordering_keys(queryset)
    assert keys is not None and [key.path for key in keys] == ["batch_id", "pk"]
    seen: list[Payment] = []
    position = None
    while True:  # page by page, by cursor: the same order
        page = keyset_page(queryset, keys, 2, position)
        seen += page.records
        if page.next_cursor is None:
            break
        last = page.records[-1]
        position = Position("next", (last.batch_id, last.pk))
    assert seen == newer + older


def test_the_list_page_draws_that_order_and_a_batch_page_its_payments_by_name(
    batches: tuple[list[Payment], list[Payment]], users: dict[str, Any], client: Any
) -> None:
    _older, newer = batches
    client.force_login(users[Role.CITY_ADMIN])
    page = client.get("/workforce/payments/").content.decode()
    names = ["周五", "李四", "吴六", "郑七", "钱二", "赵一", "孙三"]
    assert [page.index(f">{name}</a>") for name in names] == sorted(
        page.index(f">{name}</a>") for name in names
    )
    by_name = batch_payments(actor=users[Role.CITY_ADMIN], batch=newer[0].batch)
    assert [p.social_worker.name for p in by_name] == sorted(p.social_worker.name for p in newer)
