"""Figures true for any date (issue 18): every figure of the stats API, the cockpit and the
district report, over records spread across 2021, 2022, 2023 and this year, checked year by
year — stocks as of each year's end (today for this year), flows within each year.

The world (江北区: 慈城镇 S1 and 孔浦街道 S2; 海曙区: 月湖街道 S3):

- S1 opened 2021-03, sign put up 2022-06, three full-time staff from 2021 (one leaves
  2023-07, one more hired 2024-02), a group room from 2024-06;
- S2 opened 2022-09 with three staff, its rooms in use from 2023-01;
- S3 opened 2021-05, complete, suspended 2023-03;
- a standard requiring an office, a casework room, a sign and three full-time staff until 2023,
  and from 2024 also a group activity room;
- recipients R1 (2021, 低保 until 2022, moved away 2024-05), R2 (2022, 独居老人), R3 (2023-07,
  低保), R4 (registered today);
- cases C1 (2021, closed 2023-04, reopened 2024), C2 (opened and closed in 2022), C3 (opened
  2023-12);
- visit schedules of R1 (from 2021, never visited), R2 (2022, visited 2022-03 and 2022-12, and
  today) and R3 (2023-08, never visited);
- certificates: an assistant in 2021, another in 2022, the first promoted in 2023, one more
  today;
- services in every year, subsidies paid in 2021 and 2022, an exam reward paid in 2023.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.cases.models import Case, CaseStageChange, ServiceRecord, VisitSchedule
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.dashboard.services import tally_rebuild, tally_refresh
from swstation.dashboard.tallies import FAMILIES
from swstation.recipients.models import Category, Recipient
from swstation.recipients.services import recipient_create, recipient_exit, recipient_update
from swstation.regions.models import Population, Region, RegionLevel
from swstation.stations.models import Room, Station
from swstation.workforce.models import SocialWorker, Supervisor
from tests.clients import client_for as _client
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU
from tests.dashboard import helpers as h
from tests.stations.helpers import make_standard

KONGPU = "330205003000"  # 孔浦街道, 江北区
OVERVIEW = "/api/v1/stats/overview/"
BREAKDOWN = "/api/v1/stats/breakdown/"
TODAY = timezone.localdate()
THIS = TODAY.year
YEARS = (2021, 2022, 2023, THIS)

pytestmark = pytest.mark.skipif(THIS < 2025, reason="the world's history runs to 2024")


@dataclass
class World:
    s1: Station
    s2: Station
    s3: Station
    recipients: list[Recipient]
    cases: list[Case]


def _village(township: str, n: int = 0) -> Region:
    return Region.objects.filter(parent__code=township).order_by("code")[n]


def _station(code: str, opened: date, **extra: Any) -> Station:
    station = Station(
        name=f"站{code}",
        kind="township",
        region=Region.objects.get(code=code),
        status="operating",
        opened_on=opened,
        **extra,
    )
    station.full_clean()
    station.save()
    return station


def _room(station: Station, kind: str, since: date | None = None) -> None:
    room = Room(station=station, kind=kind, area_m2=Decimal(20), in_use_from=since)
    room.full_clean()
    room.save()


def _staff(station: Station, hired: date, left: date | None = None) -> SocialWorker:
    return SocialWorker.objects.create(
        name=f"员工{SocialWorker.objects.count():03d}",
        region=station.region,
        station=station,
        is_fulltime=True,
        hired_on=hired,
        left_on=left,
    )


def _person(village: Region, registered: date, *categories: str) -> Recipient:
    return recipient_create(
        actor=SYSTEM,
        name=f"对象{Recipient.objects.count():03d}",
        region=village,
        document_type="none",
        no_document_reason="测试",
        consent_given=True,
        consent_on=registered,
        registered_on=registered,
        categories=list(Category.objects.filter(code__in=categories)),
        allow_duplicates=True,
    )


def _case(station: Station, person: Recipient, steps: list[tuple[str, date]]) -> Case:
    """A case with its stage log, written as the demo writes it: opened at ``steps[0]``."""
    worker = SocialWorker.objects.filter(station=station).order_by("pk").first()
    assert worker is not None
    opened_on = steps[0][1]
    case = Case.objects.create(
        number=f"{station.region.code[:9]}-{opened_on.year}-{Case.objects.count() + 1:04d}",
        recipient=person,
        station=station,
        worker=worker,
        opened_on=opened_on,
        presenting_problem="需要照料",
        stage=steps[-1][0],
        closed_on=steps[-1][1] if steps[-1][0] == "closed" else None,
    )
    before = ""
    for to_stage, day in steps:
        CaseStageChange.objects.create(
            case=case, from_stage=before, to_stage=to_stage, changed_on=day
        )
        before = to_stage
    return case


def _service(person: Recipient, station: Station, day: date, kind: str = "home_visit") -> None:
    worker = SocialWorker.objects.filter(station=station).order_by("pk").first()
    ServiceRecord.objects.create(
        recipient=person,
        station=station,
        worker=worker,
        served_on=day,
        service_type=kind,
        duration_minutes=60,
    )


def _schedule(person: Recipient, station: Station, starts_on: date) -> None:
    VisitSchedule.objects.create(
        recipient=person,
        worker=SocialWorker.objects.filter(station=station).order_by("pk").first(),
        service_type="health_visit",
        times_per_month=2,  # every 15 days
        starts_on=starts_on,
    )


def build() -> World:
    make_standard(valid_from=date(2020, 1, 1), valid_to=date(2023, 12, 31))
    make_standard(
        valid_from=date(2024, 1, 1),
        required_rooms=["office", "casework_room", "group_room"],
    )
    s1 = _station(CICHENG, date(2021, 3, 1), has_sign=True, sign_installed_on=date(2022, 6, 1))
    s2 = _station(KONGPU, date(2022, 9, 1), has_sign=True)
    s3 = _station(YUEHU, date(2021, 5, 1), has_sign=True)
    _room(s1, "office")
    _room(s1, "casework_room")
    _room(s1, "group_room", date(2024, 6, 1))
    for kind in ("office", "casework_room", "group_room"):
        _room(s2, kind, date(2023, 1, 1))
        _room(s3, kind)
    first = _staff(s1, date(2021, 1, 1))
    _staff(s1, date(2021, 1, 1))
    _staff(s1, date(2021, 1, 1), left=date(2023, 7, 1))
    _staff(s1, date(2024, 2, 1))
    second = _staff(s2, date(2022, 9, 1))
    for _ in range(2):
        _staff(s2, date(2022, 9, 1))
    third = _staff(s3, date(2021, 5, 1))
    for _ in range(2):
        _staff(s3, date(2021, 5, 1))
    # S3 is suspended from 2023-03-01 (a station's update through its model rules).
    s3.status, s3.suspended_on = "suspended", date(2023, 3, 1)
    s3.full_clean()
    s3.save()

    r1 = _person(_village(CICHENG), date(2021, 2, 1), "subsistence_allowance")
    recipient_update(actor=SYSTEM, recipient=r1, categories=[], categories_since=date(2023, 1, 1))
    r2 = _person(_village(KONGPU), date(2022, 3, 1), "elderly_living_alone")
    r3 = _person(_village(CICHENG, 1), date(2023, 7, 1), "subsistence_allowance")
    r4 = _person(_village(CICHENG, 1), TODAY, "elderly_living_alone")
    recipient_exit(
        actor=SYSTEM, recipient=r1, exited_on=date(2024, 5, 1), reason="moved_away", note="迁居"
    )

    c1 = _case(
        s1,
        r1,
        [
            ("intake", date(2021, 4, 1)),
            ("assessment", date(2021, 5, 1)),
            ("planning", date(2022, 1, 10)),
            ("intervention", date(2022, 2, 1)),
            ("evaluation", date(2023, 3, 1)),
            ("closed", date(2023, 4, 1)),
            ("intervention", date(2024, 1, 5)),
        ],
    )
    c2 = _case(
        s1,
        r2,
        [
            ("intake", date(2022, 6, 1)),
            ("assessment", date(2022, 7, 1)),
            ("planning", date(2022, 8, 1)),
            ("intervention", date(2022, 8, 15)),
            ("evaluation", date(2022, 10, 1)),
            ("closed", date(2022, 11, 1)),
        ],
    )
    c3 = _case(s1, r3, [("intake", date(2023, 12, 20))])

    _service(r1, s1, date(2021, 6, 1))
    _service(r1, s1, date(2021, 7, 1))
    _service(r2, s2, date(2022, 3, 10), "health_visit")
    _service(r2, s2, date(2022, 12, 20), "health_visit")
    _service(r1, s1, date(2022, 5, 5), "phone")
    _service(r3, s1, date(2023, 8, 8))
    _service(r2, s2, TODAY, "health_visit")
    _schedule(r1, s1, date(2021, 3, 1))
    _schedule(r2, s2, date(2022, 3, 1))
    _schedule(r3, s1, date(2023, 8, 1))

    h.make_certificate(first, "assistant", date(2021, 6, 1))
    h.make_certificate(second, "assistant", date(2022, 6, 1))
    promoted = h.make_certificate(first, "intermediate", date(2023, 6, 1))
    h.make_certificate(third, "assistant", TODAY)
    h.make_subsidy(s1, date(2021, 12, 1))
    h.make_subsidy(s2, date(2022, 12, 1))
    h.make_paid_batch(first, promoted, date(2023, 9, 1))
    Supervisor.objects.create(name="督导", level="city", region=Region.objects.get(code=JIANGBEI))
    return World(s1, s2, s3, [r1, r2, r3, r4], [c1, c2, c3])


@pytest.fixture
def world(db: Any) -> World:
    built = build()
    tally_rebuild()
    return built


def _get(user: User, url: str, **params: Any) -> dict[str, Any]:
    response = _client(user).get(url, params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def _by_year(user: User, url: str = OVERVIEW, **params: Any) -> dict[int, dict[str, Any]]:
    return {year: _get(user, url, year=year, **params) for year in YEARS}


def _column(answers: dict[int, dict[str, Any]], name: str) -> dict[int, Any]:
    return {year: answer[name] for year, answer in answers.items()}


def _keyed(answers: dict[int, dict[str, Any]], name: str) -> dict[int, dict[str, int]]:
    return {
        year: {row["key"]: row["count"] for row in answer[name] if row["count"]}
        for year, answer in answers.items()
    }


# --- stations --------------------------------------------------------------------------------


def test_stations_operating_assessed_and_compliant_by_year(
    world: World, users: dict[str, User]
) -> None:
    city = _by_year(users[Role.CITY_ADMIN])
    assert _column(city, "stations_operating") == {2021: 2, 2022: 3, 2023: 2, THIS: 2}
    # 2021: S1 has no sign yet, S3 complete; 2022: S2's rooms not in use yet; 2023: S1 down to
    # two full-time staff, S3 suspended; now: the 2024 standard asks for a group room, which
    # both stations have.
    assert _column(city, "stations_assessed") == {2021: 2, 2022: 3, 2023: 2, THIS: 2}
    assert _column(city, "stations_compliant") == {2021: 1, 2022: 2, 2023: 1, THIS: 2}
    assert _column(city, "compliance_rate") == {
        2021: 0.5,
        2022: 0.6667,
        2023: 0.5,
        THIS: 1.0,
    }
    stations = {
        year: {row["id"] for row in answer["non_compliant"]}
        for year, answer in _by_year(users[Role.CITY_ADMIN], "/api/v1/stats/stations/").items()
    }
    assert stations == {
        2021: {world.s1.pk},
        2022: {world.s2.pk},
        2023: {world.s1.pk},
        THIS: set(),
    }
    assert _column(city, "stations_built_by_year") == {
        2021: {"2021": 2},
        2022: {"2021": 2, "2022": 1},
        2023: {"2021": 2, "2022": 1},
        THIS: {"2021": 2, "2022": 1},
    }
    townships = (
        Region.objects.filter(code__startswith="3302", level=RegionLevel.TOWNSHIP)
        .exclude(is_development_zone=True)
        .count()
    )
    assert set(_column(city, "townships_total").values()) == {townships}
    assert _column(city, "township_coverage_rate")[2022] == float(
        (Decimal(3) / townships).quantize(Decimal("0.0001"))
    )


def test_the_standard_in_force_at_the_period_end_decides(
    world: World, users: dict[str, User]
) -> None:
    """Under the 2024 standard (group room required) S1 without its group room would fail
    this year, but not in 2023, when the standard did not ask for one."""
    Room.objects.filter(station=world.s1, kind="group_room").delete()
    tally_refresh()
    city = _by_year(users[Role.CITY_ADMIN])
    assert _column(city, "stations_compliant") == {2021: 1, 2022: 2, 2023: 1, THIS: 1}


def test_cockpit_lists_what_each_station_missed_then(world: World, users: dict[str, User]) -> None:
    from swstation.dashboard.selectors import Period, cockpit

    city = Region.objects.get(code=CITY)
    missing = {
        year: {
            item.station.pk: item.missing
            for item in cockpit(
                actor=users[Role.CITY_ADMIN], region=city, period=Period.year(year)
            ).non_compliant
        }
        for year in YEARS
    }
    assert missing[2021] == {world.s1.pk: ["缺失：未设置标识牌。"]}
    assert set(missing[2022]) == {world.s2.pk}
    assert len(missing[2022][world.s2.pk]) == 2  # office and casework room not in use yet
    assert set(missing[2023]) == {world.s1.pk}
    assert len(missing[2023][world.s1.pk]) == 1 and "2" in missing[2023][world.s1.pk][0]
    assert missing[THIS] == {}


# --- recipients, cases, visits -----------------------------------------------------------------


def test_recipients_in_service_and_by_category_by_year(
    world: World, users: dict[str, User]
) -> None:
    city = users[Role.CITY_ADMIN]
    assert _column(_by_year(city), "recipients") == {2021: 1, 2022: 2, 2023: 3, THIS: 3}
    assert _keyed(_by_year(city, BREAKDOWN), "recipients_by_category") == {
        2021: {"subsistence_allowance": 1},
        2022: {"subsistence_allowance": 1, "elderly_living_alone": 1},
        2023: {"subsistence_allowance": 1, "elderly_living_alone": 1},
        THIS: {"subsistence_allowance": 1, "elderly_living_alone": 2},
    }
    # A run of months ends where it ends: R3 was registered in July 2023.
    assert _get(city, OVERVIEW, start="2023-01", end="2023-06")["recipients"] == 2


def test_cases_by_stage_open_opened_and_closed_by_year(
    world: World, users: dict[str, User]
) -> None:
    city = users[Role.CITY_ADMIN]
    answers = _by_year(city)
    assert _column(answers, "cases_open") == {2021: 1, 2022: 1, 2023: 1, THIS: 2}
    assert _column(answers, "cases_opened") == {2021: 1, 2022: 1, 2023: 1, THIS: 0}
    assert _column(answers, "cases_closed") == {2021: 0, 2022: 1, 2023: 1, THIS: 0}
    assert _keyed(_by_year(city, BREAKDOWN), "cases_by_stage") == {
        2021: {"assessment": 1},
        2022: {"intervention": 1, "closed": 1},
        2023: {"intake": 1, "closed": 2},
        THIS: {"intake": 1, "intervention": 1, "closed": 1},
    }


def test_visits_overdue_at_each_year_end_and_today(world: World, users: dict[str, User]) -> None:
    """R1's schedule (never visited) is overdue until R1 moved away; R2's was visited in
    December 2022 (not overdue at its end, overdue at the end of 2023) and today; R3's never."""
    city = users[Role.CITY_ADMIN]
    assert _column(_by_year(city), "visits_overdue") == {2021: 1, 2022: 1, 2023: 3, THIS: 1}
    # Today's figure is the due list's.
    from swstation.cases.selectors import visits_overdue

    assert visits_overdue(actor=city, on=TODAY).count() == 1


