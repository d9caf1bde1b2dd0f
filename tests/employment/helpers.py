"""Builders for the employment tests: seekers made through the service (so their numbers are
encrypted, hashed and masked as in real use), posts and placements through the ORM (the rule
tests call the services themselves)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.employment.models import JobPost, JobSeeker, Placement
from swstation.employment.services import job_seeker_create
from swstation.linkage.models import Partner
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
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


def recipient(code: str = CICHENG, name: str = "", **extra: Any) -> Recipient:
    return cases.recipient(code, name=name, **extra)


def seeker(code: str = CICHENG, name: str = "", **extra: Any) -> JobSeeker:
    n = next(_serial)
    extra.setdefault("document_number", id_number(date(1980, 1, 1), serial=n, area="330205"))
    extra.setdefault("phone", f"138{n:08d}")
    extra.setdefault("registered_on", SINCE)
    extra.setdefault("sex", "female")
    extra.setdefault("category", "farmer")
    extra.setdefault("skills", "包装、缝纫")
    return job_seeker_create(
        actor=SYSTEM,
        name=name or f"求职者{n:04d}",
        region=extra.pop("region", None) or village(code),
        station=station(code),
        **extra,
    )


def employer(code: str = CICHENG, name: str = "", **extra: Any) -> Partner:
    return Partner.objects.create(
        name=name or f"测试企业{next(_serial):04d}",
        kind=extra.pop("kind", "enterprise"),
        region=region(code),
        **extra,
    )


def post(code: str = CICHENG, title: str = "", **extra: Any) -> JobPost:
    today = timezone.localdate()
    extra.setdefault("places", 5)
    extra.setdefault("season_from", today - timedelta(days=30))
    extra.setdefault("season_to", today + timedelta(days=60))
    extra.setdefault("pay", Decimal("150.00"))
    extra.setdefault("skills", "包装")
    return JobPost.objects.create(
        employer=extra.pop("by", None) or employer(code),
        station=station(code),
        title=title or f"包装工{next(_serial):04d}",
        region=extra.pop("region", None) or village(code),
        **extra,
    )


def placement(
    code: str = CICHENG, *, to: JobPost | None = None, who: JobSeeker | None = None, **extra: Any
) -> Placement:
    extra.setdefault("referred_on", timezone.localdate() - timedelta(days=10))
    return Placement.objects.create(post=to or post(code), seeker=who or seeker(code), **extra)
