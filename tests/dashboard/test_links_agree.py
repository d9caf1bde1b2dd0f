"""Figures and links that agree (issues 10 and 18): every number of the cockpit that links to a
list of records — headlines, charts, the table by region — opens a list of exactly that many
rows, for past years and for this one, for the city and for a district; and the records
behind them as they were on the period's end: a case at the station it was at then, a visit
plan switched off since still overdue in the years it ran.

The world is test_as_of's (records spread over 2021 to this year) with two transfers of C3 —
from 慈城镇 (S1) to 孔浦街道 (S2) on 2024-03-01, then to 海曙区's 月湖街道 (S3) on 2024-06-01 —
and R3's visit plan (never visited) switched off today.
"""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from swstation.accounts.models import User
from swstation.cases.models import Case, CaseTransfer, VisitSchedule
from swstation.cases.services import case_transfer
from swstation.cases.services.records import visit_schedule_update
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.dashboard import charts, selectors
from swstation.dashboard.services import tally_mark_dirty, tally_rebuild
from swstation.regions.models import Region
from swstation.workforce.models import SocialWorker
from tests.clients import client_for as _client
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI
from tests.dashboard import helpers as h
from tests.dashboard.test_as_of import KONGPU, THIS, TODAY, YEARS, World, build

pytestmark = pytest.mark.skipif(THIS < 2025, reason="the world's history runs to 2024")


def _worker(station: Any) -> SocialWorker:
    worker = SocialWorker.objects.filter(station=station, left_on__isnull=True).first()
    assert worker is not None
    return worker


@pytest.fixture
def world(db: Any) -> World:
    built = build()
    c3 = built.cases[2]
    case_transfer(
        actor=SYSTEM,
        case=c3,
        to_worker=_worker(built.s2),
        reason="家庭迁居孔浦",
        transferred_on=date(2024, 3, 1),
    )
    case_transfer(
        actor=SYSTEM,
        case=Case.objects.get(pk=c3.pk),
        to_worker=_worker(built.s3),
        reason="转介月湖",
        transferred_on=date(2024, 6, 1),
    )
    r3 = built.recipients[2]
    visit_schedule_update(
        actor=SYSTEM, schedule=VisitSchedule.objects.get(recipient=r3), active=False
    )
    tally_rebuild()
    return built


