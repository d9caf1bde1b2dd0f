"""The cockpit page, the district report and the stats API: who may see them, for which
region, and that every figure follows the records."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.cases.selectors import visits_overdue
from swstation.core.roles import Role
from swstation.dashboard.models import Tally
from swstation.dashboard.services import tally_rebuild
from swstation.regions.models import Region
from swstation.workforce.selectors.people import certification_statistics
from tests.clients import client_for
from tests.dashboard import helpers as h
from tests.stations.helpers import make_rooms, make_standard

OVERVIEW = "/api/v1/stats/overview/"


@pytest.fixture
def world(db: Any) -> h.World:
    world = h.build_world()
    tally_rebuild()
    return world


def overview(user: User, **params: Any) -> dict[str, Any]:
    response = client_for(user).get(OVERVIEW, params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CITY_ADMIN, 200),
        (Role.DISTRICT_OFFICER, 200),
        (Role.STATION_MANAGER, 200),
        (Role.SUPERVISOR, 200),
        (Role.AUDITOR, 200),
        (Role.SOCIAL_WORKER, 403),
    ],
)
def test_cockpit_report_and_api_by_role(
    world: h.World, users: dict[str, User], role: str, status: int
) -> None:
    client = client_for(users[role])
    for url in ("/cockpit/", "/cockpit/report/", OVERVIEW, "/api/v1/stats/regions/"):
        assert client.get(url).status_code == status, url
    menu = client.get("/").content.decode()
    assert ('href="/cockpit/"' in menu) == (status == 200)


def test_anonymous_is_sent_to_log_in(world: h.World) -> None:
    assert Client().get("/cockpit/").status_code == 302
    assert Client().get(OVERVIEW).status_code in (401, 403)


def test_each_user_starts_at_their_jurisdiction_and_cannot_leave_it(
    world: h.World, users: dict[str, User]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]  # 江北区
    assert overview(officer)["region"] == {"code": h.JIANGBEI, "name": "江北区"}
    assert overview(users[Role.STATION_MANAGER])["region"]["code"] == h.CICHENG
    client = client_for(officer)
    assert client.get("/cockpit/", {"region": h.HAISHU}).status_code == 404
    assert client.get(OVERVIEW, {"region": h.HAISHU}).status_code == 404
    assert client.get("/cockpit/", {"region": h.CICHENG}).status_code == 200
    city = overview(users[Role.CITY_ADMIN], region=h.HAISHU)
    assert city["region"]["code"] == h.HAISHU and city["stations_operating"] == 1


# --- every figure follows the records ------------------------------------------------------------


def test_station_coverage_and_stations_built(world: h.World, users: dict[str, User]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    towns = Region.objects.filter(
        level="township", is_development_zone=False, code__startswith="330205"
    ).count()
    data = overview(officer)
    assert data["townships_total"] == towns
    assert data["stations_operating"] == 2
    assert data["township_coverage_rate"] == pytest.approx(2 / towns, abs=1e-4)
    assert data["stations_built_by_year"] == {"2021": 2}
    other = Region.objects.filter(level="township", code__startswith="330205").exclude(
        code__in=[h.CICHENG, h.KONGPU]
    )
    h.make_station(other.filter(is_development_zone=False).first().code, opened=date(2023, 3, 1))
    data = overview(officer)
    assert data["stations_operating"] == 3
    assert data["stations_built_by_year"] == {"2021": 2, "2023": 1}
    assert overview(officer, year=2022)["stations_built_by_year"] == {"2021": 2}


def test_certified_social_workers_and_newly_certified(
    world: h.World, users: dict[str, User]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    data = overview(officer, year=2026)
    assert data["certified_social_workers"] == 2
    assert data["newly_certified_by_year"] == {"2022": 2}
    assert data["population"] and data["certified_per_10k"] == pytest.approx(
        2 * 10_000 / data["population"], abs=0.01
    )
    newcomer = world.workers[h.KONGPU][1]
    h.make_certificate(newcomer, "intermediate", date(2025, 4, 1))
    data = overview(officer, year=2026)
    assert data["certified_social_workers"] == 3
    assert data["newly_certified_by_year"] == {"2022": 2, "2025": 1}
    assert overview(officer, year=2024)["certified_social_workers"] == 2
    # The same count as the certification statistics page.
    statistics = certification_statistics(
        actor=officer, region=Region.objects.get(code=h.JIANGBEI), year=2026
    )
    assert statistics.total == 3


def test_recipients_services_cases_and_overdue_visits(
    world: h.World, users: dict[str, User]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    data = overview(officer, year=2026)
    assert data["recipients"] == 6
    assert data["services"] == 6
    assert data["villages_served"] == 6
    assert data["cases_open"] == 2
    assert data["visits_overdue"] == 2
    today = timezone.localdate()
    assert data["visits_overdue"] == visits_overdue(actor=officer, on=today).count()

    person = world.schedules[0].recipient
    h.make_record(world, person, today, "health_visit")
    h.make_recipient(world.villages[h.CICHENG][0], "disabled")
    case = world.cases[0]
    case.stage, case.closed_on = "closed", date(2026, 6, 1)
    case.save()
    data = overview(officer, year=2026)
    assert data["visits_overdue"] == 1
    assert data["services"] == 7
    assert data["recipients"] == 7
    assert data["cases_open"] == 1 and data["cases_closed"] == 1
    assert overview(officer, start="2026-02", end="2026-02")["services"] == 6


def test_breakdowns_follow_the_records(world: h.World, users: dict[str, User]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    client = client_for(officer)

    def breakdown() -> dict[str, Any]:
        data: dict[str, Any] = client.get("/api/v1/stats/breakdown/", {"year": 2026}).json()
        return data

    def counts(name: str) -> dict[str, int]:
        return {row["key"]: row["count"] for row in breakdown()[name]}

    assert counts("services_by_type") == {"home_visit": 6}
    assert counts("recipients_by_category")["elderly_living_alone"] == 4
    assert counts("cases_by_stage")["intake"] == 2
    h.make_record(world, world.recipients[0], date(2026, 3, 3), "phone")
    h.make_recipient(world.villages[h.KONGPU][0], "elderly_living_alone")
    world.cases[0].stage = "planning"
    world.cases[0].save()
    assert counts("services_by_type") == {"home_visit": 6, "phone": 1}
    assert counts("recipients_by_category")["elderly_living_alone"] == 5
    assert counts("cases_by_stage")["intake"] == 1 and counts("cases_by_stage")["planning"] == 1
    months = {row["month"]: row["services"] for row in breakdown()["services_by_month"]}
    assert months["2026-02"] == 6 and months["2026-03"] == 1


def test_money_paid(world: h.World, users: dict[str, User]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    assert overview(officer, year=2026)["payments_paid"] == 0
    person = world.workers[h.CICHENG][0]
    h.make_paid_batch(person, person.certificates.get(), date(2026, 5, 20))
    h.make_subsidy(world.stations[h.KONGPU], date(2026, 7, 1))
    h.make_subsidy(world.stations[h.CICHENG], None)  # payable, not paid
    data = overview(officer, year=2026)
    assert data["payments_paid"] == 1500
    assert data["subsidies_paid"] == 50000
    assert overview(officer, year=2025)["payments_paid"] == 0


def test_compliance_rate_and_what_stations_miss(world: h.World, users: dict[str, User]) -> None:
    make_standard()  # office and casework room, a sign, 3 full-time staff
    officer = users[Role.DISTRICT_OFFICER]
    assert overview(officer)["compliance_rate"] == 0
    station = world.stations[h.CICHENG]
    make_rooms(station, "office", "casework_room")
    station.has_sign = True
    station.save()
    h.make_worker(station, is_fulltime=True)
    data = overview(officer)
    assert (data["stations_compliant"], data["stations_assessed"]) == (1, 2)
    assert data["compliance_rate"] == 0.5
    missing = client_for(officer).get("/api/v1/stats/stations/").json()["non_compliant"]
    assert [item["name"] for item in missing] == [world.stations[h.KONGPU].name]
    assert any("3" in line for line in missing[0]["missing"])


def test_figures_by_region_add_up(world: h.World, users: dict[str, User]) -> None:
    data = client_for(users[Role.CITY_ADMIN]).get("/api/v1/stats/regions/").json()
    assert len(data["areas"]) == Region.objects.filter(level="county").count()
    for field in ("services", "recipients", "certified", "stations_operating", "villages_served"):
        assert sum(area[field] for area in data["areas"]) == data["total"][field], field
    # The overview (computed without the breakdown) says the same as the regions' total.
    summary = overview(users[Role.CITY_ADMIN])
    for field in ("services", "recipients", "stations_operating", "villages_served", "cases_open"):
        assert summary[field] == data["total"][field], field
    assert summary["certified_social_workers"] == data["total"]["certified"]
    by_code = {area["code"]: area for area in data["areas"]}
    assert by_code[h.JIANGBEI]["stations_operating"] == 2
    assert by_code[h.HAISHU]["services"] == 3


def test_money_kept_at_the_city_itself_opens_no_row_of_zeros(
    world: h.World, users: dict[str, User]
) -> None:
    """The funds' tallies keep a city's own grants at the city's code; the table by district
    reads none of the panel-only metrics, so it shows no "宁波市（本级）" row of zeros, while
    a figure the table does show, kept at the city itself, still opens its own-level row."""
    city = Region.objects.get(code=h.CITY)
    year = timezone.localdate().replace(month=1, day=1)
    Tally.objects.create(
        family="funds",
        metric="grants",
        level="d",
        region_code=city.code,
        key="city",
        period=year,
        count=1,
        total=Decimal(500_000),
    )
    client = client_for(users[Role.CITY_ADMIN])
    codes = [area["code"] for area in client.get("/api/v1/stats/regions/").json()["areas"]]
    assert city.code not in codes
    Tally.objects.create(
        family="funds",
        metric="subsidies_paid",
        level="d",
        region_code=city.code,
        period=timezone.localdate().replace(day=1),
        count=1,
        total=Decimal(50_000),
    )
    codes = [area["code"] for area in client.get("/api/v1/stats/regions/").json()["areas"]]
    assert city.code in codes


# --- period, exports, report, links ------------------------------------------------------------


def test_a_malformed_period_is_refused_naming_the_field(
    world: h.World, users: dict[str, User]
) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    response = client.get(OVERVIEW, {"start": "2026-13", "end": "2026-01"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.json()["start"][0]
    response = client.get(
        OVERVIEW, {"start": "2026-05", "end": "2026-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "月" in response.json()["end"][0]
    page = client.get("/cockpit/", {"start": "2026-05", "end": "2026-01"})
    assert page.status_code == 200
    assert 'id="period-errors"' in page.content.decode()


def test_each_table_exports_to_xlsx(world: h.World, users: dict[str, User]) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    response = client.get("/cockpit/", {"export": "areas", "year": 2026})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [row[0] for row in rows[2:]]
    assert "慈城镇" in names and names[-1].endswith("江北区")
    response = client.get("/cockpit/", {"export": "services-by-type", "year": 2026})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][1] == 6
    assert client.get("/cockpit/", {"export": "nothing"}).status_code == 404


def test_numbers_link_to_the_records_behind_them(world: h.World, users: dict[str, User]) -> None:
    page = client_for(users[Role.DISTRICT_OFFICER]).get("/cockpit/", {"year": 2026})
    html = page.content.decode()
    day = page.context["cockpit"].period.as_of.isoformat()  # the stations on that day
    assert f"/stations/?compliant=false&amp;operating_on={day}&amp;region_code=330205" in html
    assert "/cases/services/?service_type=home_visit&amp;region_code=330205000000" in html
    assert f"/cockpit/?region={h.CICHENG}&amp;year=2026" in html  # drill down to a town
    assert 'id="cockpit-data"' in html


def test_district_report_lists_each_town(world: h.World, users: dict[str, User]) -> None:
    response = client_for(users[Role.DISTRICT_OFFICER]).get("/cockpit/report/", {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "慈城镇" in html and "孔浦街道" in html
    assert "dashboard/report.css" in html


def test_tallies_are_read_not_recomputed(world: h.World, users: dict[str, User]) -> None:
    """With nothing changed, a request reads the stored aggregates: a tally edited by hand
    shows through (the refresh only recomputes partitions marked dirty)."""
    officer = users[Role.DISTRICT_OFFICER]
    Tally.objects.filter(metric="services", level="d", region_code=h.JIANGBEI).update(
        count=Decimal(1000)
    )
    assert overview(officer, year=2026)["services"] == 1000
    tally_rebuild()
    assert overview(officer, year=2026)["services"] == 6


def test_overdue_visits_end_with_their_schedule(world: h.World, users: dict[str, User]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    plan = world.schedules[0]
    plan.ends_on = timezone.localdate() - timedelta(days=1)
    plan.save()
    assert overview(officer)["visits_overdue"] == 1


def test_village_coverage_looks_at_the_last_twelve_months(
    world: h.World, users: dict[str, User]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    village = h.villages(h.CICHENG, 5)[4]  # no service there yet
    person = h.make_recipient(village, "disabled")
    h.make_record(world, person, date(2025, 6, 1))
    assert overview(officer, year=2026)["villages_served"] == 6  # June 2025 is too long ago
    assert overview(officer, year=2025)["villages_served"] == 1
    assert overview(officer, start="2025-07", end="2026-06")["villages_served"] == 6
    assert overview(officer, start="2025-06", end="2025-06")["villages_served"] == 1


def test_the_cockpit_speaks_chinese_and_english(world: h.World, users: dict[str, User]) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    html = client.get("/cockpit/").content.decode()
    assert "数据驾驶舱" in html and "乡镇(街道)社工站覆盖率" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/cockpit/"})
    html = client.get("/cockpit/").content.decode()
    assert "Data cockpit" in html and "Township station coverage" in html
    assert "数据驾驶舱" not in html
