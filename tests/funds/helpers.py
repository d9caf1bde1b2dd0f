"""Builders for the funds tests: funders, grants, purchase contracts, instalments and spending
made through the ORM (the rule tests call the services themselves)."""

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    PurchaseContract,
)
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station
from tests.conftest import CICHENG, CITY, JIANGBEI, YUEHU
from tests.workforce import helpers as workforce_helpers

__all__ = ["CICHENG", "CITY", "JIANGBEI", "YUEHU"]

_serial = count(1)
GRANTED = date(2024, 3, 1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str = CICHENG) -> Station:
    return workforce_helpers.station(code)


def funder(code: str = CICHENG, tier: str = "social", name: str = "", **extra: Any) -> Funder:
    extra.setdefault("kind", "charity" if tier == "social" else "civil_affairs")
    return Funder.objects.create(
        name=name or f"测试资助方{next(_serial):04d}", tier=tier, region=region(code), **extra
    )


def grant(
    code: str = CICHENG,
    amount: str | Decimal = "10000.00",
    *,
    by: Funder | None = None,
    to_station: bool = True,
    **extra: Any,
) -> Grant:
    """A grant to the township station of ``code`` (or, ``to_station=False``, to the region)."""
    giver = by or funder(code)
    place = region(code)
    at = station(code) if to_station and place.level == "township" else None
    extra.setdefault("purpose", f"测试用途{next(_serial):04d}")
    extra.setdefault("year", GRANTED.year)
    extra.setdefault("granted_on", GRANTED)
    return Grant.objects.create(
        funder=giver,
        tier=giver.tier,
        region=at.region if at else place,
        station=at,
        amount=Decimal(amount),
        **extra,
    )


def agency(code: str = CICHENG) -> ServiceAgency:
    n = next(_serial)
    return ServiceAgency.objects.create(
        name=f"测试社工服务中心{n:04d}",
        credit_code=f"52{code[:6]}{7_000_000_000 + n:010d}",
        region=region(code),
    )


def contract(
    code: str = CICHENG, amount: str | Decimal = "300000.00", **extra: Any
) -> PurchaseContract:
    place = region(code)
    at = station(code) if place.level == "township" else None
    if at is None:
        from tests.projects.helpers import station as hub

        at = hub(code)
    extra.setdefault("number", f"购字第{next(_serial):05d}号")
    extra.setdefault("title", "社工站运营服务")
    return PurchaseContract.objects.create(
        region=place,
        tier={"township": "township", "county": "county", "city": "city"}[place.level],
        agency=extra.pop("agency", None) or agency(code),
        station=at,
        signed_on=date(2024, 1, 5),
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        amount=Decimal(amount),
        deliverables="驻站社工3名；个案20例；小组10个",
        **extra,
    )


def instalment(
    of: PurchaseContract, sequence: int = 1, amount: str | Decimal = "100000.00", **extra: Any
) -> ContractInstalment:
    extra.setdefault("due_on", date(2024, 3 * sequence, 1))
    return ContractInstalment.objects.create(
        contract=of, sequence=sequence, amount=Decimal(amount), **extra
    )


def expense(
    of: Grant | PurchaseContract, amount: str | Decimal = "1000.00", **extra: Any
) -> Expense:
    key = "grant" if isinstance(of, Grant) else "contract"
    extra.setdefault("spent_on", date(2024, 6, 1))
    extra.setdefault("category", "activities")
    extra.setdefault("voucher_number", f"记字第{next(_serial):05d}号")
    return Expense.objects.create(**{key: of}, region=of.region, amount=Decimal(amount), **extra)
