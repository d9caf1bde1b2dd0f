"""Who sees which case (domain.md §4): a social worker their own cases only, a supervisor the
cases they supervise, a station manager every case of the station, district and city officers
and auditors every case of their jurisdiction. Pages, API and selectors agree."""

from typing import Any

import pytest
from django.urls import reverse

from swstation.cases.models import Case
from swstation.cases.selectors import cases as selectors
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.clients import api_for as api
from tests.clients import client_for as web
from tests.conftest import CICHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users: dict[str, Any], make_user: Any) -> dict[str, Any]:
    colleague = make_user(Role.SOCIAL_WORKER, CICHENG)
    mine = build.make_case(
        CICHENG,
        1,
        case_worker=build.worker_of(users[Role.SOCIAL_WORKER]),
        case_supervisor=build.supervisor_of(users[Role.SUPERVISOR]),
    )
    theirs = build.make_case(
        CICHENG,
        2,
        case_worker=build.worker_of(colleague),
        case_supervisor=build.supervisor(build.JIANGBEI, name="别的督导"),
    )
    build.goal(mine, "我的目标")
    build.goal(theirs, "同事的目标")
    return {"mine": mine, "theirs": theirs, "colleague": colleague}


# role → which of (mine, theirs) the role sees
EXPECTED = {
    Role.CITY_ADMIN: (True, True),
    Role.DISTRICT_OFFICER: (True, True),
    Role.STATION_MANAGER: (True, True),
    Role.SOCIAL_WORKER: (True, False),
    Role.SUPERVISOR: (True, False),
    Role.AUDITOR: (True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_case_visibility_by_role(role: str, users: dict[str, Any], world: dict[str, Any]) -> None:
    user = users[role]
    mine, theirs = world["mine"], world["theirs"]
    sees_mine, sees_theirs = EXPECTED[role]

    visible = set(selectors.case_list(actor=user).values_list("pk", flat=True))
    assert visible == {c.pk for c, seen in ((mine, sees_mine), (theirs, sees_theirs)) if seen}

    body = web(user).get(reverse("cases:case_list"), {"per_page": 250}).content.decode()
    assert (mine.number in body) == sees_mine
    assert (theirs.number in body) == sees_theirs

    rows = api(user).get(reverse("api:case-list")).json()["results"]
    assert {row["number"] for row in rows} == {
        c.number for c, seen in ((mine, sees_mine), (theirs, sees_theirs)) if seen
    }

    client = web(user)
    for suffix in ("", "_timeline", "_print", "_history"):
        expected = 200 if sees_theirs else 404
        assert client.get(reverse(f"cases:case{suffix}", args=[theirs.pk])).status_code == expected
    assert api(user).get(reverse("api:case-detail", args=[theirs.pk])).status_code == (
        200 if sees_theirs else 404
    )

    goals = web(user).get(reverse("cases:casegoal_list")).content.decode()
    assert "我的目标" in goals
    assert ("同事的目标" in goals) == sees_theirs
    goal_rows = api(user).get(reverse("api:casegoal-list")).json()["results"]
    assert ("同事的目标" in {row["description"] for row in goal_rows}) == sees_theirs


def test_colleague_sees_only_their_own(users: dict[str, Any], world: dict[str, Any]) -> None:
    colleague = world["colleague"]
    visible = list(selectors.case_list(actor=colleague))
    assert visible == [world["theirs"]]
    response = web(colleague).post(
        reverse("cases:case_advance", args=[world["mine"].pk]),
        {"to_stage": "assessment"},
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=world["mine"].pk).stage == "intake"


def test_social_worker_cannot_pick_a_colleague_case_for_a_goal(
    users: dict[str, Any], world: dict[str, Any]
) -> None:
    client = web(users[Role.SOCIAL_WORKER])
    form = client.get(reverse("cases:casegoal_add")).content.decode()
    assert world["mine"].number in form
    assert world["theirs"].number not in form
    response = api(users[Role.SOCIAL_WORKER]).post(
        reverse("api:casegoal-list"),
        {"case": world["theirs"].pk, "description": "越权目标"},
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()
