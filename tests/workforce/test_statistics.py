"""Certification statistics (domain.md §5): every figure is computed from the records, so the
figures change when the records do; scoped to the jurisdiction; per 10,000 residents with the
population year said; newly certified per year with year-on-year growth; .xlsx exports."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from swstation.core.roles import Role
from swstation.regions.models import Population
from swstation.workforce.models import Certificate, CertificateLevel, SocialWorker
from swstation.workforce.selectors.people import certification_statistics
from tests.base import ROLES
from tests.clients import client_for as _client
from tests.workforce import helpers

pytestmark = pytest.mark.django_db

URL = "/workforce/statistics/"


@pytest.fixture
def world() -> dict[str, SocialWorker]:
    """Seven people; figures for the end of 2023 in the comments.

    A 慈城镇: assistant 2021, intermediate 2022   → intermediate, first 2021
    B 慈城镇: assistant 2022, has left             → assistant, first 2022 (still counted)
    C 慈城镇: intermediate 2023                    → intermediate, first 2023
    D 江北区 itself: assistant 2019, senior 2022   → senior, first 2019
    E 月湖街道 (海曙区): assistant 2022              → assistant, first 2022
    F 慈城镇: no certificate                       → not counted
    G 慈城镇: assistant 2024                       → not counted before 2024
    """
    a = helpers.person(helpers.CICHENG, name="A")
    helpers.certificate(a, "assistant", date(2021, 3, 1))
    helpers.certificate(a, "intermediate", date(2022, 5, 1))
    b = helpers.person(helpers.CICHENG, name="B", left_on=date(2023, 3, 1))
    helpers.certificate(b, "assistant", date(2022, 6, 1))
    c = helpers.person(helpers.CICHENG, name="C")
    helpers.certificate(c, "intermediate", date(2023, 7, 1))
    d = helpers.person(helpers.JIANGBEI, name="D")
    helpers.certificate(d, "assistant", date(2019, 9, 1))
    helpers.certificate(d, "senior", date(2022, 1, 1))
    e = helpers.person(helpers.YUEHU, name="E")
    helpers.certificate(e, "assistant", date(2022, 3, 1))
    f = helpers.person(helpers.CICHENG, name="F")
    g = helpers.person(helpers.CICHENG, name="G")
    helpers.certificate(g, "assistant", date(2024, 2, 1))
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g}


def levels(stats: Any) -> dict[str, int]:
    return {row.level: row.count for row in stats.by_level}


def area(stats: Any, code: str) -> Any:
    return next(row for row in stats.by_area if row.code == code)


def test_city_figures_at_the_end_of_2023(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CITY), year=2023
    )
    assert stats.total == 5
    assert levels(stats) == {"assistant": 2, "intermediate": 2, "senior": 1}
    assert stats.population is not None
    assert (stats.population.population, stats.population.year) == (9_697_000, 2023)
    assert stats.per_10k == Decimal("0.01")  # 5 / 969.7, rounded to two decimals
    jiangbei = area(stats, helpers.JIANGBEI)
    assert (jiangbei.total, jiangbei.by_level["senior"]) == (4, 1)
    assert jiangbei.population.population == 513_000
    assert jiangbei.per_10k == Decimal("0.08")
    assert area(stats, "330203000000").total == 1
    assert sum(row.total for row in stats.by_area) == stats.total
    assert len(stats.by_area) == 10  # the city's ten counties, none left over


def test_newly_certified_per_year_and_growth(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CITY), year=2023
    )
    rows = {row.year: (row.newly, row.growth, row.cumulative) for row in stats.by_year}
    assert rows == {
        2019: (1, None, 1),
        2020: (0, Decimal("-100.0"), 1),
        2021: (1, None, 2),  # no growth rate on a year with none before
        2022: (2, Decimal("100.0"), 4),
        2023: (1, Decimal("-50.0"), 5),
    }
    assert stats.by_year[-1].cumulative == stats.total  # the two counts agree


def test_highest_level_is_the_one_held_at_year_end(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CITY), year=2021
    )
    assert stats.total == 2  # A and D
    assert levels(stats) == {"assistant": 2, "intermediate": 0, "senior": 0}
    stats_2024 = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CITY), year=2024
    )
    assert stats_2024.total == 6 and stats_2024.year_row(2024).newly == 1  # G


def test_figures_change_when_records_change(users: dict[str, Any], world: Any) -> None:
    actor, city = users[Role.CITY_ADMIN], helpers.region(helpers.CITY)
    before = certification_statistics(actor=actor, region=city, year=2023)
    helpers.certificate(world["F"], "assistant", date(2023, 9, 1))
    after = certification_statistics(actor=actor, region=city, year=2023)
    assert after.total == before.total + 1
    assert levels(after)["assistant"] == levels(before)["assistant"] + 1
    assert after.year_row(2023).newly == before.year_row(2023).newly + 1

    # A second, higher certificate moves a person between levels without counting them twice.
    helpers.certificate(world["F"], "senior", date(2023, 10, 1))
    moved = certification_statistics(actor=actor, region=city, year=2023)
    assert moved.total == after.total
    assert levels(moved)["senior"] == levels(after)["senior"] + 1
    assert levels(moved)["assistant"] == levels(after)["assistant"] - 1

    Certificate.objects.filter(social_worker=world["F"]).delete()
    world["E"].delete()
    final = certification_statistics(actor=actor, region=city, year=2023)
    assert final.total == before.total - 1
    assert area(final, "330203000000").total == 0


def test_people_who_left_are_still_counted(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CICHENG), year=2023
    )
    assert stats.total == 3  # A, B (left in 2023) and C
    world["B"].left_on = date(2023, 1, 1)
    world["B"].save()
    again = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CICHENG), year=2023
    )
    assert again.total == 3


def test_district_officers_count_their_district_only(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.DISTRICT_OFFICER], region=helpers.region(helpers.JIANGBEI), year=2023
    )
    assert stats.total == 4  # not E in 海曙区
    cicheng = area(stats, helpers.CICHENG)
    assert (cicheng.total, cicheng.by_level) == (
        3,
        {"assistant": 1, "intermediate": 2, "senior": 0},
    )
    directly = next(row for row in stats.by_area if row.region is None)
    assert (directly.code, directly.total) == (helpers.JIANGBEI, 1)  # D, registered at 江北区
    assert sum(row.total for row in stats.by_area) == 4
    # Even asked for the city, a district officer's figures stay inside the district.
    city = certification_statistics(
        actor=users[Role.DISTRICT_OFFICER], region=helpers.region(helpers.CITY), year=2023
    )
    assert city.total == 4


def test_population_of_an_earlier_year_is_used_and_said(users: dict[str, Any], world: Any) -> None:
    Population.objects.create(region=helpers.region(helpers.CICHENG), year=2021, population=60_000)
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CICHENG), year=2023
    )
    assert stats.population is not None
    assert (stats.population.year, stats.population.is_earlier_year) == (2021, True)
    assert stats.per_10k == Decimal("0.50")  # 3 / 6
    page = _client(users[Role.CITY_ADMIN]).get(
        URL, {"region": helpers.region(helpers.CICHENG).pk, "year": 2023}
    )
    assert "2021" in page.content.decode()
    assert page.context["stats"].population.year == 2021

    Population.objects.create(region=helpers.region(helpers.CICHENG), year=2023, population=30_000)
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CICHENG), year=2023
    )
    assert (stats.population.year, stats.per_10k) == (2023, Decimal("1.00"))


def test_no_population_gives_no_ratio(users: dict[str, Any], world: Any) -> None:
    stats = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CICHENG), year=2023
    )
    assert stats.population is None and stats.per_10k is None
    # Counties: no 2022 estimate on record, so the 2020 census is used.
    city = certification_statistics(
        actor=users[Role.CITY_ADMIN], region=helpers.region(helpers.CITY), year=2022
    )
    assert area(city, helpers.JIANGBEI).population.year == 2020
    assert city.population.year == 2022


def test_demo_scale_growth(users: dict[str, Any]) -> None:
    """The shape of the city's 2021–2022 figures (2,100 → 6,635, +216%), at a hundredth."""
    region = helpers.region(helpers.CICHENG)
    people = SocialWorker.objects.bulk_create(
        [SocialWorker(name=f"考生{n}", region=region) for n in range(21 + 66)]
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                social_worker=person,
                level="assistant",
                number=f"D{n:05d}",
                obtained_on=date(2021 if n < 21 else 2022, 10, 1),
            )
            for n, person in enumerate(people)
        ]
    )
    stats = certification_statistics(actor=users[Role.CITY_ADMIN], region=region, year=2022)
    assert stats.year_row(2021).newly == 21
    assert stats.year_row(2022).newly == 66
    assert stats.year_row(2022).growth == Decimal("214.3")


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_page_for_its_jurisdiction(
    role: str, users: dict[str, Any], world: Any
) -> None:
    response = _client(users[role]).get(URL, {"year": 2023})
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.region == users[role].jurisdiction
    expected = {"330200000000": 5, "330205000000": 4, "330205103000": 3}
    assert stats.total == expected[stats.region.code]


