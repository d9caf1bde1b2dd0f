"""Builders shared by the tests of assessments, service records and visit schedules (plain
ORM, so that the tests of the services call the services themselves)."""

from datetime import date
from itertools import count
from typing import Any

from swstation.cases.instruments import gbt42195, mzt039
from swstation.cases.models import ElderlyAssessmentPolicy, ServiceRecord, VisitSchedule
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker
from tests.conftest import CICHENG_VILLAGE, YUEHU_COMMUNITY
from tests.workforce import helpers as workforce

__all__ = ["CICHENG_VILLAGE", "YUEHU_COMMUNITY"]

_numbers = count(1)

FULL_ADL = {
    "eating": 10,
    "bathing": 5,
    "grooming": 5,
    "dressing": 10,
    "bowel_control": 10,
    "bladder_control": 10,
    "toileting": 10,
    "bed_chair_transfer": 15,
    "walking": 15,
    "stairs": 10,
}
NO_MENTAL = dict.fromkeys(mzt039.MENTAL_ITEMS, 0)
GOOD_PERCEPTION = {"consciousness": 0, "vision": 0, "hearing": 0, "communication": 0}
NO_SOCIAL = dict.fromkeys(mzt039.SOCIAL_ITEMS, 0)
MZT039_HEALTHY_ITEMS = {
    "adl": FULL_ADL,
    "mental": NO_MENTAL,
    "perception": GOOD_PERCEPTION,
    "social": NO_SOCIAL,
}
# GB/T 42195-2022, the standard of new assessments: every item at its top score (total 90).
HEALTHY_ITEMS = {
    key: {name: max(scores) for name, scores in items.items()}
    for key, items in gbt42195.INDICATORS.items()
}
NO_NEEDS = {
    "safety": 0,
    "health": 0,
    "education": 0,
    "family_care": 0,
    "psychology": 0,
    "social_support": 0,
}


def village(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str) -> Station:
    """The township station of the township ``code`` (a village code is cut to its township)."""
    return workforce.station(code[:9] + "000")


def worker(code: str, name: str = "", **extra: Any) -> SocialWorker:
    home = station(code)
    return SocialWorker.objects.create(
        name=name or f"服务社工{next(_numbers):03d}",
        region=home.region,
        station=home,
        **extra,
    )


def recipient(code: str, name: str = "", **extra: Any) -> Recipient:
    return Recipient.objects.create(
        name=name or f"服务对象{next(_numbers):03d}",
        region=village(code),
        consent_given=True,
        **extra,
    )


def record(
    person: Recipient,
    by: SocialWorker,
    served_on: date,
    service_type: str = "home_visit",
    **extra: Any,
) -> ServiceRecord:
    assert by.station is not None
    return ServiceRecord.objects.create(
        recipient=person,
        worker=by,
        station=by.station,
        served_on=served_on,
        service_type=service_type,
        duration_minutes=extra.pop("duration_minutes", 30),
        **extra,
    )


def schedule(
    person: Recipient,
    by: SocialWorker,
    starts_on: date,
    times_per_month: int = 2,
    service_type: str = "health_visit",
    **extra: Any,
) -> VisitSchedule:
    return VisitSchedule.objects.create(
        recipient=person,
        worker=by,
        service_type=service_type,
        times_per_month=times_per_month,
        starts_on=starts_on,
        **extra,
    )


def allow_mzt039(*codes: str) -> ElderlyAssessmentPolicy:
    """Let the stations of the townships of ``codes`` still assess under MZ/T 039-2013: they are
    added to the city's policy in force since 2023 (the migration's seed, or one like it)."""
    policy = ElderlyAssessmentPolicy.objects.valid_on(date(2023, 1, 1)).first()
    if policy is None:
        policy = ElderlyAssessmentPolicy.objects.create(
            name="GB/T 42195-2022", valid_from=date(2023, 1, 1)
        )
    policy.mzt039_stations.add(*(station(code) for code in codes))
    return policy
