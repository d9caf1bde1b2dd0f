"""A small network for the cockpit tests: three towns and streets in two districts, with
stations, staff, certificates, recipients, cases, services, visit schedules and money paid."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from swstation.cases.models import Case, ElderlyAssessment, ServiceRecord, VisitSchedule
from swstation.dashboard.models import Tally, TallyDirty
from swstation.dashboard.services import tally_rebuild, tally_refresh
from swstation.funds.models import Funder, Grant
from swstation.recipients.models import Category, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station, SubsidyPolicy
from swstation.workforce.models import (
    Certificate,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    Supervisor,
)
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU

KONGPU = "330205003000"  # 孔浦街道, 江北区
TOWNSHIPS = (CICHENG, KONGPU, YUEHU)
_serial = count(1)

__all__ = [
    "CICHENG",
    "CITY",
    "HAISHU",
    "JIANGBEI",
    "KONGPU",
    "TOWNSHIPS",
    "YUEHU",
    "World",
    "build_world",
]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def villages(township: str, n: int = 3) -> list[Region]:
    return list(region(township).children.order_by("code")[:n])


@dataclass
class World:
    stations: dict[str, Station] = field(default_factory=dict)
    workers: dict[str, list[SocialWorker]] = field(default_factory=dict)
    villages: dict[str, list[Region]] = field(default_factory=dict)
    recipients: list[Recipient] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    records: list[ServiceRecord] = field(default_factory=list)
    schedules: list[VisitSchedule] = field(default_factory=list)
    supervisor: Supervisor | None = None


def make_station(code: str, opened: date = date(2021, 6, 1)) -> Station:
    station, _ = Station.objects.get_or_create(
        region=region(code),
        kind="township",
        defaults={"name": f"站{code}", "status": "operating", "opened_on": opened},
    )
    return station


def make_worker(station: Station, **extra: Any) -> SocialWorker:
    return SocialWorker.objects.create(
        name=f"社工{next(_serial):04d}", region=station.region, station=station, **extra
    )


def make_certificate(person: SocialWorker, level: str, obtained_on: date) -> Certificate:
    return Certificate.objects.create(
        social_worker=person, level=level, obtained_on=obtained_on, number=f"D{next(_serial):08d}"
    )


def make_recipient(village: Region, *categories: str, **extra: Any) -> Recipient:
    person = Recipient.objects.create(
        name=f"对象{next(_serial):04d}",
        region=village,
        consent_given=True,
        consent_on=date(2025, 1, 1),
        **extra,
    )
    if categories:
        person.categories.set(Category.objects.filter(code__in=categories))
    return person


def make_case(world: World, person: Recipient, township: str, **extra: Any) -> Case:
    worker = world.workers[township][0]
    fields: dict[str, Any] = {
        "number": f"{township[:9]}-2026-{next(_serial):04d}",
        "recipient": person,
        "station": worker.station,
        "worker": worker,
        "supervisor": world.supervisor,
        "opened_on": date(2026, 3, 1),
        "presenting_problem": "独居老人，需要生活照料",
        "stage": "intake",
    }
    fields.update(extra)
    return Case.objects.create(**fields)


def make_record(
    world: World, person: Recipient, served_on: date, service_type: str = "home_visit"
) -> ServiceRecord:
    township = person.region.code[:9].ljust(12, "0")
    worker = world.workers.get(township, next(iter(world.workers.values())))[0]
    return ServiceRecord.objects.create(
        recipient=person,
        station=worker.station,
        worker=worker,
        served_on=served_on,
        service_type=service_type,
        duration_minutes=30,
    )


def make_schedule(world: World, person: Recipient, starts_on: date, **extra: Any) -> VisitSchedule:
    township = person.region.code[:9].ljust(12, "0")
    return VisitSchedule.objects.create(
        recipient=person,
        worker=world.workers[township][0],
        service_type="health_visit",
        times_per_month=2,
        starts_on=starts_on,
        **extra,
    )


def make_assessment(
    world: World, person: Recipient, assessed_on: date, standard: str, level: int
) -> ElderlyAssessment:
    """An elderly capability assessment with its results as given (plain ORM: the tallies
    count what is stored, whichever instrument computed it)."""
    township = person.region.code[:9].ljust(12, "0")
    first, second = world.workers.get(township, next(iter(world.workers.values())))[:2]
    return ElderlyAssessment.objects.create(
        recipient=person,
        standard=standard,
        assessed_on=assessed_on,
        reason="routine",
        assessor=first,
        second_assessor=second,
        base_level=level,
        level=level,
        next_due=assessed_on + timedelta(days=182),
    )


def make_paid_batch(person: SocialWorker, certificate: Certificate, paid_on: date) -> PaymentBatch:
    policy = RewardPolicy.objects.create(
        kind="exam_reward",
        level=certificate.level,
        amount=Decimal(1500),
        valid_from=date(2020, 1, 1),
    )
    batch = PaymentBatch.objects.create(
        kind="exam_reward",
        region=person.region,
        period_start=date(paid_on.year, 1, 1),
        period_end=date(paid_on.year, 12, 31),
        status="paid",
        paid_on=paid_on,
    )
    Payment.objects.create(
        batch=batch,
        kind="exam_reward",
        social_worker=person,
        certificate=certificate,
        policy=policy,
        amount=policy.amount,
    )
    return batch


def city_bureau() -> Funder:
    funder, _created = Funder.objects.get_or_create(
        name="宁波市民政局",
        region=region("330200000000"),
        defaults={"kind": "civil_affairs", "tier": "city"},
    )
    return funder


def make_subsidy(station: Station, paid_on: date | None) -> Grant:
    """A subsidy under a policy of its own: a grant of the city's tier (funds, one ledger)."""
    policy = SubsidyPolicy.objects.create(
        name=f"补助{next(_serial)}",
        source="city",
        amount=Decimal(50000),
        station_kinds=["township"],
        valid_from=date(2020, 1, 1),
    )
    year = paid_on.year if paid_on else 2026
    return Grant.objects.create(
        funder=city_bureau(),
        tier="city",
        policy=policy,
        station=station,
        region=station.region,
        amount=policy.amount,
        year=year,
        granted_on=date(year, 1, 1),
        purpose=policy.name,
        paid_on=paid_on,
    )


