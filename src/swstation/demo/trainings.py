"""Demo step: the skills trainings (技能培训) of 慈城镇's 慈缘驿站 (issue 14, employment aid): over
the demo year (the last twelve months) the town's station holds ten trainings — 年糕制作, 来料加工,
家政服务, 电商直播入门... — at the station or in a village's hall, each a community activity of
kind ``training`` whose named participants are some of the town's job seekers (the employment
step's): a seeker who is a recipient as that recipient, any other as a resident by name (a
participant records no phone number; employment.selectors matches a resident by name and place,
so a training held in a village takes that village's seekers, and seekers whose name another
seeker of the town shares are left out). A training of a trade names the town's enterprise of
that trade as its partner, when there is one.

Runs after the employment step (it needs the seekers). Deterministic
(``random.Random("demo-trainings")`` over querysets in a fixed order, days relative to the build
day); once the station has a training, a second run changes nothing. Bulk writes with one history
row each (demo/bulk.py).
"""

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from swstation.community.models import (
    ActivityKind,
    ActivityParticipant,
    CommunityActivity,
    ParticipantGroup,
)
from swstation.demo.bulk import insert_objects
from swstation.demo.history import demo_history
from swstation.employment.models import JobSeeker
from swstation.linkage.models import Partner, PartnerKind
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind

CICHENG = "330205103000"  # 慈城镇: 慈缘驿站
PARTICIPANTS = (10, 22)  # named seekers at a training, from … to

# name, month, the seekers' skill it is for ("" for anyone), held in a village (else at the
# station), the enterprise trade it is given with ("" for none), what was taught
TRAININGS: tuple[tuple[str, int, str, bool, str, str], ...] = (
    ("采茶技能培训", 2, "采茶", True, "茶", "请茶场师傅讲解春茶采摘标准和手法，结业后推荐到茶场。"),
    ("来料加工培训（第一期）", 3, "包装", True, "", "来料加工的质量要求、计件方式和安全操作。"),
    ("家政服务培训", 4, "保洁", False, "", "家庭保洁、收纳整理和服务礼仪，颁发培训证明。"),
    ("电商直播入门", 5, "", False, "", "手机拍摄、直播带货基础和农产品网店开设。"),
    ("缝纫工技能培训", 7, "缝纫", True, "服饰", "服饰企业师傅教授平缝机操作，学员可进厂试岗。"),
    ("来料加工培训（第二期）", 8, "包装", False, "", "针对秋季订单高峰的包装、分拣实操。"),
    ("家政服务培训·养老护理", 9, "帮厨", False, "", "老人照护、营养配餐和居家安全常识。"),
    (
        "年糕制作技能培训",
        10,
        "年糕制作",
        False,
        "年糕",
        "年糕企业师傅现场教学，为冬季生产季储备人手。",
    ),
    ("电商直播入门（进阶）", 11, "", False, "", "直播脚本、选品和售后，学员现场试播。"),
    ("农产品分拣包装培训", 12, "分拣", False, "水产", "水产、农产品的分拣分级和包装规范。"),
)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(14)))


def _day(rng: random.Random, month: int, start: date, end: date) -> date | None:
    """A day of ``month`` between ``start`` and ``end`` (the latest such month), or None."""
    for year in (end.year, end.year - 1):
        day = date(year, month, rng.randint(5, 25))
        if start <= day <= end:
            return day
    return None


def build_trainings(log: Callable[[str], None]) -> None:
    station = (
        Station.objects.filter(region__code=CICHENG, kind=StationKind.TOWNSHIP)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    if station is None:
        log("trainings: no station at 慈城镇, nothing built")
        return
    held = CommunityActivity.objects.filter(station=station, kind=ActivityKind.TRAINING)
    if held.exists():
        log(f"trainings: already built ({held.count()} skills trainings)")
        return
    seekers = list(
        JobSeeker.objects.filter(station=station, paused=False)
        .select_related("region")
        .order_by("pk")
        .only("pk", "name", "skills", "recipient", "region__code", "region__parent")
    )
    if not seekers:
        log("trainings: no job seeker at 慈城镇, nothing built")
        return
    rng = random.Random("demo-trainings")
    today = demo_history().end
    start = max(today - timedelta(days=365), station.opened_on or today)
    # A resident is matched by name: leave out the names two seekers of the town share.
    shared = {name for name, n in Counter(s.name for s in seekers).items() if n > 1}
    people = [s for s in seekers if s.recipient_id is not None or s.name not in shared]
    villages = {r.pk: r for r in Region.objects.filter(parent=station.region).order_by("code")}
    enterprises = list(
        Partner.objects.filter(region=station.region, kind=PartnerKind.ENTERPRISE)
        .order_by("name")
        .values_list("pk", "name")
    )

    activities: list[tuple[CommunityActivity, list[ActivityParticipant]]] = []
    partners: list[tuple[CommunityActivity, int]] = []
    for title, month, skill, in_village, trade, description in TRAININGS:
        day = _day(rng, month, start, today)
        if day is None:
            continue
        pool = [s for s in people if skill in s.skills] if skill else list(people)
        if len(pool) < PARTICIPANTS[0]:
            pool = list(people)
        place = station.region
        spot = "慈缘驿站"
        if in_village:
            by_village = Counter(s.region_id for s in pool if s.region_id in villages)
            if by_village:
                village_id = min(by_village, key=lambda pk: (-by_village[pk], villages[pk].code))
                place, spot = villages[village_id], "村文化礼堂"
                pool = [s for s in pool if s.region_id == village_id]
        chosen = rng.sample(pool, min(len(pool), rng.randint(*PARTICIPANTS)))
        activity = CommunityActivity(
            station_id=station.pk,
            name=title,
            kind=ActivityKind.TRAINING,
            region_id=place.pk,
            place=spot,
            held_on=day,
            organisers=f"{station.name}、慈缘驿站",
            campaign="",
            campaign_action="",
            project_id=None,
            elders_count=0,
            children_count=0,
            others_count=len(chosen) + rng.randint(0, 6),
            description=description,
        )
        activity._history_date = _at(day)  # type: ignore[attr-defined]
        named = [
            ActivityParticipant(
                activity=activity,
                recipient_id=seeker.recipient_id,
                name="" if seeker.recipient_id is not None else seeker.name,
                group=ParticipantGroup.OTHER,
            )
            for seeker in sorted(chosen, key=lambda s: s.pk)
        ]
        for participant in named:
            participant._history_date = _at(day)  # type: ignore[attr-defined]
        activities.append((activity, named))
        given_by = next((pk for pk, name in enterprises if trade and trade in name), None)
        if given_by is not None:
            partners.append((activity, given_by))

    insert_objects(CommunityActivity, [activity for activity, _named in activities])
    rows: list[ActivityParticipant] = []
    for activity, named in activities:
        for participant in named:
            participant.activity_id = activity.pk
            rows.append(participant)
    insert_objects(ActivityParticipant, rows)
    through: Any = CommunityActivity.partners.through
    through.objects.bulk_create(
        [through(communityactivity_id=a.pk, partner_id=pk) for a, pk in partners]
    )
    log(
        f"trainings: {len(activities)} skills trainings at {station.name}, "
        f"{len(rows)} job seekers named, {len(partners)} with an enterprise"
    )


__all__ = ["build_trainings"]
