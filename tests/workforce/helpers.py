"""Record builders for the workforce tests (plain ORM: the tests of the services call the
services themselves)."""

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import (
    Certificate,
    Course,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    Supervisor,
    TrainingClass,
)
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU

__all__ = ["CICHENG", "CITY", "HAISHU", "JIANGBEI", "YUEHU"]

_numbers = count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str) -> Station:
    """The township station of township ``code`` (one per township), operating since 2021."""
    township = region(code)
    found, _ = Station.objects.get_or_create(
        region=township,
        kind="township",
        defaults={
            "name": f"{township.name}社工站",
            "status": "operating",
            "opened_on": date(2021, 6, 1),
        },
    )
    return found


def person(code: str, name: str = "测试社工", **extra: Any) -> SocialWorker:
    return SocialWorker.objects.create(name=name, region=region(code), **extra)


def certificate(
    worker: SocialWorker, level: str, obtained_on: date, number: str | None = None
) -> Certificate:
    return Certificate.objects.create(
        social_worker=worker,
        level=level,
        obtained_on=obtained_on,
        number=number or f"T{next(_numbers):08d}",
    )


def exam_reward_batch(year: int, code: str = CITY) -> PaymentBatch:
    """A draft batch of the year's exam rewards."""
    return PaymentBatch.objects.create(
        kind="exam_reward",
        region=region(code),
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )


def exam_reward(
    batch: PaymentBatch, worker: SocialWorker, policy: RewardPolicy, obtained_on: date
) -> Payment:
    """A batch's line rewarding ``worker`` for the certificate of the policy's level obtained
    on ``obtained_on`` (the certificate is made too)."""
    return Payment.objects.create(
        batch=batch,
        kind="exam_reward",
        social_worker=worker,
        certificate=certificate(worker, policy.level, obtained_on),
        policy=policy,
        amount=policy.amount,
    )


def training_class(code: str, name: str = "测试班") -> TrainingClass:
    return TrainingClass.objects.create(
        name=name, tier="wending", region=region(code), starts_on=date(2023, 3, 1)
    )


def course(code: str, title: str = "测试课", hours: str = "3", **extra: Any) -> Course:
    return Course.objects.create(
        title=title,
        region=region(code),
        mode="offline",
        held_on=date(2023, 4, 1),
        hours=Decimal(hours),
        **extra,
    )


def supervisor(code: str, name: str = "测试督导", **extra: Any) -> Supervisor:
    return Supervisor.objects.create(name=name, level="city", region=region(code), **extra)
