"""The API contract of /api/v1/social-workers/ (other components and the demo depend on it):
paginated with ``count``, each person with ``level`` (the highest certificate held, or null),
and the filters level (with "none"), station, region_code, is_fulltime, active, post, q."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from tests.workforce import helpers

pytestmark = pytest.mark.django_db

URL = "/api/v1/social-workers/"


@pytest.fixture
def client(users: dict[str, Any]) -> APIClient:
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


@pytest.fixture
def people() -> dict[str, Any]:
    """Four people in 江北区 and one in 海曙区 (outside the district officer's jurisdiction)."""
    station = helpers.station(helpers.CICHENG)
    yesterday = timezone.localdate() - timedelta(days=1)
    senior = helpers.person(helpers.CICHENG, name="高级者", station=station)
    helpers.certificate(senior, "assistant", date(2015, 6, 1))
    helpers.certificate(senior, "senior", date(2021, 6, 1))
    helpers.certificate(senior, "intermediate", date(2018, 6, 1))
    middle = helpers.person(helpers.CICHENG, name="中级者", station=station, is_fulltime=False)
    helpers.certificate(middle, "intermediate", date(2019, 6, 1))
    nobody = helpers.person(helpers.JIANGBEI, name="无证者", post="assistant")
    left = helpers.person(helpers.JIANGBEI, name="离职者", left_on=yesterday)
    helpers.certificate(left, "assistant", date(2020, 6, 1))
    outside = helpers.person(helpers.YUEHU, name="外区者")
    helpers.certificate(outside, "senior", date(2020, 6, 1))
    return {
        "station": station,
        "senior": senior,
        "middle": middle,
        "nobody": nobody,
        "left": left,
        "outside": outside,
    }


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


def test_paginated_with_count_and_levels(client: APIClient, people: dict[str, Any]) -> None:
    data = client.get(URL).json()
    assert {"count", "next", "previous", "results"} <= data.keys()
    assert data["count"] == 4
    levels = {row["name"]: row["level"] for row in data["results"]}
    assert levels == {
        "高级者": "senior",
        "中级者": "intermediate",
        "无证者": None,
        "离职者": "assistant",
    }


def test_detail_has_the_level_too(client: APIClient, people: dict[str, Any]) -> None:
    assert client.get(f"{URL}{people['senior'].pk}/").json()["level"] == "senior"
    assert client.get(f"{URL}{people['nobody'].pk}/").json()["level"] is None


def test_level_follows_the_records(client: APIClient, people: dict[str, Any]) -> None:
    helpers.certificate(people["nobody"], "intermediate", date(2023, 6, 1))
    assert client.get(f"{URL}{people['nobody'].pk}/").json()["level"] == "intermediate"
    people["senior"].certificates.filter(level="senior").delete()
    assert client.get(f"{URL}{people['senior'].pk}/").json()["level"] == "intermediate"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "senior"}, {"高级者"}),
        ({"level": "intermediate"}, {"中级者"}),
        ({"level": "assistant"}, {"离职者"}),
        ({"level": "none"}, {"无证者"}),
        ({"region_code": "330205103"}, {"高级者", "中级者"}),
        ({"region_code": "330205"}, {"高级者", "中级者", "无证者", "离职者"}),
        ({"region_code": "330203"}, set()),  # outside the jurisdiction: nothing, not an error
        ({"is_fulltime": "false"}, {"中级者"}),
        ({"is_fulltime": "true"}, {"高级者", "无证者", "离职者"}),
        ({"active": "true"}, {"高级者", "中级者", "无证者"}),
        ({"active": "false"}, {"离职者"}),
        ({"post": "assistant"}, {"无证者"}),
        ({"q": "级"}, {"高级者", "中级者"}),
        ({"level": "none", "active": "true"}, {"无证者"}),
    ],
)
def test_filters(
    client: APIClient, people: dict[str, Any], params: dict[str, str], expected: set[str]
) -> None:
    assert names(client.get(URL, params)) == expected


def test_station_filter(client: APIClient, people: dict[str, Any]) -> None:
    assert names(client.get(URL, {"station": people["station"].pk})) == {"高级者", "中级者"}


def test_unknown_level_is_a_400_naming_the_filter(
    client: APIClient, people: dict[str, Any]
) -> None:
    response = client.get(URL, {"level": "master"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_city_admin_sees_the_whole_city(users: dict[str, Any], people: dict[str, Any]) -> None:
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.CITY_ADMIN])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert "外区者" in names(api.get(URL, {"level": "senior"}))


def test_the_list_page_offers_the_same_filters(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    from django.test import Client

    page = Client()
    page.force_login(users[Role.DISTRICT_OFFICER])
    body = page.get("/workforce/social-workers/", {"level": "none"}).content.decode()
    assert "无证者" in body and "高级者" not in body


def test_query_count_is_flat_with_certificates(client: APIClient, people: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"page_size": 1000})
    for n in range(10):
        worker = helpers.person(helpers.CICHENG, name=f"批量{n}", station=people["station"])
        helpers.certificate(worker, "assistant", date(2020, 1, 1))
        helpers.certificate(worker, "intermediate", date(2022, 1, 1))
    with CaptureQueriesContext(connection) as many:
        data = client.get(URL, {"page_size": 1000}).json()
    assert data["count"] == 14
    assert len(many) == len(few)
