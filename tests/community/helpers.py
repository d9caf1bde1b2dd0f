"""Builders for the community tests: groups, members, sessions and activities made through the
ORM (the rule tests call the services themselves)."""

from datetime import date
from itertools import count
from typing import Any

from swstation.community.models import (
    ActivityParticipant,
    ActivityVolunteer,
    CommunityActivity,
    Group,
    GroupMember,
    GroupSession,
)
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker
from tests.conftest import CICHENG, CICHENG_VILLAGE, CITY, JIANGBEI, YUEHU, YUEHU_COMMUNITY
from tests.projects import helpers as project_helpers

__all__ = ["CICHENG", "CICHENG_VILLAGE", "CITY", "JIANGBEI", "YUEHU", "YUEHU_COMMUNITY"]

VILLAGE_OF = {CICHENG: CICHENG_VILLAGE, YUEHU: YUEHU_COMMUNITY}
STARTED = date(2024, 3, 1)
_serial = count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str = CICHENG) -> Station:
    return project_helpers.station(code)


def worker(code: str = CICHENG) -> SocialWorker:
    return project_helpers.lead_of(code)


def recipient(code: str = CICHENG, name: str = "") -> Recipient:
    return project_helpers.recipient(code, name=name)


def group(code: str = CICHENG, name: str = "", **extra: Any) -> Group:
    at = station(code)
    extra.setdefault("kind", "support")
    extra.setdefault("purpose", "减少孤独感，建立互助关系")
    extra.setdefault("target_members", "独居老人")
    extra.setdefault("planned_sessions", 6)
    extra.setdefault("starts_on", STARTED)
    made = Group.objects.create(station=at, name=name or f"测试小组{next(_serial):04d}", **extra)
    made.facilitators.set([worker(code)])
    return made


def member(of: Group, person: Recipient | None = None, name: str = "", **extra: Any) -> GroupMember:
    extra.setdefault("joined_on", STARTED)
    if person is None and not name:
        person = recipient(of.station.region.code)
    return GroupMember.objects.create(group=of, recipient=person, name=name, **extra)


def session(of: Group, number: int = 1, **extra: Any) -> GroupSession:
    extra.setdefault("held_on", date(2024, 3, 7 + number))
    extra.setdefault("content", f"第{number}节：相互认识")
    return GroupSession.objects.create(group=of, number=number, **extra)


def activity(code: str = CICHENG, name: str = "", **extra: Any) -> CommunityActivity:
    at = station(code)
    extra.setdefault("kind", "square")
    extra.setdefault("held_on", date(2024, 7, 15))
    extra.setdefault("organisers", "社工站、村委会")
    extra.setdefault("elders_count", 20)
    extra.setdefault("children_count", 10)
    extra.setdefault("others_count", 5)
    place = extra.pop("region", None) or region(VILLAGE_OF.get(code, code))
    return CommunityActivity.objects.create(
        station=at, region=place, name=name or f"测试活动{next(_serial):04d}", **extra
    )


def participant(of: CommunityActivity, name: str = "", **extra: Any) -> ActivityParticipant:
    extra.setdefault("group", "elder")
    return ActivityParticipant.objects.create(
        activity=of, name=name or f"居民{next(_serial):04d}", **extra
    )


def hours(
    at: CommunityActivity | GroupSession, hours_given: str = "2.00", **extra: Any
) -> ActivityVolunteer:
    """A volunteer of the occasion's town, ``hours_given`` hours at ``at``."""
    from tests.volunteers import helpers as volunteer_helpers

    if isinstance(at, CommunityActivity):
        code, keys = at.station.region.code, {"activity": at, "region_id": at.region_id}
    else:
        code = at.group.station.region.code
        keys = {"session": at, "region_id": at.group.station.region_id}
    who = extra.pop("volunteer", None) or volunteer_helpers.volunteer(code)
    return ActivityVolunteer.objects.create(volunteer=who, hours=hours_given, **keys, **extra)
