"""Races on PostgreSQL (tests/concurrency.py): the last place of a post hired twice at once is
filled once, and a referral hired twice at once is hired once (409 for the second)."""

from typing import Any

from django.urls import reverse

from swstation.core.roles import Role
from swstation.employment.models import Placement
from tests.clients import api_for as api
from tests.concurrency import parallel, run_together
from tests.employment import helpers as h


@parallel
def test_the_last_place_hired_twice_at_once_is_filled_once(users: dict[str, Any]) -> None:
    job = h.post(places=1)
    first, second = h.placement(to=job), h.placement(to=job)
    clients = [api(users[Role.STATION_MANAGER]), api(users[Role.SOCIAL_WORKER])]
    responses = run_together(
        lambda: clients[0].post(reverse("api:placement-hire", args=[first.pk]), {}, format="json"),
        lambda: clients[1].post(reverse("api:placement-hire", args=[second.pk]), {}, format="json"),
    )
    assert sorted(r.status_code for r in responses) == [200, 400], responses
    assert Placement.objects.filter(post=job, status="hired").count() == 1


@parallel
def test_one_referral_hired_twice_at_once_is_hired_once(users: dict[str, Any]) -> None:
    placement = h.placement()
    url = reverse("api:placement-hire", args=[placement.pk])
    clients = [api(users[Role.STATION_MANAGER]), api(users[Role.SOCIAL_WORKER])]
    responses = run_together(
        lambda: clients[0].post(url, {}, format="json"),
        lambda: clients[1].post(url, {}, format="json"),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    assert placement.history.filter(status="hired").count() == 1  # type: ignore[attr-defined]