def test_services_and_village_coverage_by_year(world: World, users: dict[str, User]) -> None:
    answers = _by_year(users[Role.CITY_ADMIN])
    assert _column(answers, "services") == {2021: 2, 2022: 3, 2023: 1, THIS: 1}
    assert _column(answers, "villages_served") == {2021: 1, 2022: 2, 2023: 1, THIS: 1}
    villages = Region.objects.filter(code__startswith="3302", level=RegionLevel.VILLAGE).count()
    assert set(_column(answers, "villages_total").values()) == {villages}
    assert _keyed(_by_year(users[Role.CITY_ADMIN], BREAKDOWN), "services_by_type") == {
        2021: {"home_visit": 2},
        2022: {"health_visit": 2, "phone": 1},
        2023: {"home_visit": 1},
        THIS: {"health_visit": 1},
    }


# --- workforce and money -----------------------------------------------------------------------


def test_certified_people_by_year(world: World, users: dict[str, User]) -> None:
    city = users[Role.CITY_ADMIN]
    answers = _by_year(city)
    assert _column(answers, "certified_social_workers") == {2021: 1, 2022: 2, 2023: 2, THIS: 3}
    assert _column(answers, "newly_certified_by_year") == {
        2021: {"2021": 1},
        2022: {"2021": 1, "2022": 1},
        2023: {"2021": 1, "2022": 1},
        THIS: {"2021": 1, "2022": 1, str(THIS): 1},
    }
    assert _keyed(_by_year(city, BREAKDOWN), "certified_by_level") == {
        2021: {"assistant": 1},
        2022: {"assistant": 2},
        2023: {"assistant": 1, "intermediate": 1},
        THIS: {"assistant": 2, "intermediate": 1},
    }
    for year, answer in answers.items():
        expected = (
            Population.objects.filter(region__code=CITY, year__lte=year)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        assert answer["population_year"] == expected


def test_money_paid_by_year(world: World, users: dict[str, User]) -> None:
    answers = _by_year(users[Role.CITY_ADMIN])
    assert _column(answers, "subsidies_paid") == {
        2021: 50000,
        2022: 50000,
        2023: 0,
        THIS: 0,
    }
    assert _column(answers, "payments_paid") == {
        2021: 0,
        2022: 0,
        2023: 1500,
        THIS: 0,
    }


# --- by region, the cockpit page and the district report --------------------------------------


def test_figures_by_district_by_year(world: World, users: dict[str, User]) -> None:
    """The breakdown by child region (the stats API's regions/ and the report) follows the same
    rules: 海曙区's S3 ran in 2021 and 2022 only."""
    city = users[Role.CITY_ADMIN]

    def area(year: int, code: str) -> dict[str, Any]:
        rows = _get(city, "/api/v1/stats/regions/", year=year)["areas"]
        return next(row for row in rows if row["code"] == code)

    assert {y: area(y, HAISHU)["stations_operating"] for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 0,
        THIS: 0,
    }
    assert {y: area(y, JIANGBEI)["stations_operating"] for y in YEARS} == {
        2021: 1,
        2022: 2,
        2023: 2,
        THIS: 2,
    }
    assert {y: area(y, JIANGBEI)["recipients"] for y in YEARS} == {
        2021: 1,
        2022: 2,
        2023: 3,
        THIS: 3,
    }
    assert {y: area(y, JIANGBEI)["cases_open"] for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 1,
        THIS: 2,
    }
    assert {y: area(y, JIANGBEI)["visits_overdue"] for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 3,
        THIS: 1,
    }
    assert {y: area(y, JIANGBEI)["certified"] for y in YEARS} == {
        2021: 1,
        2022: 2,
        2023: 2,
        THIS: 2,
    }
    assert {y: area(y, HAISHU)["certified"] for y in YEARS} == {2021: 0, 2022: 0, 2023: 0, THIS: 1}


def test_district_report_by_year(world: World, users: dict[str, User]) -> None:
    """The report's table (exported) holds each year's figures for 江北区's towns."""
    client = _client(users[Role.DISTRICT_OFFICER])

    def table(year: int) -> dict[str, dict[str, Any]]:
        response = client.get("/cockpit/report/", {"year": year, "export": "areas"})
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet is not None
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = [str(cell) for cell in rows[1]]  # under the title
        return {str(row[0]): dict(zip(header, row, strict=False)) for row in rows[2:]}

    def cell(year: int, town: str, column: str) -> Any:
        found = table(year)
        row = next(values for name, values in found.items() if town in name)
        return row[column]

    assert {y: cell(y, "慈城镇", "运行中的社工站") for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 1,
        THIS: 1,
    }
    assert {y: cell(y, "孔浦街道", "运行中的社工站") for y in YEARS} == {
        2021: 0,
        2022: 1,
        2023: 1,
        THIS: 1,
    }
    assert {y: cell(y, "慈城镇", "服务对象") for y in YEARS} == {2021: 1, 2022: 1, 2023: 2, THIS: 2}
    assert {y: cell(y, "孔浦街道", "服务对象") for y in YEARS} == {
        2021: 0,
        2022: 1,
        2023: 1,
        THIS: 1,
    }
    assert {y: cell(y, "慈城镇", "在案个案") for y in YEARS} == {2021: 1, 2022: 1, 2023: 1, THIS: 2}


def test_cockpit_page_headlines_by_year(world: World, users: dict[str, User]) -> None:
    client = _client(users[Role.CITY_ADMIN])

    def headline(year: int, name: str) -> str:
        html = client.get("/cockpit/", {"year": year}).content.decode()
        start = html.index(f'id="headline-{name}"')
        segment = html[start : html.index("</div>", start)]
        return segment.rsplit(">", 2)[-2].split("<")[0] if "</a>" in segment else segment

    assert {y: headline(y, "recipients") for y in YEARS} == {
        2021: "1",
        2022: "2",
        2023: "3",
        THIS: "3",
    }
    assert {y: headline(y, "cases-open") for y in YEARS} == {
        2021: "1",
        2022: "1",
        2023: "1",
        THIS: "2",
    }
    assert {y: headline(y, "visits-overdue") for y in YEARS} == {
        2021: "1",
        2022: "1",
        2023: "3",
        THIS: "1",
    }


# --- corrections keep the past right ------------------------------------------------------------


def test_a_back_dated_correction_changes_the_past_years(
    world: World, users: dict[str, User]
) -> None:
    city = users[Role.CITY_ADMIN]
    r3 = world.recipients[2]
    recipient_update(actor=SYSTEM, recipient=r3, registered_on=date(2021, 9, 1))
    assert _column(_by_year(city), "recipients") == {2021: 2, 2022: 3, 2023: 3, THIS: 3}
    change = CaseStageChange.objects.get(case=world.cases[1], to_stage="closed")
    change.changed_on = date(2023, 2, 1)
    change.save()
    CaseStageChange.objects.filter(case=world.cases[1], to_stage="evaluation").update(
        changed_on=date(2022, 10, 1)
    )
    assert _column(_by_year(city), "cases_closed") == {2021: 0, 2022: 0, 2023: 2, THIS: 0}
    assert _column(_by_year(city), "cases_open")[2022] == 2


def test_incremental_refresh_equals_a_full_recount(world: World) -> None:
    """After the corrections above, what the refresh kept equals a recount from the records."""
    from swstation.dashboard.models import Tally

    recipient_update(actor=SYSTEM, recipient=world.recipients[1], registered_on=date(2021, 1, 5))
    recipient_exit(actor=SYSTEM, recipient=world.recipients[2], exited_on=TODAY, reason="deceased")
    Room.objects.filter(station=world.s2).update(in_use_from=date(2022, 9, 1))
    tally_refresh()
    kept = sorted(
        Tally.objects.values_list(
            "family", "metric", "level", "region_code", "key", "period", "count", "total"
        )
    )
    tally_rebuild(families=list(FAMILIES))
    recounted = sorted(
        Tally.objects.values_list(
            "family", "metric", "level", "region_code", "key", "period", "count", "total"
        )
    )
    assert kept == recounted


def test_the_numbers_link_to_the_people_behind_them_on_that_day(
    world: World, users: dict[str, User]
) -> None:
    city = users[Role.CITY_ADMIN]
    html = _client(city).get("/cockpit/", {"year": 2022}).content.decode()
    assert "/recipients/?in_service_on=2022-12-31&amp;region_code=330200000000" in html
    assert "category=subsistence_allowance&amp;in_service_on=2022-12-31" in html

    def listed(**params: Any) -> set[int]:
        answer = _get(city, "/api/v1/recipients/", **params)
        return {row["id"] for row in answer["results"]}

    r1, r2, r3, r4 = (person.pk for person in world.recipients)
    assert listed(in_service_on="2022-12-31") == {r1, r2}
    assert listed(in_service_on="2022-12-31", category="subsistence_allowance") == {r1}
    assert listed(in_service_on="2023-12-31", category="subsistence_allowance") == {r3}
    assert listed(in_service_on=str(TODAY)) == {r2, r3, r4}


def test_rates_months_and_kinds_by_year(world: World, users: dict[str, User]) -> None:
    """The remaining figures of the overview and the breakdown, year by year: the rates follow
    their counts, the months are the year's own, money by kind in the year it was paid."""
    city = users[Role.CITY_ADMIN]
    answers = _by_year(city)
    townships = answers[2021]["townships_total"]
    villages = answers[2021]["villages_total"]

    def rate(part: int, whole: int) -> float:
        return float((Decimal(part) / whole).quantize(Decimal("0.0001")))

    assert _column(answers, "township_coverage_rate") == {
        2021: rate(2, townships),
        2022: rate(3, townships),
        2023: rate(2, townships),
        THIS: rate(2, townships),
    }
    assert _column(answers, "village_coverage_rate") == {
        2021: rate(1, villages),
        2022: rate(2, villages),
        2023: rate(1, villages),
        THIS: rate(1, villages),
    }
    for year, answer in answers.items():
        population = answer["population"]
        certified = answer["certified_social_workers"]
        expected = float((Decimal(certified) * 10_000 / population).quantize(Decimal("0.01")))
        assert answer["certified_per_10k"] == expected, year
    breakdowns = _by_year(city, BREAKDOWN)
    months = {
        year: {
            row["month"]: row["services"] for row in answer["services_by_month"] if row["services"]
        }
        for year, answer in breakdowns.items()
    }
    assert months[2021] == {"2021-06": 1, "2021-07": 1}
    assert months[2022] == {"2022-03": 1, "2022-05": 1, "2022-12": 1}
    assert months[2023] == {"2023-08": 1}
    assert months[THIS] == {f"{TODAY:%Y-%m}": 1}
    assert _keyed(breakdowns, "paid_by_kind") == {
        2021: {"subsidy": 1},
        2022: {"subsidy": 1},
        2023: {"exam_reward": 1},
        THIS: {},
    }
