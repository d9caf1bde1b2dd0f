"""Demo step: the "four ones" (四个一) behind the demo city's stations (issue 12, "Demo city").

- 市民政局 (city) gives project money from the city's welfare lottery funds to a third of the
  stations each year; each district's 民政局 (county) fiscal money to its stations; each town
  (township) matching money to its own station;
- the money of each approved project, from whom its funding level asks (city, district, town),
  granted with its approval before it starts at a well-run station, after the start at some
  (demo/quality.py; indicator E2);
- social money: 雅戈尔集团's 5,000,000 yuan for 美好家园 in 2022, given through the city's charity
  base 宁波市甬尚慈善社工服务中心 and split across the stations of 海曙区 and 余姚市 (a remainder
  left at the city); 鄞州区社区发展基金会 grants to some 鄞州 stations; each year the district's
  慈善总会 and the town's 慈善分会 fund each station's work, more at a well-run one (F3);
- government purchase of services: the towns of 鄞州区, 奉化区 and 慈溪市 whose station is run by an
  agency buy its running each year at the same price, in three instalments, the final one (尾款)
  held pending the evaluation for about a third of last year's contracts;
- spending lines against the grants and the contracts, within what was granted and in its
  budget year, at the station's execution rate of the year (near all of it at a well-run
  station; G1).

Deterministic (``random.Random("demo-funds")`` over querysets in a fixed order, dates relative to
the build day); a second run finds the funders and changes nothing.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from swstation.demo.bulk import analyze, insert_objects
from swstation.demo.quality import chance, station_quality
from swstation.demo.stations import CITY_BUREAU, random_day
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    ExpenseCategory,
    Funder,
    FunderKind,
    FundType,
    Grant,
    PurchaseContract,
    Tier,
)
from swstation.projects.models import FundingLevel, Project, ProjectCategory, ProjectStatus
from swstation.regions.models import Region
from swstation.stations.models import OperatingModel, Station, StationKind, StationStatus

CITY_CODE = "330200000000"
HAISHU, YUYAO, YINZHOU = "330203", "330281", "330212"
PURCHASING_DISTRICTS = ("330212", "330213", "330282")  # 鄞州区, 奉化区, 慈溪市
YOUNGOR_AMOUNT = Decimal("5000000.00")
CENT = Decimal("0.01")
ONE = Decimal(1)
IN_YEAR = Decimal("0.7")  # a running contract's instalments due in its own year (40 % + 30 %)


def _yuan(value: float | int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def build_funds(log: Callable[[str], None]) -> None:
    # The city bureau and its subsidies under the policy come from the stations step.
    if Funder.objects.exclude(name=CITY_BUREAU).exists():
        log(f"funds: already built ({Grant.objects.count()} grants)")
        return
    rng = random.Random("demo-funds")
    today = timezone.localdate()
    first_year = 2022
    years = list(range(first_year, today.year + 1))
    city = Region.objects.get(code=CITY_CODE)
    stations = list(
        Station.objects.filter(
            kind=StationKind.TOWNSHIP,
            status__in=(StationStatus.OPERATING, StationStatus.SUSPENDED),
            opened_on__isnull=False,
        )
        .select_related("region", "region__parent", "agency")
        .order_by("region__code")
    )
    districts = {s.region.parent for s in stations if s.region.parent is not None}

    # --- funders ---------------------------------------------------------------------------
    bureau = Funder.objects.filter(region=city, name=CITY_BUREAU).first() or Funder(
        name=CITY_BUREAU, kind=FunderKind.CIVIL_AFFAIRS, tier=Tier.CITY, region=city
    )
    county_bureaus = {
        d.code[:6]: Funder(
            name=f"{d.name}民政局", kind=FunderKind.CIVIL_AFFAIRS, tier=Tier.COUNTY, region=d
        )
        for d in sorted(districts, key=lambda r: r.code)
    }
    towns = {
        s.pk: Funder(
            name=s.region.name + ("人民政府" if s.region.name.endswith(("镇", "乡")) else "办事处"),
            kind=FunderKind.TOWNSHIP_GOVERNMENT,
            tier=Tier.TOWNSHIP,
            region=s.region,
        )
        for s in stations
    }
    charity_base = Funder(
        name="宁波市甬尚慈善社工服务中心",
        kind=FunderKind.CHARITY,
        tier=Tier.SOCIAL,
        region=city,
        note="全市慈善社工基地",
    )
    haishu = Region.objects.get(code=HAISHU.ljust(12, "0"))
    youngor = Funder(name="雅戈尔集团", kind=FunderKind.ENTERPRISE, tier=Tier.SOCIAL, region=haishu)
    yinzhou = Region.objects.get(code=YINZHOU.ljust(12, "0"))
    foundation = Funder(
        name="鄞州区社区发展基金会", kind=FunderKind.FOUNDATION, tier=Tier.SOCIAL, region=yinzhou
    )
    charities = {
        d.code[:6]: Funder(
            name=f"{d.name}慈善总会", kind=FunderKind.CHARITY, tier=Tier.SOCIAL, region=d
        )
        for d in sorted(districts, key=lambda r: r.code)
    }
    branches = {
        s.pk: Funder(
            name=f"{s.region.name}慈善分会",
            kind=FunderKind.CHARITY,
            tier=Tier.SOCIAL,
            region=s.region,
        )
        for s in stations
    }
    funders = [
        bureau,
        *county_bureaus.values(),
        *towns.values(),
        charity_base,
        youngor,
        foundation,
        *charities.values(),
        *branches.values(),
    ]
    bulk_create_with_history([f for f in funders if f.pk is None], Funder, batch_size=500)

    projects: dict[int, Project] = {}
    for project in Project.objects.filter(
        station__in=stations, category=ProjectCategory.VULNERABLE_GROUPS
    ).order_by("station_id", "starts_on", "pk"):
        projects.setdefault(project.station_id, project)

    # --- grants ----------------------------------------------------------------------------
    grants: list[Grant] = []

    def grant(funder: Funder, station: Station, amount: Decimal, year: int, **extra: Any) -> Grant:
        granted = date(year, rng.randint(2, 5), rng.randint(1, 28))
        if granted > today:
            granted = today - timedelta(days=rng.randint(1, 20))
        if station.opened_on and granted < station.opened_on:
            granted = station.opened_on
        item = Grant(
            funder=funder,
            tier=funder.tier,
            region=station.region,
            station=station,
            amount=amount,
            year=year,
            granted_on=granted,
            paid_on=granted + timedelta(days=rng.randint(10, 40))
            if granted + timedelta(days=40) < today
            else None,
            **extra,
        )
        grants.append(item)
        return item

    serial = 0
    for year in years:
        for station in stations:
            if station.opened_on and station.opened_on.year > year:
                continue
            district = station.region.code[:6]
            serial += 1
            if rng.random() < 0.35:
                grant(
                    bureau,
                    station,
                    _yuan(rng.choice((20000, 30000, 50000))),
                    year,
                    fund_type=FundType.WELFARE_LOTTERY,
                    document_number=f"甬民发〔{year}〕{serial % 90 + 10}号",
                    purpose="市级福彩公益金 社会工作人才培养支持项目补助",
                    restrictions="专款专用，用于人才培养、督导与培训",
                )
            grant(
                county_bureaus[district],
                station,
                _yuan(rng.randrange(60000, 150001, 5000)),
                year,
                fund_type=rng.choice((FundType.FISCAL, FundType.FISCAL, FundType.WELFARE_LOTTERY)),
                project=projects.get(station.pk),
                document_number=f"{district}民〔{year}〕{serial % 70 + 5}号",
                purpose="区县配套 社工站运营与困弱群体服务",
            )
            if district not in PURCHASING_DISTRICTS or rng.random() < 0.5:
                grant(
                    towns[station.pk],
                    station,
                    _yuan(rng.randrange(20000, 80001, 5000)),
                    year,
                    fund_type=FundType.SPECIAL_FUND,
                    purpose="乡镇（街道）配套：统筹救助、养老、残疾人等专项资金",
                )
            _social_money(rng, grant, charities[district], branches[station.pk], station, year)
            if district == YINZHOU and rng.random() < 0.3:
                grant(
                    foundation,
                    station,
                    _yuan(rng.randrange(10000, 50001, 5000)),
                    year,
                    fund_type=FundType.DONATION,
                    purpose="社区发展基金 微项目资助",
                )
    # 美好家园: 雅戈尔's donation in 2022 via the charity base, split across 海曙 and 余姚.
    donation = Grant(
        funder=youngor,
        tier=Tier.SOCIAL,
        region=city,
        programme="美好家园",
        amount=YOUNGOR_AMOUNT,
        year=2022,
        granted_on=date(2022, 3, 18),
        paid_on=date(2022, 4, 15),
        fund_type=FundType.DONATION,
        document_number="甬慈基〔2022〕8号",
        purpose="美好家园项目：困境家庭居家环境改善与社工服务（经宁波市甬尚慈善社工服务中心）",
        restrictions="试点海曙区、余姚市；按站点分配，专款专用",
    )
    bulk_create_with_history([donation], Grant)
    pilot = [
        s
        for s in stations
        if s.region.code[:6] in (HAISHU, YUYAO) and s.opened_on and s.opened_on.year <= 2022
    ]
    share = _yuan(YOUNGOR_AMOUNT * Decimal("0.9") / max(len(pilot), 1) // 1000 * 1000)
    for station in pilot:
        grant(
            youngor,
            station,
            share,
            2022,
            parent=donation,
            programme="美好家园",
            fund_type=FundType.DONATION,
            purpose="美好家园 站点份额",
        )
    funded = _project_grants(rng, grant, bureau, county_bureaus, towns, stations, today)
    insert_objects(Grant, grants)

    # --- purchase contracts ----------------------------------------------------------------
    contracts: list[PurchaseContract] = []
    # A town renews its station's running at the same price (what the instalments of one
    # year's budget add up to: the last of one contract and the first two of the next).
    prices: dict[int, Decimal] = {}
    for year in (today.year - 1, today.year):
        for station in stations:
            if (
                station.region.code[:6] not in PURCHASING_DISTRICTS
                or station.operating_model != OperatingModel.COMMISSIONED_AGENCY
                or station.agency is None
                or (station.opened_on and station.opened_on.year > year)
            ):
                continue
            contracts.append(
                PurchaseContract(
                    number=f"购〔{year}〕{station.region.code[:9]}号",
                    title=f"{station.name}{year}年度运营服务",
                    region=station.region,
                    tier=Tier.TOWNSHIP,
                    agency=station.agency,
                    station=station,
                    signed_on=date(year, 1, rng.randint(5, 25)),
                    starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31),
                    amount=prices.setdefault(
                        station.pk, _yuan(rng.randrange(250000, 450001, 10000))
                    ),
                    deliverables="驻站专职社工不少于3名；个案服务、小组活动、社区活动；年度评估",
                )
            )
    contracts = [c for c in contracts if c.signed_on <= today]
    bulk_create_with_history(contracts, PurchaseContract, batch_size=500)
    instalments: list[ContractInstalment] = []
    for contract in contracts:
        parts = [Decimal("0.4"), Decimal("0.3")]
        amounts = [_yuan(contract.amount * p) for p in parts]
        amounts.append(contract.amount - sum(amounts))
        dues = [
            date(contract.starts_on.year, 2, 28),
            date(contract.starts_on.year, 7, 31),
            date(contract.starts_on.year + 1, 1, 31),
        ]
        for n, (amount, due) in enumerate(zip(amounts, dues, strict=True), start=1):
            final = n == 3
            paid = due + timedelta(days=rng.randint(3, 30))
            held = final and due < today and rng.random() < 0.35
            instalments.append(
                ContractInstalment(
                    contract=contract,
                    sequence=n,
                    due_on=due,
                    amount=amount,
                    deliverable=("服务方案" if n == 1 else "中期报告" if n == 2 else "年度评估"),
                    is_final=final,
                    held=held,
                    hold_reason="待年度评估结果" if held else "",
                    paid_on=paid if paid <= today and not held else None,
                )
            )
    bulk_create_with_history(instalments, ContractInstalment, batch_size=500)

    # --- spending --------------------------------------------------------------------------
    # Each source spent within its budget year (public money is executed in its year), at the
    # station's execution rate of that year: near all of it at a well-run station, less at a
    # struggling one (demo/quality.py; the G1 indicator of the evaluation rounds).
    expenses: list[Expense] = []
    categories = list(ExpenseCategory.values)
    sources: list[Grant | PurchaseContract] = [*grants, *contracts]
    rates: dict[tuple[str, int], Decimal] = {}
    for source in sources:
        code = source.region.code
        if isinstance(source, Grant):
            year = source.year
            # The whole grant in its year.
            spans = [(max(source.granted_on + timedelta(days=3), date(year, 1, 2)), year, ONE)]
        else:
            year = source.starts_on.year
            # A contract's money as its instalments fall due: the first two in its year, the
            # final one (尾款, due the next January) spent in the next January and February.
            spans = [
                (max(source.signed_on + timedelta(days=3), date(year, 1, 2)), year, IN_YEAR),
                (date(year + 1, 1, 2), year + 1, ONE - IN_YEAR),
            ]
        for first, spent_in, part in spans:
            last = min(
                date(spent_in, 12, 20) if spent_in == year else date(spent_in, 2, 25),
                today - timedelta(days=1),
            )
            if first > last:
                continue
            rate = rates.setdefault(
                (code, spent_in),
                Decimal(
                    str(
                        min(
                            1.0,
                            max(0.5, 0.62 + 0.4 * station_quality(code) + rng.gauss(0, 0.04)),
                        )
                    )
                ),
            )
            lines = rng.randint(2, 5)
            line = (source.amount * part * rate / lines).quantize(CENT, rounding=ROUND_DOWN)
            for _line in range(lines):
                day = random_day(rng, first, last)
                expenses.append(
                    Expense(
                        grant=source if isinstance(source, Grant) else None,
                        contract=source if isinstance(source, PurchaseContract) else None,
                        region=source.region,
                        spent_on=day,
                        category=rng.choice(categories),
                        amount=line,
                        voucher_number=f"记字{day:%Y%m}第{len(expenses) + 1:05d}号",
                        description="",
                    )
                )
    insert_objects(Expense, expenses)
    analyze([Funder, Grant, PurchaseContract, ContractInstalment, Expense])
    held_count = len([i for i in instalments if i.held])
    social = sum(1 for g in grants if g.tier == Tier.SOCIAL)
    log(
        f"funds: {len(funders)} funders, {len(grants) + 1} grants ({social} of social money, "
        f"{funded} funding a project; "
        f"{len(pilot)} 美好家园 shares of 5,000,000), {len(contracts)} purchase contracts, "
        f"{len(instalments)} instalments ({held_count} held), {len(expenses)} expenses"
    )


def _social_money(
    rng: random.Random,
    grant: Callable[..., Grant],
    charity: Funder,
    branch: Funder,
    station: Station,
    year: int,
) -> None:
    """The charity money a station links in a year (社会资源链接): its district's 慈善总会
    funds some of its projects, its town's 慈善分会 gives to its people in need — more at a
    well-run station, little or none at a struggling one (demo/quality.py; the F3 indicator
    of the evaluation rounds, 50,000 yuan a year for its full points)."""
    quality = station_quality(station.region.code)
    total = rng.uniform(0, 30000) + quality * rng.uniform(20000, 90000)
    if total < 3000:
        return
    federation = _yuan(round(total * rng.uniform(0.4, 0.8), -3))
    if federation >= 1000:
        grant(
            charity,
            station,
            federation,
            year,
            fund_type=FundType.DONATION,
            purpose="慈善项目资助：困难群众关爱服务",
            restrictions="定向用于困难群众服务，专款专用",
        )
    rest = _yuan(round(total, -3)) - federation
    if rest >= 1000:
        grant(
            branch,
            station,
            rest,
            year,
            fund_type=FundType.DONATION,
            purpose="慈善分会定向捐赠：节日慰问、微心愿与助学助困",
        )


# What a project asks for, by its category: (from, to) yuan.
PROJECT_MONEY = {
    ProjectCategory.VULNERABLE_GROUPS: (30000, 80000),
    ProjectCategory.REGIONAL_FEATURE: (10000, 40000),
    ProjectCategory.TALENT_SUPPORT: (10000, 30000),
}


def _project_grants(
    rng: random.Random,
    grant: Callable[..., Grant],
    bureau: Funder,
    county_bureaus: dict[str, Funder],
    towns: dict[int, Funder],
    stations: list[Station],
    today: date,
) -> int:
    """The money of each approved project of the stations, from whom its funding level asks
    (the city, the district, the town), granted with its approval before it starts (立项资金)
    at a well-run station; late, after the start, for some (the E2 indicator: a design is
    complete with its budget decided before the start). Returns the grants made."""
    by_pk = {s.pk: s for s in stations}
    made = 0
    for project in (
        Project.objects.filter(station__in=stations)
        .exclude(status=ProjectStatus.PROPOSED)
        .order_by("station_id", "starts_on", "pk")
    ):
        station = by_pk[project.station_id]
        approved = project.approved_on or project.starts_on
        if project.starts_on > today or approved > today:
            continue
        if rng.random() < chance(station.region.code, 0.45, 0.97):
            day = approved + timedelta(
                days=rng.randint(0, max(0, (project.starts_on - approved).days))
            )
        else:
            day = project.starts_on + timedelta(days=rng.randint(15, 75))
        day = min(day, today - timedelta(days=1))
        funder = {
            FundingLevel.CITY: bureau,
            FundingLevel.DISTRICT: county_bureaus[station.region.code[:6]],
        }.get(FundingLevel(project.funding_level), towns[station.pk])
        item = grant(
            funder,
            station,
            _yuan(rng.randrange(*PROJECT_MONEY[ProjectCategory(project.category)], 5000)),
            project.starts_on.year,
            project=project,
            fund_type=FundType.WELFARE_LOTTERY
            if funder is bureau
            else FundType.FISCAL
            if funder.tier == Tier.COUNTY
            else FundType.SPECIAL_FUND,
            purpose=f"项目资金：{project.name}",
        )
        item.granted_on = day
        item.paid_on = day + timedelta(days=rng.randint(10, 40))
        if item.paid_on >= today:
            item.paid_on = None
        made += 1
    return made
