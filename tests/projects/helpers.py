"""Builders for the project tests: stations, social workers, recipients and projects made
through the ORM (the service tests call the services themselves).

Projects of a township are run by its township station (tests/workforce/helpers.py); a
project at the city (``CITY``, the matrix's shared-downward place) by a city-level special
station, one at a district by its district hub."""

from datetime import date
from itertools import count
from typing import Any

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.projects.models import Project, ProjectEnrolment, ProjectStatus
from swstation.recipients.models import Category, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker
from tests.conftest import CICHENG, CICHENG_VILLAGE, CITY, JIANGBEI, YUEHU, YUEHU_COMMUNITY
from tests.workforce import helpers as workforce_helpers

__all__ = ["CICHENG", "CICHENG_VILLAGE", "CITY", "JIANGBEI", "YUEHU", "YUEHU_COMMUNITY"]

KONGPU = "330205003000"  # 孔浦街道, another township of 江北区
CICHENG_VILLAGE_2 = "330205103202"
VILLAGE_OF = {CICHENG: CICHENG_VILLAGE, YUEHU: YUEHU_COMMUNITY, KONGPU: "330205003001"}
START, END = date(2024, 1, 1), date(2025, 12, 31)

_serial = count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str = CICHENG) -> Station:
    """The station that runs projects at ``code``: a township's station, a district's hub, a
    special station at the city."""
    place = region(code)
    if place.level == "township":
        return workforce_helpers.station(code)
    kind = "district_hub" if place.level == "county" else "special"
    found, _ = Station.objects.get_or_create(
        region=place,
        kind=kind,
        defaults={
            "name": f"{place.name}社工总站" if kind == "district_hub" else f"{place.name}示范站",
            "special_kind": "enterprise" if kind == "special" else "",
            "status": "operating",
            "opened_on": date(2021, 6, 1),
        },
    )
    return found


def worker(code: str = CICHENG, name: str = "", **extra: Any) -> SocialWorker:
    at = station(code)
    return SocialWorker.objects.create(
        name=name or f"项目社工{next(_serial):03d}", region=at.region, station=at, **extra
    )


def lead_of(code: str) -> SocialWorker:
    """One lead per station, reused across the matrix's records."""
    at = station(code)
    return SocialWorker.objects.filter(station=at, left_on=None).first() or worker(code)


def recipient(code: str = CICHENG, name: str = "", **extra: Any) -> Recipient:
    """A consenting recipient in a village of ``code``, in service since 2020."""
    extra.setdefault("consent_given", True)
    extra.setdefault("registered_on", date(2020, 1, 1))
    return Recipient.objects.create(
        name=name or f"项目对象{next(_serial):04d}",
        region=region(VILLAGE_OF.get(code, code)),
        **extra,
    )


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def project(
    code: str = CICHENG,
    n: int | None = None,
    *,
    status: str = ProjectStatus.PROPOSED,
    **extra: Any,
) -> Project:
    """A project of ``code``'s station (ORM, no life-cycle rules)."""
    n = next(_serial) if n is None else n
    fields: dict[str, Any] = {
        "station": station(code),
        "name": f"测试项目{n:03d}",
        "category": "regional_feature",
        "field": "elderly",
        "starts_on": START,
        "ends_on": END,
        "lead": lead_of(code),
        "status": status,
    }
    if status not in (ProjectStatus.PROPOSED,):
        fields["approved_on"] = date(2023, 12, 20)
    fields.update(extra)
    return Project.objects.create(**fields)


def enrolment(target: Project, person: Recipient | None = None, **extra: Any) -> ProjectEnrolment:
    code = target.station.region.code
    return ProjectEnrolment.objects.create(
        project=target,
        recipient=person or recipient(code),
        enrolled_on=extra.pop("enrolled_on", date(2024, 3, 1)),
        **extra,
    )


def api(user: Any) -> APIClient:
    """An API client with ``user``'s token."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def page(user: Any) -> Client:
    """A page client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