def build_world() -> World:
    """Stations in 慈城镇, 孔浦街道 (江北区) and 月湖街道 (海曙区), each with two full-time
    staff (one certified), recipients in their villages, a case and services each."""
    world = World()
    world.supervisor = Supervisor.objects.create(
        name="督导甲", level="city", region=region(JIANGBEI)
    )
    today = timezone.localdate()
    for township in TOWNSHIPS:
        station = make_station(township)
        world.stations[township] = station
        world.workers[township] = [make_worker(station, is_fulltime=True) for _ in range(2)]
        make_certificate(world.workers[township][0], "assistant", date(2022, 5, 1))
        world.villages[township] = villages(township)
        for index, village in enumerate(world.villages[township]):
            person = make_recipient(
                village, "elderly_living_alone" if index else "subsistence_allowance"
            )
            world.recipients.append(person)
            world.records.append(make_record(world, person, date(2026, 2, 10 + index)))
        world.cases.append(make_case(world, world.recipients[-1], township))
        world.schedules.append(
            make_schedule(world, world.recipients[-1], starts_on=today - timedelta(days=60))
        )
    return world


def snapshot() -> list[tuple[Any, ...]]:
    """Every aggregate row of the cockpit, in a comparable order."""
    return sorted(
        Tally.objects.values_list(
            "family", "metric", "level", "region_code", "key", "period", "count", "total"
        )
    )


def assert_matches_recount() -> None:
    """The aggregates kept incrementally are those a full recount gives."""
    tally_refresh()
    assert not TallyDirty.objects.exists()
    incremental = snapshot()
    tally_rebuild()
    assert incremental == snapshot()


# --- the "four ones" (issue 12): grants, purchase contracts, instalments, spending ------------


def funder(tier: str, code: str) -> Funder:
    """The funder of ``tier`` registered at ``code`` (made the first time)."""
    kind = {"city": "civil_affairs", "county": "civil_affairs", "township": "township_government"}
    found, _created = Funder.objects.get_or_create(
        name=f"资方{tier}{code}",
        region=region(code),
        defaults={"kind": kind.get(tier, "charity"), "tier": tier},
    )
    return found


def payer_code(tier: str, station: Station) -> str:
    """Where the funder of a tier giving to ``station`` is registered."""
    digits = {"city": 4, "county": 6, "township": 9, "social": 4}[tier]
    return station.region.code[:digits].ljust(12, "0")


def make_grant(
    station: Station | None,
    tier: str,
    year: int,
    amount: Decimal,
    *,
    parent: Grant | None = None,
    paid_on: date | None = None,
) -> Grant:
    """A grant to ``station`` (or, without one, a programme's donation at the city)."""
    if parent is not None:
        giver = parent.funder
    else:
        giver = funder(tier, payer_code(tier, station) if station else "330200000000")
    return Grant.objects.create(
        funder=giver,
        tier=giver.tier,
        parent=parent,
        station=station,
        region=station.region if station else region("330200000000"),
        programme="" if station else "美好家园",
        amount=amount,
        year=year,
        granted_on=date(year, 2, 1),
        purpose="测试资金",
        paid_on=paid_on,
    )


def make_contract(station: Station, purchaser_code: str, signed_on: date, amount: Decimal) -> Any:
    from swstation.funds.models import PurchaseContract
    from swstation.stations.models import ServiceAgency

    agency, _created = ServiceAgency.objects.get_or_create(
        name="测试社工服务中心", defaults={"region": region("330200000000")}
    )
    purchaser = region(purchaser_code)
    tier = {"city": "city", "county": "county", "township": "township"}[purchaser.level]
    return PurchaseContract.objects.create(
        number=f"购〔{signed_on.year}〕{next(_serial)}号",
        title="社工站运营服务",
        region=purchaser,
        tier=tier,
        agency=agency,
        station=station,
        signed_on=signed_on,
        starts_on=signed_on,
        ends_on=signed_on + timedelta(days=364),
        amount=amount,
        deliverables="驻站服务",
    )


def make_instalment(contract: Any, due_on: date, amount: Decimal, **extra: Any) -> Any:
    from swstation.funds.models import ContractInstalment

    sequence = (
        contract.instalments.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    ) + 1
    return ContractInstalment.objects.create(
        contract=contract, sequence=sequence, due_on=due_on, amount=amount, **extra
    )


def make_expense(source: Any, spent_on: date, amount: Decimal) -> Any:
    from swstation.funds.models import Expense

    is_grant = isinstance(source, Grant)
    return Expense.objects.create(
        grant=source if is_grant else None,
        contract=None if is_grant else source,
        region=source.region,
        spent_on=spent_on,
        category="activities",
        amount=amount,
        voucher_number=f"记字{next(_serial)}号",
    )
