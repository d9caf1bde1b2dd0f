"""Double payments of a station subsidy (issue 9), now a grant under a policy (issue 12):
marking it paid locks it and checks that it is still payable as the request saw it. The second
of two such requests is refused with a StateConflict: 409 in the API, a message on the page;
the first payment date stays."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.funds import services
from swstation.funds.models import Funder, Grant
from swstation.regions.models import Region
from tests.clients import api_for as api
from tests.concurrency import parallel, run_together
from tests.conftest import CICHENG
from tests.stations.helpers import make_operating_station, make_policy

pytestmark = pytest.mark.django_db


def make_subsidy() -> Grant:
    station = make_operating_station(CICHENG, date(2020, 5, 1))
    policy = make_policy()
    bureau = Funder.objects.create(
        name="宁波市民政局",
        kind="civil_affairs",
        tier="city",
        region=Region.objects.get(code="330200000000"),
    )
    return Grant.objects.create(
        funder=bureau,
        tier="city",
        policy=policy,
        station=station,
        region=station.region,
        amount=50000,
        year=2020,
        granted_on=date(2020, 5, 1),
        purpose=policy.name,
    )


def test_a_payment_through_a_stale_copy_is_refused(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    subsidy = make_subsidy()
    stale = Grant.objects.get(pk=subsidy.pk)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.grant_mark_paid(actor=admin, grant=Grant.objects.get(pk=subsidy.pk), paid_on=yesterday)
    with pytest.raises(StateConflict) as refused:
        services.grant_mark_paid(actor=admin, grant=stale, paid_on=timezone.localdate())
    assert refused.value.messages == ["此资助已被他人修改，现在为“已支付”。请刷新后重试。"]
    assert Grant.objects.get(pk=subsidy.pk).paid_on == yesterday
    assert subsidy.history.filter(paid_on__isnull=False).count() == 1


def test_the_api_answers_409_to_a_second_payment(users: dict[str, Any]) -> None:
    client = api(users[Role.CITY_ADMIN])
    subsidy = make_subsidy()
    url = f"/api/v1/grants/{subsidy.pk}/mark_paid/"
    assert client.post(url, {"paid_on": "2021-12-01"}, format="json").status_code == 200
    response = client.post(url, {"paid_on": "2021-12-02"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "此资助已于 2021-12-01 拨付。"}
    assert Grant.objects.get(pk=subsidy.pk).paid_on == date(2021, 12, 1)


def test_the_page_shows_the_conflict(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    subsidy = make_subsidy()
    url = reverse("funds:grant_mark_paid", args=[subsidy.pk])
    assert client.post(url, {"paid_on": "2021-12-01"}, follow=True).status_code == 200
    second = client.post(url, {"paid_on": "2021-12-02"})
    assert second["Location"] == subsidy.get_absolute_url()
    shown = [(m.level, str(m)) for m in get_messages(second.wsgi_request)]
    assert shown == [(messages.ERROR, "支付日期: 此资助已于 2021-12-01 拨付。")]


@parallel
def test_two_payments_at_once_one_is_refused_with_409(users: dict[str, Any]) -> None:
    subsidy = make_subsidy()
    clients = [api(users[Role.CITY_ADMIN]), api(users[Role.CITY_ADMIN])]
    url = f"/api/v1/grants/{subsidy.pk}/mark_paid/"
    responses = run_together(
        lambda: clients[0].post(url, {"paid_on": "2021-12-01"}, format="json"),
        lambda: clients[1].post(url, {"paid_on": "2021-12-02"}, format="json"),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    paid = next(r for r in responses if r.status_code == 200).json()["paid_on"]
    assert Grant.objects.get(pk=subsidy.pk).paid_on.isoformat() == paid
    assert subsidy.history.filter(paid_on__isnull=False).count() == 1