def test_the_page_shows_the_figures(users: dict[str, Any], world: Any) -> None:
    response = _client(users[Role.CITY_ADMIN]).get(
        URL, {"region": helpers.region(helpers.CITY).pk, "year": 2023}
    )
    body = response.content.decode()
    assert response.context["year"] == 2023
    assert 'id="certified-total">5<' in body
    assert "江北区" in body and "海曙区" in body
    assert "-50.0%" in body  # growth in 2023


def test_defaults_to_the_home_region_and_this_year(users: dict[str, Any]) -> None:
    response = _client(users[Role.DISTRICT_OFFICER]).get(URL)
    assert response.status_code == 200
    assert response.context["region"].code == helpers.JIANGBEI
    assert response.context["year"] == timezone.localdate().year


def test_a_region_outside_the_jurisdiction_is_404(users: dict[str, Any]) -> None:
    client = _client(users[Role.DISTRICT_OFFICER])
    assert client.get(URL, {"region": helpers.region(helpers.HAISHU).pk}).status_code == 404
    assert client.get(URL, {"region": helpers.region(helpers.CICHENG).pk}).status_code == 200


def test_anonymous_users_go_to_the_login_page() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(
    ("export", "row"),
    [
        ("level", [CertificateLevel.INTERMEDIATE.label, "2"]),
        ("area", ["江北区", "330205000000", "4", "1", "2", "1", "513000", "2023", "0.08"]),
        ("year", ["2022", "2", "100", "4"]),  # numbers are exported as numbers: 100.0 is 100
    ],
)
def test_each_table_exports_to_xlsx(
    users: dict[str, Any], world: Any, export: str, row: list[Any]
) -> None:
    with translation.override("zh-hans"):  # the language pages are served in
        row = [str(cell) for cell in row]
    response = _client(users[Role.CITY_ADMIN]).get(
        URL, {"region": helpers.region(helpers.CITY).pk, "year": 2023, "export": export}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    assert len(rows) > 1
    assert any(row == found[: len(row)] for found in rows[1:]), rows
    assert rows[0]  # a header row


def test_query_count_does_not_grow_with_people(users: dict[str, Any], world: Any) -> None:
    client = _client(users[Role.CITY_ADMIN])
    params = {"region": helpers.region(helpers.CITY).pk, "year": 2023}
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, params).status_code == 200
    for n in range(20):
        person = helpers.person(helpers.CICHENG if n % 2 else helpers.YUEHU, name=f"新{n}")
        helpers.certificate(person, "assistant", date(2015 + n % 9, 1, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, params).status_code == 200
    assert len(many) == len(few)
