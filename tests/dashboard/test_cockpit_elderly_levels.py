"""Elders by capability level in the cockpit: each level is shown with the standard it comes
from, one chart per standard, and levels of GB/T 42195-2022 and MZ/T 039-2013 are never added
together (spec/elderly-assessment-gbt42195.md §8)."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.cases.instruments.registry import elderly_instrument
from swstation.core.roles import Role
from swstation.dashboard.charts import build_charts
from swstation.dashboard.selectors import Period, cockpit
from swstation.dashboard.services import tally_rebuild
from swstation.regions.models import Region
from tests.dashboard import helpers as h
from tests.dashboard.test_tallies import assert_matches_recount

GBT = "GB/T 42195-2022"
MZT = "MZ/T 039-2013"


@pytest.fixture
def world(db: Any) -> h.World:
    """Five elders in 慈城镇: A under GB/T at level 2; B under MZ/T at level 2; C under GB/T,
    2 then 3; D under MZ/T at 1 in 2025, then GB/T at 1 in 2026; E deceased (not counted)."""
    world = h.build_world()
    villages = world.villages[h.CICHENG]
    people = [h.make_recipient(villages[0], "elderly_living_alone") for _ in range(5)]
    a, b, c, d, e = people
    h.make_assessment(world, a, date(2026, 2, 1), GBT, 2)
    h.make_assessment(world, b, date(2026, 2, 1), MZT, 2)
    h.make_assessment(world, c, date(2026, 1, 5), GBT, 2)
    h.make_assessment(world, c, date(2026, 4, 5), GBT, 3)
    h.make_assessment(world, d, date(2025, 6, 1), MZT, 1)
    h.make_assessment(world, d, date(2026, 3, 1), GBT, 1)
    h.make_assessment(world, e, date(2026, 2, 1), GBT, 4)
    e.status = "deceased"
    e.save()
    tally_rebuild()
    return world


def counts(user: User, year: int, code: str = h.JIANGBEI) -> dict[str, dict[int, int]]:
    region = Region.objects.get(code=code)
    result = cockpit(actor=user, region=region, period=Period.year(year))
    return {
        standard: {s.extra["level"]: s.count for s in slices}
        for standard, slices in result.elderly_by_level.items()
    }


def test_levels_are_counted_per_standard_never_together(
    world: h.World, users: dict[str, User]
) -> None:
    found = counts(users[Role.DISTRICT_OFFICER], 2026)
    assert found[GBT] == {0: 0, 1: 1, 2: 1, 3: 1, 4: 0}  # A, C's latest, D's latest
    assert found[MZT] == {0: 0, 1: 0, 2: 1, 3: 0}  # B; D has moved to GB/T
    # level 2 is one elder under each standard: nothing adds them up to 2
    assert found[GBT][2] == 1 and found[MZT][2] == 1
    assert set(found[MZT]) == {0, 1, 2, 3}  # MZ/T keeps its four levels


def test_the_figure_as_of_an_earlier_year(world: h.World, users: dict[str, User]) -> None:
    """At the end of 2025 only D had been assessed, under MZ/T at level 1."""
    assert counts(users[Role.DISTRICT_OFFICER], 2025) == {MZT: {0: 0, 1: 1, 2: 0, 3: 0}}


def test_one_chart_per_standard_with_the_standard_in_every_label(
    world: h.World, users: dict[str, User]
) -> None:
    region = Region.objects.get(code=h.JIANGBEI)
    charts = {
        c.id: c
        for c in build_charts(
            cockpit(actor=users[Role.CITY_ADMIN], region=region, period=Period.year(2026))
        )
    }
    gbt, mzt = charts["elderly-levels-gb-t-42195-2022"], charts["elderly-levels-mz-t-039-2013"]
    assert GBT in gbt.title and GBT in gbt.columns[0] and MZT not in gbt.title
    assert MZT in mzt.title and MZT in mzt.columns[0]
    assert len(gbt.rows) == 5 and len(mzt.rows) == 4
    names = elderly_instrument(GBT).level_names
    assert [str(row[0].value) for row in gbt.rows] == [f"{n} {names[n]}" for n in range(5)]
    assert [row[1].value for row in gbt.rows] == [0, 1, 1, 1, 0]
    assert [row[1].value for row in mzt.rows] == [0, 0, 1, 0]
    link = gbt.rows[2][1].url or ""
    assert "standard=GB%2FT+42195-2022" in link and "level=2" in link and "current=true" in link


def test_a_standard_nobody_is_assessed_under_has_no_chart(
    world: h.World, users: dict[str, User]
) -> None:
    region = Region.objects.get(code=h.JIANGBEI)
    charts = build_charts(
        cockpit(actor=users[Role.CITY_ADMIN], region=region, period=Period.year(2025))
    )
    ids = {c.id for c in charts}
    assert "elderly-levels-mz-t-039-2013" in ids and "elderly-levels-gb-t-42195-2022" not in ids


def test_the_link_lists_the_elders_behind_the_number(
    world: h.World, users: dict[str, User]
) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    html = client.get("/cockpit/", {"year": 2026}).content.decode()
    assert 'id="card-elderly-levels-gb-t-42195-2022"' in html
    assert 'id="card-elderly-levels-mz-t-039-2013"' in html
    response = client.get(
        "/api/v1/elderly-assessments/",
        {"standard": GBT, "level": 2, "current": "true", "region_code": "330205"},
    )
    rows = response.json()["results"]
    assert [(r["standard"], r["level"]) for r in rows] == [(GBT, 2)]  # A only, not C's first
    export = client.get("/cockpit/", {"year": 2026, "export": "elderly-levels-mz-t-039-2013"})
    sheet = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert MZT in sheet[0][0] and MZT in sheet[1][0] and [r[1] for r in sheet[2:]] == [0, 0, 1, 0]


def test_assessments_keep_the_tallies_equal_to_a_recount(world: h.World) -> None:
    person = world.recipients[0]
    first = h.make_assessment(world, person, date(2026, 5, 1), GBT, 3)
    h.make_assessment(world, person, date(2026, 6, 1), MZT, 3)
    assert_matches_recount()
    first.delete()
    person.status = "deceased"
    person.save()
    assert_matches_recount()


def test_an_elder_counts_until_they_leave_service(world: h.World, users: dict[str, User]) -> None:
    person = h.make_recipient(world.villages[h.KONGPU][0], "elderly_living_alone")
    h.make_assessment(world, person, date(2025, 3, 1), GBT, 3)
    person.exited_on, person.exit_reason, person.status = date(2025, 9, 15), "deceased", "deceased"
    person.save()
    tally_rebuild()
    region = Region.objects.get(code=h.JIANGBEI)
    officer = users[Role.DISTRICT_OFFICER]

    def level_3(period: Period) -> int:
        slices = cockpit(actor=officer, region=region, period=period).elderly_by_level
        return {s.extra["level"]: s.count for s in slices.get(GBT, [])}.get(3, 0)

    assert level_3(Period.months(date(2025, 8, 1), date(2025, 8, 1))) == 1
    assert level_3(Period.months(date(2025, 9, 1), date(2025, 9, 1))) == 0
    assert level_3(Period.year(2026)) == 1  # C's latest only
