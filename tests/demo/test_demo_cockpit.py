"""The demo city through the cockpit: Ningbo as the news reports it, and money paid in the
years the cockpit looks at."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from swstation.accounts.models import User
from swstation.dashboard.models import Tally, TallyDirty
from swstation.dashboard.services import tally_rebuild
from swstation.workforce.models import Payment, PaymentBatch

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def stats(demo_log: str, path: str = "overview", **params: Any) -> dict[str, Any]:
    client = Client()
    client.force_login(User.objects.get(username="city_admin"))
    response = client.get(f"/api/v1/stats/{path}/", params)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_the_demo_leaves_its_tallies_counted(demo_log: str) -> None:
    assert Tally.objects.filter(level="c").exists()
    assert not TallyDirty.objects.exists()
    before = sorted(Tally.objects.values_list("metric", "level", "region_code", "key", "count"))
    tally_rebuild()
    after = sorted(Tally.objects.values_list("metric", "level", "region_code", "key", "count"))
    assert before == after


def test_ningbo_as_the_news_reports_it(demo_log: str) -> None:
    """The published figures, each in its year (issue 11): 95 stations and 10,411 certified
    social workers at the end of 2021; 156 stations and 6,635 newly certified (+216 %) in
    2022, about 17,000 certified; 19,000+ and about 20 per 10,000 residents in 2023."""
    data = stats(demo_log, year=2021)
    assert data["stations_operating"] == 95
    assert data["stations_built_by_year"] == {"2020": 45, "2021": 50}
    assert data["certified_social_workers"] == 10_411
    assert data["newly_certified_by_year"]["2021"] == 2_100
    data = stats(demo_log, year=2022)
    assert data["stations_operating"] == 156
    assert data["townships_total"] == 156
    assert data["township_coverage_rate"] == 1.0
    assert data["stations_built_by_year"] == {"2020": 45, "2021": 50, "2022": 61}
    assert 16_500 <= data["certified_social_workers"] <= 17_500
    newly = data["newly_certified_by_year"]
    assert newly["2022"] == 6_635
    assert round((newly["2022"] - newly["2021"]) * 100 / newly["2021"]) == 216
    data = stats(demo_log, year=2023)
    assert 19_000 <= data["certified_social_workers"] <= 19_500
    assert 19 <= data["certified_per_10k"] <= 21


def test_this_years_cockpit_has_activity_everywhere(demo_log: str) -> None:
    data = stats(demo_log, year=2026)
    assert data["village_coverage_rate"] >= 0.9
    assert data["services"] > 200_000
    assert data["recipients"] > 25_000
    assert data["visits_overdue"] > 0
    assert data["payments_paid"] > 0
    assert data["compliance_rate"] < 1  # a handful of stations fall short on purpose
    districts = stats(demo_log, "regions", year=2026)["areas"]
    assert len(districts) == 10
    assert all(area["services"] > 0 for area in districts)


def test_later_paid_batches(demo_log: str) -> None:
    rewards_2023 = PaymentBatch.objects.get(kind="exam_reward", period_start=date(2023, 1, 1))
    assert rewards_2023.status == "paid" and rewards_2023.payments.count() > 1_500
    allowances = PaymentBatch.objects.filter(kind="job_allowance").order_by("period_start")
    assert [b.period_start.month for b in allowances] == [7, 8, 9, 10]
    for batch in allowances:
        assert batch.status == "paid" and batch.paid_on is not None
        assert batch.paid_on > batch.period_end
        payments = Payment.objects.filter(batch=batch)
        assert payments.count() > 1_000
        assert set(payments.values_list("month", flat=True)) == {batch.period_start}
        assert set(payments.values_list("amount", flat=True)) <= {
            Decimal(200),
            Decimal(400),
            Decimal(600),
        }
