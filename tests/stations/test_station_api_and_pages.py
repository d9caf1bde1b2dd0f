"""The station API contract other parts rely on, and what the station and agency pages show."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from swstation.core.roles import Role
from swstation.stations.models import Room, ServiceAgency
from tests.clients import api_for
from tests.clients import client_for as page_for
from tests.conftest import CICHENG, CICHENG_VILLAGE, YUEHU
from tests.stations.helpers import (
    JIANGBEI_TOWNSHIPS,
    make_operating_station,
    make_policy,
    make_rooms,
    make_staff,
    make_standard,
    make_station,
    make_subsidy,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> dict[str, Any]:
    agency = ServiceAgency.objects.create(
        name="江北区社工服务中心", credit_code="52330205MJ00000002", region=region(CICHENG)
    )
    make_standard()
    cicheng = make_operating_station(
        CICHENG,
        date(2020, 6, 1),
        name="慈城镇社会工作站",
        has_sign=True,
        operating_model="commissioned_agency",
        agency=agency,
        contact_phone="13812345678",
    )
    make_rooms(cicheng, "office", "casework_room")
    make_staff(cicheng, 3)
    return {
        "agency": agency,
        "cicheng": cicheng,
        "waitan": make_operating_station(
            JIANGBEI_TOWNSHIPS[0], date(2021, 4, 1), operating_model="dedicated_posts"
        ),
        "planned": make_station(JIANGBEI_TOWNSHIPS[1], status="planned"),
        "hub": make_station(
            "330205000000", kind="district_hub", status="operating", opened_on=date(2019, 1, 1)
        ),
        "school": make_station(CICHENG, kind="special", special_kind="school"),
        "outpost": make_station(CICHENG_VILLAGE, kind="outpost", parent_station=cicheng),
        "yuehu": make_operating_station(YUEHU, date(2022, 1, 1)),
    }


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_station_api_contract(network: dict[str, Any], users: dict[str, Any]) -> None:
    client = api_for(users[Role.CITY_ADMIN])
    data = client.get("/api/v1/stations/", {"kind": "township"}).json()
    assert data["count"] == 4
    row = next(r for r in data["results"] if r["id"] == network["cicheng"].pk)
    assert row["region_code"] == CICHENG
    assert row["kind"] == "township"
    assert row["status"] == "operating"
    assert row["opened_on"] == "2020-06-01"
    assert row["compliant"] is True
    assert row["fulltime_staff_count"] == 3
    waitan = next(r for r in data["results"] if r["id"] == network["waitan"].pk)
    assert waitan["compliant"] is False
    assert {r["kind"] for r in data["results"]} == {"township"}
    assert all(isinstance(r["compliant"], bool) for r in data["results"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "special"}, {"school"}),
        ({"kind": "district_hub"}, {"hub"}),
        ({"kind": "outpost"}, {"outpost"}),
        ({"status": "planned"}, {"planned", "school", "outpost"}),
        ({"region_code": "330205103"}, {"cicheng", "school", "outpost"}),
        ({"region_code": "330203"}, {"yuehu"}),
        ({"special_kind": "school"}, {"school"}),
        ({"operating_model": "dedicated_posts"}, {"waitan"}),
        ({"compliant": "true"}, {"cicheng"}),
        ({"compliant": "false", "kind": "township"}, {"waitan", "planned", "yuehu"}),
        ({"opened_year": 2021}, {"waitan"}),
        ({"agency_credit_code": "52330205MJ00000002"}, {"cicheng"}),
    ],
)
def test_station_api_filters(
    params: dict[str, Any], expected: set[str], network: dict[str, Any], users: dict[str, Any]
) -> None:
    response = api_for(users[Role.CITY_ADMIN]).get("/api/v1/stations/", params)
    assert response.status_code == 200
    assert ids(response) == {network[name].pk for name in expected}


def test_station_api_is_scoped_and_masks_contacts(
    network: dict[str, Any], users: dict[str, Any]
) -> None:
    response = api_for(users[Role.AUDITOR]).get("/api/v1/stations/", {"page_size": 100})
    assert network["yuehu"].pk not in ids(response)
    row = next(r for r in response.json()["results"] if r["id"] == network["cicheng"].pk)
    assert row["contact_phone"] == "138****5678"
    row = (
        api_for(users[Role.DISTRICT_OFFICER])
        .get(f"/api/v1/stations/{network['cicheng'].pk}/")
        .json()
    )
    assert row["contact_phone"] == "13812345678"


def test_station_api_create_answers_with_current_compliance(users: dict[str, Any]) -> None:
    make_standard()
    response = api_for(users[Role.DISTRICT_OFFICER]).post(
        "/api/v1/stations/",
        {
            "name": "外滩街道社会工作站",
            "kind": "township",
            "region_code": JIANGBEI_TOWNSHIPS[0],
            "status": "operating",
            "opened_on": "2020-10-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["compliant"] is False
    assert response.json()["fulltime_staff_count"] == 0


def test_station_api_query_count_is_flat_with_staff_and_rooms(users: dict[str, Any]) -> None:
    make_standard()
    client = api_for(users[Role.CITY_ADMIN])
    first = make_operating_station(JIANGBEI_TOWNSHIPS[0], date(2020, 1, 1))
    make_staff(first, 2)
    make_rooms(first, "office")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/stations/")
    for code in JIANGBEI_TOWNSHIPS[1:]:
        station = make_operating_station(code, date(2021, 1, 1))
        make_staff(station, 3)
        make_rooms(station, "office", "casework_room")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/stations/").json()["count"] == 8
    assert len(many) == len(few)
    page = page_for(users[Role.CITY_ADMIN])
    with CaptureQueriesContext(connection) as pages:
        page.get("/stations/")
    make_staff(first, 2)
    make_rooms(first, "group_room")
    with CaptureQueriesContext(connection) as pages_again:
        page.get("/stations/")
    assert len(pages) == len(pages_again)


def test_station_page_shows_the_station(network: dict[str, Any], users: dict[str, Any]) -> None:
    station = network["cicheng"]
    Room.objects.create(
        station=station,
        kind="multipurpose_room",
        name="多功能厅",
        area_m2=Decimal("120.5"),
        shared_with="party_service_center",
    )
    gone = make_staff(station, 1, left_on=timezone.localdate() - timedelta(days=3))[0]
    part_time = make_staff(station, 1, fulltime=False)[0]
    policy = make_policy()
    make_subsidy(station, policy)  # a grant under the policy, shown through the funds' port
    body = page_for(users[Role.STATION_MANAGER]).get(station.get_absolute_url()).content.decode()
    assert "慈城镇" in body and CICHENG in body
    assert network["agency"].name in body
    assert "13812345678" in body
    assert "多功能厅" in body and "120.5" in body
    assert "160.5" in body  # total area: 20 + 20 + 120.5
    for worker in station.staff.filter(left_on__isnull=True):  # type: ignore[attr-defined]
        assert worker.name in body
    assert part_time.name in body
    assert gone.name not in body
    assert policy.name in body
    assert network["outpost"].name in body
    auditor = page_for(users[Role.AUDITOR]).get(station.get_absolute_url()).content.decode()
    assert "13812345678" not in auditor and "138****5678" in auditor


def test_station_page_query_count_does_not_grow_with_staff_and_rooms(
    network: dict[str, Any], users: dict[str, Any]
) -> None:
    station = network["cicheng"]
    client = page_for(users[Role.CITY_ADMIN])
    with CaptureQueriesContext(connection) as few:
        client.get(station.get_absolute_url())
    make_staff(station, 5)
    make_rooms(station, "group_room", "archive_room", "other")
    with CaptureQueriesContext(connection) as many:
        client.get(station.get_absolute_url())
    assert len(many) == len(few)


def test_agency_page_lists_its_stations_and_staff(
    network: dict[str, Any], users: dict[str, Any]
) -> None:
    agency = network["agency"]
    make_staff(network["cicheng"], 2, agency=agency)
    make_staff(network["cicheng"], 1, agency=agency, left_on=date(2021, 1, 1))
    body = page_for(users[Role.SUPERVISOR]).get(agency.get_absolute_url()).content.decode()
    assert network["cicheng"].name in body
    assert network["waitan"].name not in body
    assert 'id="agency-station-count">1<' in body
    assert 'id="agency-staff-count">2<' in body
    data = api_for(users[Role.SUPERVISOR]).get(f"/api/v1/service-agencies/{agency.pk}/").json()
    assert (data["station_count"], data["staff_count"]) == (1, 2)


def test_station_list_page_filters(network: dict[str, Any], users: dict[str, Any]) -> None:
    client = page_for(users[Role.DISTRICT_OFFICER])
    body = client.get("/stations/", {"kind": "special"}).content.decode()
    assert network["school"].name in body and network["cicheng"].name not in body
    body = client.get("/stations/", {"opened_year": 2020, "kind": "township"}).content.decode()
    assert network["cicheng"].name in body and network["waitan"].name not in body
