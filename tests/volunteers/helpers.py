"""Builders for the volunteers tests: volunteers made through the service (so their numbers
are encrypted, hashed and masked as in real use), the rest through the ORM."""

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from swstation.cases.models import ServiceRecord
from swstation.core.actors import SYSTEM
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.volunteers.services import volunteer_create
from swstation.workforce.models import SocialWorker
from tests.cases import case_builders as cases
from tests.recipients.helpers import id_number

CICHENG = cases.CICHENG
YUEHU = cases.YUEHU
_serial = count(1)
SINCE = date(2024, 1, 1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str = CICHENG) -> Station:
    return cases.station(code)


def village(code: str = CICHENG) -> Region:
    return region(cases.VILLAGE_OF.get(code, code))


def volunteer(code: str = CICHENG, name: str = "", **extra: Any) -> Volunteer:
    n = next(_serial)
    extra.setdefault("document_number", id_number(date(1980, 1, 1), serial=n, area="330205"))
    extra.setdefault("phone", f"139{n:08d}")
    extra.setdefault("registered_on", SINCE)
    return volunteer_create(
        actor=SYSTEM,
        name=name or f"志愿者{n:04d}",
        region=village(code),
        station=station(code),
        **extra,
    )


def team(code: str = CICHENG, name: str = "", **extra: Any) -> VolunteerTeam:
    return VolunteerTeam.objects.create(
        name=name or f"测试志愿服务队{next(_serial):04d}",
        region=region(code),
        station=station(code),
        **extra,
    )


def worker(code: str = CICHENG, **extra: Any) -> SocialWorker:
    return cases.worker(code, **extra)


def recipient(code: str = CICHENG, name: str = "") -> Recipient:
    return cases.recipient(code, name=name)


def pairing(
    code: str = CICHENG,
    *,
    by: Volunteer | None = None,
    person: Recipient | None = None,
    worker_: SocialWorker | None = None,
    **extra: Any,
) -> Pairing:
    extra.setdefault("times_per_month", 2)
    extra.setdefault("starts_on", SINCE)
    return Pairing.objects.create(
        volunteer=by or volunteer(code),
        recipient=person or recipient(code),
        worker=worker_ or worker(code),
        **extra,
    )


def record(
    person: Recipient, by: SocialWorker, served_on: date, minutes: int = 60, **extra: Any
) -> ServiceRecord:
    assert by.station is not None
    return ServiceRecord.objects.create(
        recipient=person,
        worker=by,
        station=by.station,
        served_on=served_on,
        service_type=extra.pop("service_type", "home_visit"),
        duration_minutes=minutes,
        **extra,
    )


def named(record_: ServiceRecord, who: Volunteer, hours: str = "1.00") -> ServiceVolunteer:
    return ServiceVolunteer.objects.create(record=record_, volunteer=who, hours=Decimal(hours))