def _listed(client: Client, url: str) -> int:
    """The number of rows of the list ``url`` opens (its filters all understood)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "filterset" in context:
        filterset = context["filterset"]
        assert filterset.is_valid(), (url, filterset.errors)
        unknown = set(filterset.data) - set(filterset.filters) - {"page", "per_page", "sort"}
        assert not unknown, (url, unknown)  # a parameter the list would silently ignore
        count: int = filterset.qs.count()
        return count
    return int(context["count"])


def _linked_numbers(result: selectors.Cockpit) -> list[tuple[str, int, str]]:
    """Every count on the page with its link: (where, number, url)."""
    found: list[tuple[str, int, str]] = []
    totals = result.totals
    figures = {
        "cases-open": totals.cases_open,
        "visits-overdue": totals.visits_overdue,
        "certified": totals.certified,
        "newly-certified": totals.newly_certified,
        "recipients": totals.recipients,
        "services": totals.services,
        "village-coverage": totals.villages - totals.villages_served,
        # Percentages whose links open the stations behind them on the period's end.
        "township-coverage": totals.stations_operating,
        "compliance": totals.stations_assessed - totals.stations_compliant,
    }
    for headline in charts.headlines(result):
        if headline.id in figures and headline.url:
            found.append((f"headline {headline.id}", figures[headline.id], headline.url))
    for chart in [*charts.build_charts(result), charts.area_table(result)]:
        for row in chart.rows:
            for index, cell in enumerate(row[1:], start=1):
                if cell.url and isinstance(cell.value, int) and index not in chart.percent_columns:
                    found.append(
                        (f"{chart.id} {row[0].value} {chart.columns[index]}", cell.value, cell.url)
                    )
    return found


# Lists not dated yet: the station subsidies while they move to the funds app (its list takes
# paid_after/paid_before). The rest must agree, the stations too (operating and compliant on
# the period's end, issue 18).
NOT_DATED = ("/stations/subsidies/",)


def _check(user: User, region: Region) -> list[str]:
    client = _client(user)
    wrong = []
    checked = 0
    for year in YEARS:
        result = selectors.cockpit(actor=user, region=region, period=selectors.Period.year(year))
        for where, number, url in _linked_numbers(result):
            if any(part in url for part in NOT_DATED):
                continue
            checked += 1
            shown = _listed(client, url)
            if shown != number:
                wrong.append(f"{year} {where}: {number} but the list shows {shown} ({url})")
    assert checked > 40
    return wrong


def test_every_count_opens_a_list_of_that_many_for_the_city(
    world: World, users: dict[str, User]
) -> None:
    assert _check(users[Role.CITY_ADMIN], Region.objects.get(code=CITY)) == []


def test_every_count_opens_a_list_of_that_many_for_a_district(
    world: World, users: dict[str, User]
) -> None:
    """江北区's officer: C3 was at 慈城镇 at the end of 2023 and has since moved to 海曙区,
    outside the jurisdiction. The figures of 2023 count it where it was, the lists no longer
    show it: those links, and only those, differ by one, and the headline says why."""
    district = users[Role.DISTRICT_OFFICER]
    wrong = _check(district, Region.objects.get(code=JIANGBEI))
    assert wrong and all(
        line.startswith("2023 ") and "/cases/" in line and "1 but the list shows 0" in line
        for line in wrong
    ), wrong
    html = _client(district).get("/cockpit/", {"year": 2023}).content.decode()
    start = html.index('id="headline-cases-open"')
    assert (
        "其中 1 个已转至您辖区以外的社工站" in html[start : html.index("</div></div></div>", start)]
    )
    this_year = _client(district).get("/cockpit/", {"year": THIS}).content.decode()
    assert "已转至您辖区以外" not in this_year


def test_the_station_links_of_a_past_cockpit_carry_its_end(
    world: World, users: dict[str, User]
) -> None:
    """The stations operating and short of the standard on 2022-12-31, not today's (issue
    18): every station link of the cockpit of 2022, the "and more" of the stations short of
    the standard included, opens the list as of that day."""
    client = _client(users[Role.CITY_ADMIN])
    response = client.get("/cockpit/", {"year": 2022})
    assert "operating_on=2022-12-31" in response.context["non_compliant_url"]
    result = _figures(users[Role.CITY_ADMIN], CITY, 2022)
    station_links = [
        url
        for _where, _number, url in _linked_numbers(result)
        if url.startswith("/stations/?") and "opened_year" not in url
    ]
    assert len(station_links) > 4
    assert all("operating_on=2022-12-31" in url for url in station_links), station_links


def test_a_town_drilled_down_agrees_too(world: World, users: dict[str, User]) -> None:
    assert _check(users[Role.CITY_ADMIN], Region.objects.get(code=CICHENG)) == []


# --- the records as they were ------------------------------------------------------------------


def _figures(user: User, code: str, year: int) -> selectors.Cockpit:
    region = Region.objects.get(code=code)
    return selectors.cockpit(actor=user, region=region, period=selectors.Period.year(year))


def _area(result: selectors.Cockpit, code: str) -> selectors.AreaFigures:
    return next(a for a in result.areas if a.code == code)


def test_a_transferred_case_counts_where_it_was_at_each_period_end(
    world: World, users: dict[str, User]
) -> None:
    city = users[Role.CITY_ADMIN]
    open_by_district = {
        year: (
            _area(_figures(city, CITY, year), JIANGBEI).cases_open,
            _area(_figures(city, CITY, year), HAISHU).cases_open,
        )
        for year in YEARS
    }
    # C1 open at S1 (江北) until its closure in 2023, reopened in 2024; C3 opened at S1 in
    # 2023, at S2 (江北 too) from 2024-03, at S3 (海曙) from 2024-06.
    assert open_by_district == {2021: (1, 0), 2022: (1, 0), 2023: (1, 0), THIS: (1, 1)}
    district = users[Role.DISTRICT_OFFICER]

    def by_town(period: selectors.Period) -> tuple[int, int]:
        result = selectors.cockpit(
            actor=district, region=Region.objects.get(code=JIANGBEI), period=period
        )
        return _area(result, CICHENG).cases_open, _area(result, KONGPU).cases_open

    assert by_town(selectors.Period.year(2023)) == (1, 0)
    april = selectors.Period.months(date(2024, 4, 1), date(2024, 4, 1))
    assert by_town(april) == (1, 1)
    assert by_town(selectors.Period.year(THIS)) == (1, 0)
    # The city's own totals do not move: a transfer inside the city is no new case.
    assert {y: _figures(city, CITY, y).totals.cases_open for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 1,
        THIS: 2,
    }
    # Opened where it was opened: C3 in 慈城镇 although it has left it.
    assert _area(_figures(district, JIANGBEI, 2023), CICHENG).cases_opened == 1
    assert _area(_figures(city, CITY, 2023), HAISHU).cases_opened == 0
    # The list the figure links to, as of April 2024: C3 in 孔浦街道.
    client = _client(city)
    url = charts.cases_url(
        selectors.cockpit(actor=city, region=Region.objects.get(code=JIANGBEI), period=april),
        KONGPU[:9],
        ["intake"],
    )
    assert _listed(client, url) == 1
    # And its row shows it as it was then: at 孔浦 (S2), at intake.
    row = next(iter(client.get(url).context["table"].rows))
    assert row.get_cell_value("station") == world.s2.name
    assert row.get_cell_value("stage") == "接案"


def test_a_transfer_back_dated_or_undone_puts_the_past_right(
    world: World, users: dict[str, User]
) -> None:
    """The tallies of both stations' partitions follow a transfer's date; what the refresh
    kept equals a recount."""
    city = users[Role.CITY_ADMIN]
    transfer = CaseTransfer.objects.filter(case=world.cases[2]).order_by("transferred_on")[0]
    transfer.transferred_on = date(2023, 12, 28)
    transfer.save()
    district = users[Role.DISTRICT_OFFICER]
    assert _area(_figures(district, JIANGBEI, 2023), KONGPU).cases_open == 1
    assert _area(_figures(district, JIANGBEI, 2023), CICHENG).cases_open == 0
    h.assert_matches_recount()
    assert _figures(city, CITY, 2023).totals.cases_open == 1
    # Undone: the case never left 慈城镇.
    CaseTransfer.objects.filter(case=world.cases[2]).delete()
    Case.objects.filter(pk=world.cases[2].pk).update(station=world.s1)
    tally_mark_dirty(families=("cases",), codes=[CICHENG, KONGPU])
    assert _area(_figures(district, JIANGBEI, THIS), CICHENG).cases_open == 2
    assert _area(_figures(city, CITY, THIS), HAISHU).cases_open == 0
    h.assert_matches_recount()


def test_a_plan_switched_off_still_counts_in_the_years_it_ran(
    world: World, users: dict[str, User]
) -> None:
    """R3's plan (from 2023-08, never visited) was overdue at the end of 2023 and until today,
    when it was switched off: 2023 keeps it, this year no longer counts it."""
    city = users[Role.CITY_ADMIN]
    schedule = VisitSchedule.objects.get(recipient=world.recipients[2])
    assert schedule.deactivated_on == TODAY and not schedule.active
    assert {y: _figures(city, CITY, y).totals.visits_overdue for y in YEARS} == {
        2021: 1,
        2022: 1,
        2023: 3,
        THIS: 0,
    }
    # Switched off back in 2024-02 (as the migration dates a plan already inactive): the end of
    # 2023 still counts it.
    VisitSchedule.objects.filter(pk=schedule.pk).update(deactivated_on=date(2024, 2, 1))
    tally_mark_dirty(families=("visits",), codes=[CICHENG])
    assert _figures(city, CITY, 2023).totals.visits_overdue == 3
    # Switched on again: it runs, and is overdue, today.
    visit_schedule_update(
        actor=SYSTEM, schedule=VisitSchedule.objects.get(pk=schedule.pk), active=True
    )
    assert VisitSchedule.objects.get(pk=schedule.pk).deactivated_on is None
    assert _figures(city, CITY, THIS).totals.visits_overdue == 1


def test_the_per_10k_chart_draws_only_regions_with_a_population(
    world: World, users: dict[str, User]
) -> None:
    """Towns and streets have no population on record: the city draws its districts, each
    with its ratio; a district draws no empty chart by town."""
    city = charts.build_charts(_figures(users[Role.CITY_ADMIN], CITY, THIS))
    per_10k = next(chart for chart in city if chart.id == "certified-per-10k")
    assert per_10k.rows and all(row[1].value is not None for row in per_10k.rows)
    district = charts.build_charts(_figures(users[Role.DISTRICT_OFFICER], JIANGBEI, THIS))
    assert "certified-per-10k" not in {chart.id for chart in district}


def test_the_overdue_chart_draws_overdue_visits(world: World, users: dict[str, User]) -> None:
    result = _figures(users[Role.CITY_ADMIN], CITY, 2023)
    chart = next(c for c in charts.build_charts(result) if c.id == "visits-overdue")
    drawn = chart.echarts()["series"]
    assert [series["name"] for series in drawn] == ["逾期探访"]
    assert sum(drawn[0]["data"]) == 3


def test_the_unserved_villages_page(world: World, users: dict[str, User]) -> None:
    client = _client(users[Role.DISTRICT_OFFICER])
    page = client.get("/cockpit/villages/", {"region": JIANGBEI, "year": 2022})
    assert page.status_code == 200
    villages = Region.objects.filter(code__startswith="330205", level="village").count()
    assert page.context["count"] == villages - 2  # R1's and R2's villages were served in 2022
    served = client.get("/cockpit/villages/", {"region": JIANGBEI, "year": 2022, "served": "true"})
    assert served.context["count"] == 2
    assert "未服务" in page.content.decode() or "没有" in page.content.decode()
    # Outside the jurisdiction: 404, as everywhere.
    assert client.get("/cockpit/villages/", {"region": HAISHU}).status_code == 404


def test_counts_hidden_from_a_role_say_so(world: World, users: dict[str, User]) -> None:
    """An auditor does not see minors' records: a minor's overdue plan and services are in the
    figures but not in the lists, and the headlines say by how many."""
    from tests.dashboard.test_as_of import _person, _schedule, _service

    village = Region.objects.filter(parent__code=CICHENG, level="village").order_by("code")[0]
    child = _person(village, date(2024, 1, 1), "child_in_difficulty")
    child.birth_date = date(TODAY.year - 10, 1, 1)
    child.save()
    _schedule(child, world.s1, date(2024, 1, 1))
    _service(child, world.s1, date(TODAY.year, 1, 2), "home_visit")
    html = _client(users[Role.AUDITOR]).get("/cockpit/", {"year": THIS}).content.decode()
    for headline in ("recipients", "services", "visits-overdue"):
        start = html.index(f'id="headline-{headline}"')
        card = html[start : html.index("</div></div></div>", start)]
        assert "1 条涉及未成年人" in card, headline
    # The district officer sees minors: no such note.
    district = _client(users[Role.DISTRICT_OFFICER]).get("/cockpit/", {"year": THIS})
    assert "涉及未成年人" not in district.content.decode()
