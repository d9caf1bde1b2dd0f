"""The funds figures (selectors.funds_figures): computed from the records, they change when
records change, and every view adds up — the areas to the whole, the tiers to the total, the
summary page, the cockpit panel and the overview API to the same sums."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from swstation.core.actors import SYSTEM
from swstation.funds import selectors
from swstation.funds.models import Grant
from swstation.regions.models import Region
from tests.funds import helpers as h

pytestmark = pytest.mark.django_db


def _world() -> dict[str, Any]:
    city = h.funder(h.CITY, tier="city", kind="civil_affairs")
    county = h.funder(h.JIANGBEI, tier="county", kind="civil_affairs")
    town = h.funder(h.CICHENG, tier="township", kind="township_government")
    base = h.funder(h.CITY)
    donation = h.grant(h.CITY, "1000000.00", by=base, to_station=False, programme="美好家园")
    share_c = h.grant(h.CICHENG, "300000.00", by=base, parent=donation)
    share_y = h.grant(h.YUEHU, "200000.00", by=base, parent=donation)
    subsidy = h.grant(h.CICHENG, "50000.00", by=city)
    county_grant = h.grant(h.CICHENG, "80000.00", by=county)
    town_grant = h.grant(h.CICHENG, "20000.00", by=town)
    contract = h.contract(h.CICHENG, "300000.00")
    h.instalment(contract, 1, "150000.00", paid_on=date(2024, 3, 5))
    h.instalment(contract, 2, "150000.00", is_final=True, held=True, hold_reason="待评估")
    h.expense(share_c, "100000.00")
    h.expense(county_grant, "30000.00")
    h.expense(contract, "120000.00")
    return locals()


def _sum_areas(figures: selectors.FundsFigures) -> dict[str, Decimal]:
    totals = dict.fromkeys(selectors.TIERS, Decimal("0.00"))
    for area in figures.areas:
        for tier, amount in area.by_tier.items():
            totals[tier] += amount
    return totals


def test_every_view_adds_up() -> None:
    w = _world()
    city = Region.objects.get(code=h.CITY)
    figures = selectors.funds_figures(actor=SYSTEM, region=city, year=2024)
    assert figures.by_tier == {
        "city": Decimal("50000.00"),
        "county": Decimal("80000.00"),
        # the town's grant and the contract's instalments due in 2024
        "township": Decimal("320000.00"),
        # the donation counted once: 300,000 + 200,000 where they went, 500,000 at the city
        "social": Decimal("1000000.00"),
    }
    assert _sum_areas(figures) == figures.by_tier
    assert figures.whole.total == sum(figures.by_tier.values())
    assert figures.spent == Decimal("250000.00")
    assert figures.open_instalments == 1 and figures.held_instalments == 1
    assert figures.open_instalments_amount == Decimal("150000.00")
    # the district and the town add up to what the city says of them
    jiangbei = selectors.funds_figures(
        actor=SYSTEM, region=Region.objects.get(code=h.JIANGBEI), year=2024
    )
    city_row = next(a for a in figures.areas if a.code == h.JIANGBEI[:6])
    assert jiangbei.by_tier == city_row.by_tier
    assert _sum_areas(jiangbei) == jiangbei.by_tier
    assert jiangbei.spent == city_row.spent
    # the grants list (one grant at a time) adds up to the same sums
    own = sum(
        (g.amount - g.allocated for g in selectors.grant_list(actor=SYSTEM).filter(year=2024)),
        Decimal("0.00"),
    )
    grants_total = sum((v for k, v in figures.by_tier.items()), Decimal("0.00")) - Decimal(
        "300000.00"
    )  # less the contract's instalments
    assert own == grants_total
    assert w["donation"].pk


def test_the_figures_change_when_records_change() -> None:
    w = _world()
    city = Region.objects.get(code=h.CITY)
    before = selectors.funds_figures(actor=SYSTEM, region=city, year=2024)
    h.grant(h.CICHENG, "1234.56", by=w["county"])
    h.expense(w["town_grant"], "10.00")
    w["contract"].instalments.filter(sequence=2).update(held=False, paid_on=date(2024, 12, 1))
    after = selectors.funds_figures(actor=SYSTEM, region=city, year=2024)
    assert after.by_tier["county"] - before.by_tier["county"] == Decimal("1234.56")
    assert after.spent - before.spent == Decimal("10.00")
    assert (before.open_instalments, after.open_instalments) == (1, 0)
    # a share moved into another year leaves its money there and the remainder here
    Grant.objects.filter(pk=w["share_y"].pk).update(year=2025)
    moved = selectors.funds_figures(actor=SYSTEM, region=city, year=2024)
    assert moved.by_tier["social"] == Decimal("800000.00")


def test_a_district_sees_its_own_funds(users: dict[str, Any]) -> None:
    _world()
    officer = users["district_officer"]  # 江北区
    figures = selectors.funds_figures(
        actor=officer, region=Region.objects.get(code=h.JIANGBEI), year=2024
    )
    assert figures.by_tier["social"] == Decimal("300000.00")  # only 慈城's share


def test_summary_page_panel_and_overview_api_agree(users: dict[str, Any]) -> None:
    _world()
    client = Client()
    client.force_login(users["city_admin"])
    page = client.get("/funds/", {"year": 2024})
    assert page.status_code == 200
    body = page.content.decode()
    assert "¥1,000,000.00" in body and "¥1,450,000.00" in body  # social; total of the year
    api = client.get("/api/v1/stats/overview/", {"year": 2024})
    assert api.status_code == 200
    assert api.json()["funds_by_tier"] == {
        "city": "50000.00",
        "county": "80000.00",
        "township": "320000.00",
        "social": "1000000.00",
    }
    cockpit = client.get("/cockpit/", {"year": 2024})
    assert cockpit.status_code == 200
    assert 'id="funds-panel"' in cockpit.content.decode()
    assert "¥1,000,000.00" in cockpit.content.decode()


def test_grants_api_gives_tier_amount_and_region_code(users: dict[str, Any]) -> None:
    w = _world()
    client = Client()
    client.force_login(users["city_admin"])
    answer = client.get("/api/v1/grants/", {"page_size": 100}).json()
    assert answer["count"] == Grant.objects.count()
    row = next(r for r in answer["results"] if r["id"] == w["donation"].pk)
    assert (row["tier"], row["amount"], row["region_code"]) == ("social", "1000000.00", h.CITY)
    assert row["allocated"] == "500000.00"


def test_summary_query_count_is_flat(users: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _world()
    client = Client()
    client.force_login(users["city_admin"])
    with CaptureQueriesContext(connection) as few:
        client.get("/funds/", {"year": 2024})
    for _ in range(3):
        _world()
    with CaptureQueriesContext(connection) as many:
        client.get("/funds/", {"year": 2024})
    assert len(many) == len(few)
