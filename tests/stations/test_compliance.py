"""Station compliance (domain.md §5): computed in SQL from the standard in force, so that the
list filter and the API field are current the moment a record changes."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from swstation.core.roles import Role
from swstation.stations import selectors
from swstation.stations.models import Station
from tests.conftest import CICHENG, YUEHU
from tests.stations.helpers import (
    JIANGBEI_TOWNSHIPS,
    make_operating_station,
    make_rooms,
    make_staff,
    make_standard,
    make_station,
)

pytestmark = pytest.mark.django_db


def compliant_station(code: str = CICHENG) -> Station:
    station = make_operating_station(code, date(2020, 6, 1), has_sign=True)
    make_rooms(station, "office", "casework_room", "group_room")
    make_staff(station, 3)
    return station


def listed(station: Station, user: Any) -> Station:
    return selectors.station_list(actor=user).get(pk=station.pk)


def test_no_standard_in_force_means_not_assessed(users: dict[str, Any]) -> None:
    station = compliant_station()
    assert listed(station, users[Role.CITY_ADMIN]).compliant is None
    compliance = selectors.station_compliance(station=station)
    assert compliance.standard is None and compliance.compliant is None


def test_a_station_meeting_the_standard_is_compliant(users: dict[str, Any]) -> None:
    standard = make_standard()
    station = compliant_station()
    row = listed(station, users[Role.AUDITOR])
    assert row.fulltime_staff_count == 3
    assert row.compliant is True
    compliance = selectors.station_compliance(station=station)
    assert compliance.standard == standard and compliance.compliant is True
    statuses = [check.status for check in compliance.checks]
    # two rooms, the sign, the staff: met; the 1+X+1 portfolio: not assessed, not failing
    assert statuses == ["met", "met", "met", "met", "not_assessed"]


def test_dropping_below_the_staff_minimum_turns_non_compliant_at_once(
    users: dict[str, Any],
) -> None:
    make_standard()
    station = compliant_station()
    user = users[Role.CITY_ADMIN]
    worker = station.staff.first()  # type: ignore[attr-defined]
    worker.left_on = timezone.localdate()  # leaves today: no longer active
    worker.save()
    row = listed(station, user)
    assert (row.fulltime_staff_count, row.compliant) == (2, False)
    missing = selectors.station_compliance(station=station).missing
    assert [check.label for check in missing] == [str(missing[0].label)]
    assert "2" in missing[0].detail and "3" in missing[0].detail
    make_staff(station, 1)
    row = listed(station, user)
    assert (row.fulltime_staff_count, row.compliant) == (3, True)


def test_part_time_and_departed_staff_do_not_count_future_leavers_do(
    users: dict[str, Any],
) -> None:
    make_standard()
    station = compliant_station()
    user = users[Role.CITY_ADMIN]
    station.staff.all().delete()  # type: ignore[attr-defined]
    make_staff(station, 2, fulltime=False)
    make_staff(station, 1, left_on=timezone.localdate() - timedelta(days=1))
    make_staff(station, 2)
    assert listed(station, user).fulltime_staff_count == 2
    assert listed(station, user).compliant is False
    make_staff(station, 1, left_on=timezone.localdate() + timedelta(days=30))
    assert listed(station, user).compliant is True


def test_a_missing_room_or_sign_fails_and_says_what_is_missing(users: dict[str, Any]) -> None:
    make_standard(required_rooms=["office", "casework_room", "archive_room"])
    station = compliant_station()
    user = users[Role.CITY_ADMIN]
    assert listed(station, user).compliant is False
    compliance = selectors.station_compliance(station=station)
    assert [c.status for c in compliance.checks][:3] == ["met", "met", "missing"]
    make_rooms(station, "archive_room")
    assert listed(station, user).compliant is True
    Station.objects.filter(pk=station.pk).update(has_sign=False)
    station.refresh_from_db()
    assert listed(station, user).compliant is False
    assert len(selectors.station_compliance(station=station).missing) == 1


def test_the_newest_valid_standard_for_the_kind_applies(users: dict[str, Any]) -> None:
    user = users[Role.CITY_ADMIN]
    station = compliant_station()
    make_standard(name="旧标准", valid_from=date(2020, 1, 1), min_fulltime_staff=3)
    newer = make_standard(name="新标准", valid_from=date(2023, 1, 1), min_fulltime_staff=4)
    make_standard(
        name="未来标准",
        valid_from=timezone.localdate() + timedelta(days=10),
        min_fulltime_staff=1,
    )
    make_standard(
        name="过期标准",
        valid_from=date(2019, 1, 1),
        valid_to=date(2019, 12, 31),
        min_fulltime_staff=1,
    )
    make_standard(name="专项站标准", valid_from=date(2024, 1, 1), station_kinds=["special"])
    assert selectors.station_compliance(station=station).standard == newer
    assert listed(station, user).compliant is False  # 3 staff, 4 required by the newer one
    make_staff(station, 1)
    assert listed(station, user).compliant is True


def test_a_standard_applies_only_to_the_kinds_it_names(users: dict[str, Any]) -> None:
    make_standard(
        station_kinds=["special"], required_rooms=[], requires_sign=False, min_fulltime_staff=1
    )
    township = compliant_station()
    special = make_station(CICHENG, kind="special")
    user = users[Role.CITY_ADMIN]
    assert listed(township, user).compliant is None
    assert listed(special, user).compliant is False
    make_staff(special, 1)
    assert listed(special, user).compliant is True


def test_list_sql_and_checklist_agree(users: dict[str, Any]) -> None:
    make_standard()
    stations = []
    both = ("office", "casework_room")
    variants = [
        (True, both, 3),
        (False, both, 3),
        (True, both[:1], 3),
        (True, both, 2),
        (True, both, 4),
    ]
    for code, (sign, rooms, staff) in zip(JIANGBEI_TOWNSHIPS, variants, strict=False):
        station = make_operating_station(code, date(2020, 1, 1), has_sign=sign)
        make_rooms(station, *rooms)
        make_staff(station, staff)
        stations.append(station)
    rows = {s.pk: s for s in selectors.station_list(actor=users[Role.CITY_ADMIN])}
    for station in stations:
        assert rows[station.pk].compliant == selectors.station_compliance(station=station).compliant
    assert [rows[s.pk].compliant for s in stations] == [True, False, False, False, True]


def test_list_page_and_api_filter_by_compliance(users: dict[str, Any]) -> None:
    make_standard()
    good = compliant_station(CICHENG)
    bad = make_operating_station(JIANGBEI_TOWNSHIPS[0], date(2021, 1, 1))
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    body = client.get("/stations/", {"compliant": "true"}).content.decode()
    assert good.name in body and bad.name not in body
    body = client.get("/stations/", {"compliant": "false"}).content.decode()
    assert bad.name in body and good.name not in body
    client.force_login(users[Role.CITY_ADMIN])
    data = client.get("/api/v1/stations/", {"compliant": "false"}).json()
    assert [row["id"] for row in data["results"]] == [bad.pk]


def test_station_page_shows_the_checklist(users: dict[str, Any]) -> None:
    make_standard(required_rooms=["office", "archive_room"])
    station = compliant_station()
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    body = client.get(station.get_absolute_url()).content.decode()
    assert body.count("compliance-met") == 3  # office, sign, staff
    assert body.count("compliance-missing") == 1  # archive room
    assert body.count("compliance-not_assessed") == 1  # 1+X+1 portfolio


def test_compliance_is_scoped_like_the_stations(users: dict[str, Any]) -> None:
    make_standard()
    inside, outside = compliant_station(CICHENG), compliant_station(YUEHU)
    ids = set(
        selectors.station_list(actor=users[Role.STATION_MANAGER])
        .filter(compliant=True)
        .values_list("pk", flat=True)
    )
    assert inside.pk in ids and outside.pk not in ids
