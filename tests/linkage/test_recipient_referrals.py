"""A person's referrals on their page (issue 13, "Referrals"; issue 10, "the person at the
centre"): the card lists them, open ones first; an overdue answer is a red fact; each moment
is on the timeline; the action to refer is offered to the roles that may add a referral, preset
with the person."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.linkage import services
from tests.cases import case_builders as cb
from tests.linkage import helpers as h

pytestmark = pytest.mark.django_db


def page(user: Any, person: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_the_timeline_and_the_overdue_fact_follow_the_records(
    users: dict[str, Any],
) -> None:
    person = cb.recipient(h.CICHENG_VILLAGE)
    worker = users[Role.SOCIAL_WORKER]
    body = page(worker, person)
    assert "尚未为此人转介。" in body
    assert "转介逾期未回复" not in body

    done = h.referral(recipient=person, service="助餐配送")
    services.referral_decline(actor=SYSTEM, referral=done, reason="名额已满")
    waiting = h.referral(recipient=person, service="康复评估", due_in=-2)
    body = page(worker, person)
    assert 'id="overview-referrals"' in body
    assert body.index(f'data-referral="{waiting.pk}"') < body.index(f'data-referral="{done.pk}"')
    assert "转介逾期未回复" in body
    assert "拒绝了转介" in body and "名额已满" in body  # the decline is on the timeline
    assert "康复评估" in body

    services.referral_withdraw(actor=SYSTEM, referral=waiting, reason="家属自行联系")
    body = page(worker, person)
    assert "转介逾期未回复" not in body
    assert "家属自行联系" in body


def test_the_action_is_preset_with_the_person_and_offered_only_to_who_may_refer(
    users: dict[str, Any],
) -> None:
    person = cb.recipient(h.CICHENG_VILLAGE)
    action = reverse("linkage:referral_add") + "?" + urlencode({"recipient": person.pk})
    assert action.replace("&", "&amp;") in page(users[Role.SOCIAL_WORKER], person)
    assert action not in page(users[Role.AUDITOR], person)
