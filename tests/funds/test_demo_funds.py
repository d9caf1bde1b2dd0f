"""The demo's funds step on a small world of its own: 雅戈尔's 5,000,000 split across 海曙 and
余姚 stations (never more than the donation), purchase contracts where a 鄞州 town commissions an
agency, every record passing the models' rules, and a second run changing nothing."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from swstation.demo.funds import YOUNGOR_AMOUNT, build_funds
from swstation.funds import selectors
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    PurchaseContract,
)
from swstation.regions.models import Region
from swstation.stations.models import Station
from tests.funds import helpers as h

pytestmark = pytest.mark.django_db


def _station(code: str, **extra: Any) -> Station:
    return Station.objects.create(
        name=f"{Region.objects.get(code=code).name}社工站",
        kind="township",
        region=Region.objects.get(code=code),
        status="operating",
        opened_on=date(2021, 6, 1),
        **extra,
    )


def _town(district: str) -> str:
    town = Region.objects.filter(code__startswith=district, level="township").order_by("code")
    return town.first().code  # type: ignore[union-attr]


def test_demo_funds_step() -> None:
    _station(h.YUEHU)  # 海曙区
    _station(_town("330281"))  # 余姚市
    _station(_town("330205"))  # 江北区: no 美好家园 share
    yinzhou = _town("330212")
    _station(yinzhou, operating_model="commissioned_agency", agency=h.agency(yinzhou))
    lines: list[str] = []
    build_funds(lines.append)
    donation = Grant.objects.get(programme="美好家园", parent__isnull=True)
    assert donation.amount == YOUNGOR_AMOUNT and donation.funder.name == "雅戈尔集团"
    shares = Grant.objects.filter(parent=donation)
    assert {g.region.code[:6] for g in shares} == {"330203", "330281"}
    balance = selectors.grant_balance(donation)
    assert balance.allocated + balance.balance == YOUNGOR_AMOUNT and balance.balance > 0
    assert PurchaseContract.objects.filter(region__code=yinzhou).exists()
    for contract in PurchaseContract.objects.all():
        assert sum(i.amount for i in contract.instalments.all()) == contract.amount
        assert contract.instalments.filter(is_final=True).count() == 1
    assert {f.tier for f in Funder.objects.all()} == {"city", "county", "township", "social"}
    for model in (Funder, Grant, PurchaseContract, ContractInstalment, Expense):
        for record in model.objects.all():
            record.full_clean()
    for grant in Grant.objects.all():
        assert selectors.grant_balance(grant).balance >= Decimal("0.00")
    assert all(e.amount == e.amount.quantize(Decimal("0.01")) for e in Expense.objects.all())
    counts = [m.objects.count() for m in (Funder, Grant, PurchaseContract, Expense)]
    build_funds(lines.append)
    assert [m.objects.count() for m in (Funder, Grant, PurchaseContract, Expense)] == counts
    assert "already built" in lines[-1]
