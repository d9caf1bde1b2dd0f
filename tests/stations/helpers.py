"""Small builders for station tests: records made through the ORM, validated like any write."""

from datetime import date
from decimal import Decimal
from typing import Any

from swstation.regions.models import Region
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    Station,
    SubsidyPolicy,
)
from swstation.workforce.models import SocialWorker

JIANGBEI_TOWNSHIPS = [
    "330205001000",  # 外滩街道
    "330205003000",  # 孔浦街道
    "330205004000",  # 文教街道
    "330205005000",  # 甬江街道
    "330205006000",  # 庄桥街道
    "330205007000",  # 洪塘街道
    "330205008000",  # 前江街道
    "330205103000",  # 慈城镇
]
DEVELOPMENT_ZONE = "330206401000"  # 保税区


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_station(code: str, name: str = "", kind: str = "township", **extra: Any) -> Station:
    if kind == "special":
        extra.setdefault("special_kind", "enterprise")
    station = Station(name=name or f"站{code}", kind=kind, region=region(code), **extra)
    station.full_clean()
    station.save()
    return station


def make_operating_station(code: str, opened: date, **extra: Any) -> Station:
    return make_station(code, status="operating", opened_on=opened, **extra)


def make_staff(station: Station, n: int = 1, *, fulltime: bool = True, **extra: Any) -> list[Any]:
    return [
        SocialWorker.objects.create(
            name=f"社工{station.pk}-{i}-{SocialWorker.objects.count()}",
            region=station.region,
            station=station,
            is_fulltime=fulltime,
            **extra,
        )
        for i in range(n)
    ]


def make_rooms(station: Station, *kinds: str) -> list[Room]:
    return [
        Room.objects.create(station=station, kind=kind, area_m2=Decimal("20.0")) for kind in kinds
    ]


def make_standard(**extra: Any) -> ConstructionStandard:
    fields: dict[str, Any] = {
        "name": "乡镇（街道）社会工作站建设标准",
        "valid_from": date(2020, 1, 1),
        "station_kinds": ["township"],
        "required_rooms": ["office", "casework_room"],
        "requires_sign": True,
        "min_fulltime_staff": 3,
        "requires_portfolio": True,
    }
    fields.update(extra)
    standard = ConstructionStandard(**fields)
    standard.full_clean()
    standard.save()
    return standard


def make_policy(**extra: Any) -> SubsidyPolicy:
    fields: dict[str, Any] = {
        "name": "市级一次性建站补助",
        "source": "city",
        "amount": Decimal("50000"),
        "station_kinds": ["township"],
        "one_time": True,
        "valid_from": date(2020, 1, 1),
    }
    fields.update(extra)
    policy = SubsidyPolicy(**fields)
    policy.full_clean()
    policy.save()
    return policy


def make_subsidy_funder() -> Any:
    """The city's civil-affairs bureau, which pays the city's subsidies (a funds.Funder)."""
    from swstation.funds.models import Funder

    funder, _created = Funder.objects.get_or_create(
        name="宁波市民政局",
        region=region("330200000000"),
        defaults={"kind": "civil_affairs", "tier": "city"},
    )
    return funder


def make_subsidy(station: Station, policy: SubsidyPolicy, **extra: Any) -> Any:
    """A subsidy under ``policy``: a grant of the policy's tier (funds, one ledger)."""
    from swstation.funds.models import Grant

    extra.setdefault("amount", Decimal("50000"))
    extra.setdefault("year", 2020)
    extra.setdefault("granted_on", date(extra["year"], 1, 1))
    return Grant.objects.create(
        funder=make_subsidy_funder(),
        tier=policy.source,
        policy=policy,
        station=station,
        region=station.region,
        purpose=policy.name,
        **extra,
    )
