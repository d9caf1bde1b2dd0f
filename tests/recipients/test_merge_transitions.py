"""Merges sent twice or crossed (issue 9): a merge locks both records, in primary-key order,
and checks that neither was merged or changed state meanwhile. The second of two merges is
refused with a StateConflict (409 in the API); two merges of one pair in opposite directions
take turns instead of deadlocking."""

from datetime import date
from typing import Any

import pytest

from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.recipients.services import recipient_merge
from tests.clients import api_for as api
from tests.concurrency import parallel, run_together
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db


def trio() -> tuple[Recipient, Recipient, Recipient]:
    """Three records of one person: only the first has the document number."""
    without_number = {"number": "", "document_type": "none", "no_document_reason": "未带证件"}
    return (
        make_recipient(name="吴奶奶", birth=date(1944, 4, 4)),
        make_recipient(name="吴奶奶", **without_number),
        make_recipient(name="吴奶奶", **without_number),
    )


def fresh(recipient: Recipient) -> Recipient:
    return Recipient.objects.get(pk=recipient.pk)


def test_a_merge_through_a_stale_copy_is_refused(users: dict[str, Any]) -> None:
    """Two managers merge the same duplicate into two different records; the second one
    still holds the duplicate as it was before the first merge."""
    manager = users[Role.STATION_MANAGER]
    first_keep, duplicate, second_keep = trio()
    stale_duplicate = fresh(duplicate)
    recipient_merge(actor=manager, keep=fresh(first_keep), merge=fresh(duplicate))
    with pytest.raises(StateConflict) as refused:
        recipient_merge(actor=manager, keep=fresh(second_keep), merge=stale_duplicate)
    assert "刚刚已被他人更改" in " ".join(refused.value.messages)
    assert fresh(duplicate).merged_into_id == first_keep.pk
    assert fresh(second_keep).status == RecipientStatus.ACTIVE


def test_the_api_answers_409_to_the_same_merge_sent_twice(users: dict[str, Any]) -> None:
    keep, duplicate, _other = trio()
    client = api(users[Role.DISTRICT_OFFICER])
    url = f"/api/v1/recipients/{keep.pk}/merge/"
    assert client.post(url, {"merge": duplicate.pk}, format="json").status_code == 200
    response = client.post(url, {"merge": duplicate.pk}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": f"“{duplicate.name}”已合并到其他记录。"}


@parallel
def test_two_merges_of_one_pair_in_opposite_directions_take_turns(
    users: dict[str, Any],
) -> None:
    """Each request locks its own record first (the viewset does, for every write); without
    the merge locking both in key order first, the two would deadlock (a 500)."""
    first, second, _other = trio()
    clients = [api(users[Role.DISTRICT_OFFICER]), api(users[Role.DISTRICT_OFFICER])]
    responses = run_together(
        lambda: clients[0].post(
            f"/api/v1/recipients/{first.pk}/merge/", {"merge": second.pk}, format="json"
        ),
        lambda: clients[1].post(
            f"/api/v1/recipients/{second.pk}/merge/", {"merge": first.pk}, format="json"
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    merged = [r for r in (fresh(first), fresh(second)) if r.status == RecipientStatus.MERGED]
    assert len(merged) == 1
    assert merged[0].merged_into_id in (first.pk, second.pk)
    assert merged[0].merged_into_id != merged[0].pk
