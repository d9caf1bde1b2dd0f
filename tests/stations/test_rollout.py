"""Rollout figures (domain.md §5): stations built per year and coverage of towns and streets,
always computed from the station records."""

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from swstation.core.roles import Role
from swstation.regions.models import Region
from swstation.stations import selectors
from swstation.stations.models import Station
from tests.base import ROLES
from tests.conftest import CICHENG
from tests.stations.helpers import (
    DEVELOPMENT_ZONE,
    JIANGBEI_TOWNSHIPS,
    make_operating_station,
    make_station,
)

pytestmark = pytest.mark.django_db
JIANGBEI = "330205000000"


def jiangbei_stations() -> list[Station]:
    """Eight towns and streets in 江北区: 3 built in 2020, 2 in 2021 (one suspended since),
    1 in 2022, 1 planned, 1 without a station; plus a special station that never counts."""
    codes = JIANGBEI_TOWNSHIPS
    stations = [
        make_operating_station(codes[0], date(2020, 3, 1)),
        make_operating_station(codes[1], date(2020, 7, 1)),
        make_operating_station(codes[2], date(2020, 12, 31)),
        make_operating_station(codes[3], date(2021, 1, 1)),
        make_station(codes[4], status="suspended", opened_on=date(2021, 6, 1)),
        make_operating_station(codes[5], date(2022, 5, 1)),
        make_station(codes[6], status="planned"),
    ]
    make_station(CICHENG, kind="special", status="operating", opened_on=date(2019, 1, 1))
    return stations


def district_row(rollout: selectors.Rollout, code: str = JIANGBEI) -> selectors.RolloutRow:
    return next(row for row in rollout.rows if row.code == code)


def test_built_per_year_and_coverage_of_a_district(users: dict[str, Any]) -> None:
    jiangbei_stations()
    rollout = selectors.station_rollout(actor=users[Role.DISTRICT_OFFICER])
    assert [row.code for row in rollout.rows] == [JIANGBEI]
    row = district_row(rollout)
    assert row.name == "江北区"
    assert row.built_by_year == {2020: 3, 2021: 2, 2022: 1}
    assert row.built == 6
    assert row.townships == 8
    assert row.operating == 5  # the suspended one was built but does not operate
    assert row.coverage == pytest.approx(5 / 8)
    assert [row.cumulative(year) for year in rollout.years] == [3, 5, 6]
    assert row.cumulative_coverage(2021) == pytest.approx(5 / 8)
    assert rollout.years == [2020, 2021, 2022]
    assert rollout.total.built == 6 and rollout.total.townships == 8


def test_changing_a_record_changes_the_figures(users: dict[str, Any]) -> None:
    stations = jiangbei_stations()
    actor = users[Role.DISTRICT_OFFICER]
    planned = stations[6]
    planned.status, planned.opened_on = "operating", date(2022, 9, 1)
    planned.save()
    row = district_row(selectors.station_rollout(actor=actor))
    assert row.built_by_year[2022] == 2 and row.operating == 6
    stations[0].opened_on = date(2021, 2, 1)
    stations[0].save()
    row = district_row(selectors.station_rollout(actor=actor))
    assert row.built_by_year == {2020: 2, 2021: 3, 2022: 2}
    stations[1].delete()
    row = district_row(selectors.station_rollout(actor=actor))
    assert row.built_by_year[2020] == 1 and row.operating == 5


def test_the_city_counts_every_town_and_street_but_no_development_zone(
    users: dict[str, Any],
) -> None:
    jiangbei_stations()
    make_station(DEVELOPMENT_ZONE, kind="special", status="operating", opened_on=date(2020, 1, 1))
    rollout = selectors.station_rollout(actor=users[Role.CITY_ADMIN])
    assert rollout.total.townships == 156
    assert rollout.total.built_by_year == {2020: 3, 2021: 2, 2022: 1}
    assert len(rollout.rows) == 10  # the ten districts and counties of Ningbo
    assert sum(row.townships for row in rollout.rows) == 156


def test_the_ningbo_rollout_45_50_61_reaches_full_coverage(users: dict[str, Any]) -> None:
    """The demo's figures: 45 stations in 2020, 50 in 2021, 61 in 2022 → 156 of 156."""
    townships = list(
        Region.objects.filter(level="township", is_development_zone=False).order_by("code")
    )
    assert len(townships) == 156
    years = [2020] * 45 + [2021] * 50 + [2022] * 61
    Station.objects.bulk_create(
        Station(
            name=f"{town.name}社会工作站",
            kind="township",
            region=town,
            status="operating",
            opened_on=date(year, 6, 30),
        )
        for town, year in zip(townships, years, strict=True)
    )
    rollout = selectors.station_rollout(actor=users[Role.CITY_ADMIN])
    assert rollout.total.built_by_year == {2020: 45, 2021: 50, 2022: 61}
    assert [rollout.total.cumulative(year) for year in rollout.years] == [45, 95, 156]
    assert rollout.total.coverage == 1.0
    assert rollout.total.cumulative_coverage(2020) == pytest.approx(45 / 156)


def test_a_station_manager_sees_their_own_township(users: dict[str, Any]) -> None:
    jiangbei_stations()
    rollout = selectors.station_rollout(actor=users[Role.STATION_MANAGER])
    assert rollout.total.townships == 1  # 慈城镇 alone, with no township station
    assert rollout.total.built == 0 and rollout.total.coverage == 0


@pytest.mark.parametrize("role", ROLES)
def test_rollout_page_for_every_role(role: str, users: dict[str, Any]) -> None:
    jiangbei_stations()
    client = Client()
    client.force_login(users[role])
    response = client.get("/stations/rollout/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="rollout-total"' in body
    if role != Role.STATION_MANAGER and role != Role.SOCIAL_WORKER:
        assert "62.5%" in body  # 5 of 8 towns and streets of 江北区 operate a station


def test_rollout_page_needs_login() -> None:
    response = Client().get("/stations/rollout/")
    assert response.status_code == 302


def test_rollout_export_is_the_table(users: dict[str, Any]) -> None:
    jiangbei_stations()
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    response = client.get("/stations/rollout/", {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    built, cumulative = (list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets)
    assert built[0][2:5] == ("2020", "2021", "2022")
    assert built[1][:9] == ("江北区", JIANGBEI, 3, 2, 1, 6, 8, 5, 62.5)
    assert built[-1][2:9] == (3, 2, 1, 6, 8, 5, 62.5)
    assert cumulative[1] == ("江北区", JIANGBEI, 8, 37.5, 62.5, 75.0)


def test_rollout_queries_do_not_grow_with_stations(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    make_operating_station(JIANGBEI_TOWNSHIPS[0], date(2020, 1, 1))
    with CaptureQueriesContext(connection) as few:
        client.get("/stations/rollout/")
    jiangbei_stations_rest = JIANGBEI_TOWNSHIPS[1:]
    for n, code in enumerate(jiangbei_stations_rest):
        make_operating_station(code, date(2020 + n % 3, 1, 1))
    with CaptureQueriesContext(connection) as many:
        client.get("/stations/rollout/")
    assert len(many) == len(few)
