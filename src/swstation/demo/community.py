"""Demo: groups and community activities (issue 13, "Group work and community activities").

Every operating township station runs a few groups a year since the first day of the
evaluation's annual round (at least the last twelve months), more at a well-run station
— a support group of lonely elders, a children's growth group, an interest group... — each
with its members (recipients of the township and residents named), its sessions with the
attendance of each (members ticked, walk-ins named or counted) and, once all its sessions are
held, its closing evaluation; and a few community activities a month in its villages, with
participants counted by group and some named, the partners of its town or district at a third
of them, and the station's volunteers' hours at half of them and at some sessions (the hours
their certificates count).

The named ones of the seeds stand in their real places: 洞桥镇's 暑期儿童收纳整理课堂 (in
July), 云龙镇's square activity at 甲村村, 周巷镇's 巷爱翼生 activities and growth group (under
the project 巷爱翼生·向阳飞翔, its members the project's children), and the 2023 国际社工日
campaign with its "四个一" (全屏宣传, 身份亮显, 考试动员, 特色活动) at every station open then.

Rows are written in bulk with one history row each (demo/bulk.py); a group's history shows
its current stage only. The step is idempotent: once a group exists, it is left alone.
"""

import random
from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from swstation.community.models import (
    ActivityKind,
    ActivityParticipant,
    ActivityVolunteer,
    CampaignAction,
    CommunityActivity,
    GoalsMet,
    Group,
    GroupKind,
    GroupMember,
    GroupSession,
    GroupStage,
    SessionAttendance,
)
from swstation.demo.bulk import analyze, insert_objects
from swstation.demo.evaluation import round_names
from swstation.demo.governance import build_governance
from swstation.demo.history import demo_history
from swstation.demo.quality import station_quality
from swstation.demo.stations import person_name, random_day
from swstation.linkage.models import Partner
from swstation.projects.models import Project, ProjectEnrolment
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind, StationStatus
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import SocialWorker

DONGQIAO = "330203104000"  # 洞桥镇, 海曙区
DONGQIAO_VILLAGE = "330203104210"  # 洞桥村
YUNLONG = "330212108000"  # 云龙镇, 鄞州区
JIACUN = "330212108213"  # 甲村村
ZHOUXIANG = "330282121000"  # 周巷镇, 慈溪市
XIANGYANG_PROJECT = "巷爱翼生·向阳飞翔"
SOCIAL_WORK_DAY_2023 = date(2023, 3, 21)  # 国际社工日: the third Tuesday of March
CAMPAIGN_2023 = "2023国际社工日"

# A year's groups, from … to, plus up to 5 more at a well-run station (demo/quality.py).
GROUPS_PER_STATION = (2, 4)
# A month's activities, from … to, plus up to 2 more at a well-run station.
ACTIVITIES_PER_MONTH = (1, 2)
# Below this quality a station is run badly: fewer groups and activities (_plan_year).
POORLY_RUN = 0.3

GROUP_THEMES: list[tuple[str, str, str, str, str]] = [
    # kind, name, purpose, target members, session content
    (
        GroupKind.SUPPORT,
        "暖心互助·独居老人支持小组",
        "减少独居老人的孤独感，建立邻里互助关系。",
        "独居、空巢老人",
        "相互认识|分享生活故事|邻里互助约定|健康小常识|手工制作|回顾与告别",
    ),
    (
        GroupKind.GROWTH,
        "阳光成长·儿童成长小组",
        "提升留守和困境儿童的自信心与人际交往能力。",
        "留守、困境儿童",
        "破冰游戏|认识情绪|我的优点|团队合作|感恩父母|成长分享会",
    ),
    (
        GroupKind.EDUCATION,
        "智慧助老·手机课堂",
        "帮助老人学会使用智能手机，防范电信诈骗。",
        "60岁以上老人",
        "认识手机|微信视频|健康码与挂号|识别诈骗|网上缴费|学习成果展示",
    ),
    (
        GroupKind.INTEREST,
        "巧手编织兴趣小组",
        "以兴趣凝聚妇女，培育社区骨干。",
        "社区妇女",
        "认识彼此|基础针法|作品设计|合作编织|义卖筹备|作品展示",
    ),
    (
        GroupKind.MUTUAL_AID,
        "残疾人康复互助小组",
        "促进残疾人康复训练与同伴支持。",
        "持证残疾人及家属",
        "建立关系|康复经验交流|家属减压|社会资源介绍|同伴支持|总结与展望",
    ),
    (
        GroupKind.THERAPY,
        "心灵驿站·照护者减压小组",
        "缓解失能老人照护者的压力。",
        "失能老人家庭照护者",
        "压力评估|情绪觉察|放松训练|沟通技巧|自我关怀|后测与结束",
    ),
]
ALL_YEAR = frozenset(range(1, 13))
ACTIVITY_THEMES: list[tuple[str, str, str, tuple[int, int, int], frozenset[int]]] = [
    # kind, name, place, weights of elders / children / others, the months it is held in
    (ActivityKind.SQUARE, "广场文艺活动", "村文化广场", (5, 2, 3), frozenset(range(4, 11))),
    (ActivityKind.LECTURE, "健康知识讲座", "文化礼堂", (7, 0, 3), ALL_YEAR),
    (ActivityKind.FESTIVAL, "重阳敬老活动", "居家养老服务中心", (8, 1, 1), frozenset({10})),
    (ActivityKind.FESTIVAL, "端午包粽子活动", "文化礼堂", (5, 3, 2), frozenset({6})),
    (ActivityKind.FESTIVAL, "新春写福送春联", "文化礼堂", (6, 2, 2), frozenset({1, 2})),
    (ActivityKind.CLASS, "儿童暑期课堂", "村图书室", (0, 8, 2), frozenset({7, 8})),
    (ActivityKind.SERVICE, "志愿服务日", "村委会门口", (5, 1, 4), ALL_YEAR),
    (ActivityKind.LECTURE, "反诈宣传进社区", "社区广场", (6, 1, 3), ALL_YEAR),
    (ActivityKind.OTHER, "邻里节", "小区广场", (4, 3, 3), frozenset({5, 9, 11})),
]
CAMPAIGN_ACTIONS: list[tuple[str, str, str]] = [
    (CampaignAction.SCREEN, "国际社工日全屏宣传", "LED屏、电梯屏滚动播放社工宣传标语"),
    (CampaignAction.IDENTITY, "社工身份亮显", "社工佩戴徽章、工作证亮明身份"),
    (CampaignAction.EXAM, "社工职业水平考试动员", "宣讲社工考试政策，动员村社干部报考"),
    (CampaignAction.FEATURED, "国际社工日特色活动", "社工服务展示与居民互动"),
]
EVALUATIONS = {
    GoalsMet.FULLY: "组员之间建立了稳定的互助关系，目标全部达成，组员希望继续活动。",
    GoalsMet.MOSTLY: "大部分组员积极参与，目标基本达成，个别组员因身体原因缺席较多。",
    GoalsMet.PARTLY: "组员参与不稳定，目标部分达成，后续转为个案跟进。",
}


def build_community(log: Callable[[str], None]) -> None:
    with translation.override("zh-hans"):
        _build(log)
        # The residents' micro-governance: its pledges name the volunteers and partners too.
        build_governance(log)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


class _Writer:
    """Collects the rows of one kind and writes them in bulk."""

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self.facilitators: list[tuple[Group, list[int]]] = []
        self.members: list[tuple[Group, list[GroupMember]]] = []
        self.sessions: list[tuple[Group, list[tuple[GroupSession, list[int], list[str]]]]] = []
        self.activities: list[tuple[CommunityActivity, list[ActivityParticipant]]] = []
        self.partners: list[tuple[CommunityActivity, list[int]]] = []
        # (activity or session, its region id, volunteer ids, hours each)
        self.hours: list[tuple[Any, int, list[int], str]] = []
        # what the station has to give: its volunteers, the partners of its town and district
        self.volunteers_of: dict[int, list[int]] = {}
        self.partners_of: dict[int, list[int]] = {}


def _build(log: Callable[[str], None]) -> None:
    if Group.objects.exists():
        log("community: already built")
        return
    rng = random.Random("demo-community")
    today = demo_history().end
    # From the first day of the evaluation's annual round (its groups and activities are the
    # D2 and D3 indicators), at least the last twelve months.
    year_start = min(today - timedelta(days=365), date(round_names(today)[0], 1, 1))
    stations = list(
        Station.objects.filter(
            kind=StationKind.TOWNSHIP,
            status=StationStatus.OPERATING,
            opened_on__isnull=False,
            opened_on__lte=today,
        )
        .select_related("region")
        .order_by("region__code")
    )
    staff: dict[int, list[int]] = {}
    for pk, station_id in (
        SocialWorker.objects.filter(station__in=stations, left_on__isnull=True)
        .order_by("station_id", "pk")
        .values_list("pk", "station_id")
    ):
        staff.setdefault(station_id, []).append(pk)
    villages: dict[str, list[Region]] = {}
    for region in Region.objects.filter(level="village").order_by("code"):
        villages.setdefault(region.code[:9], []).append(region)
    people: dict[str, list[int]] = {}
    for pk, code in (
        Recipient.objects.filter(exited_on__isnull=True, registered_on__lte=year_start)
        .order_by("pk")
        .values_list("pk", "region__code")
    ):
        bucket = people.setdefault(code[:9], [])
        if len(bucket) < 200:
            bucket.append(pk)

    writer = _Writer()
    for pk, station_id in (
        Volunteer.objects.filter(station__in=stations, left_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "station_id")
    ):
        writer.volunteers_of.setdefault(station_id, []).append(pk)
    partner_codes = list(Partner.objects.order_by("pk").values_list("pk", "region__code"))
    for station in stations:
        town, county = station.region.code[:9], station.region.code[:6] + "000000"
        writer.partners_of[station.pk] = [
            pk for pk, code in partner_codes if code.startswith(town) or code == county
        ]
    for station in stations:
        workers = staff.get(station.pk)
        places = villages.get(station.region.code[:9])
        if not workers or not places:
            continue
        start = max(year_start, station.opened_on or year_start)
        for year in range(start.year, today.year + 1):
            _plan_year(writer, station, workers, places, people, year, start, today)
        if station.opened_on and station.opened_on <= SOCIAL_WORK_DAY_2023 - timedelta(days=20):
            _plan_campaign(rng, writer, station, places)
    _plan_seeds(rng, writer, stations, staff, villages, today)
    counts = _write(writer)
    analyze(
        [
            Group,
            GroupMember,
            GroupSession,
            SessionAttendance,
            CommunityActivity,
            ActivityParticipant,
        ]
    )
    log(
        "community: {groups} groups, {sessions} sessions, {attendance} attendances, "
        "{activities} activities, {hours} volunteer hours rows".format(**counts)
    )


def _plan_year(
    writer: _Writer,
    station: Station,
    workers: list[int],
    places: list[Region],
    people: dict[str, list[int]],
    year: int,
    start: date,
    today: date,
) -> None:
    """A station's groups and activities of a calendar year, from ``start`` to ``today``.

    Each station's year is drawn from a seed of its own, over the whole year: a year gone by has
    the same groups and activities whatever the day the demo is built (the annual round's D2
    and D3 measure them), and the current year has those of its days gone by. A station run
    badly (demo/quality.py, about one in sixteen) completes two groups or so a year and holds
    about one activity a month, under 60 % of the default standard's targets (D2: 6 groups;
    D3: 24 activities); the others complete four to nine and hold one to four a month."""
    rng = random.Random(f"demo-community-{station.region.code}-{year}")
    quality = station_quality(station.region.code)
    first, last = max(start, date(year, 1, 1)), date(year, 12, 31)
    if first > min(today, last):
        return
    low, high = GROUPS_PER_STATION if quality >= POORLY_RUN else (1, 3)
    extra = round(5 * quality) if quality >= POORLY_RUN else 0
    share = ((last - first).days + 1) / ((last - date(year, 1, 1)).days + 1)
    for _ in range(round(share * (rng.randint(low, high) + extra))):
        theme = rng.choice(GROUP_THEMES)
        begin = random_day(rng, first, last)
        if begin > today - timedelta(days=20):
            continue
        _plan_group(
            rng,
            writer,
            station,
            workers,
            places,
            people,
            theme,
            first,
            today,
            name=theme[1],
            starts_on=begin,
        )
    low, high = ACTIVITIES_PER_MONTH if quality >= POORLY_RUN else (0, 2)
    extra = round(2 * quality) if quality >= POORLY_RUN else 0
    for month in range(first.month, 13):
        month_start = max(first, date(year, month, 1))
        month_end = date(year, month, monthrange(year, month)[1])
        for _ in range(rng.randint(low, high + extra)):
            held = random_day(rng, month_start, month_end)
            if held > today:
                continue
            themes = [theme for theme in ACTIVITY_THEMES if held.month in theme[4]]
            _plan_activity(
                rng, writer, station, rng.choice(places), held, theme=rng.choice(themes)[:4]
            )


def _plan_group(
    rng: random.Random,
    writer: _Writer,
    station: Station,
    workers: list[int],
    places: list[Region],
    people: dict[str, list[int]],
    theme: tuple[str, str, str, str, str],
    start: date,
    today: date,
    *,
    name: str,
    starts_on: date | None = None,
    project: Project | None = None,
    recipients: list[int] | None = None,
) -> None:
    kind, _name, purpose, target, contents = theme
    topics = contents.split("|")
    planned = len(topics)
    begin = starts_on or random_day(rng, start, max(start, today - timedelta(days=20)))
    weekly = [begin + timedelta(days=7 * i + rng.randint(0, 2)) for i in range(planned)]
    held = [day for day in weekly if day <= today]
    village = rng.choice(places) if rng.random() < 0.7 else None
    if not held:
        stage = GroupStage.PREPARING
    elif len(held) == planned and held[-1] + timedelta(days=7) <= today:
        stage = GroupStage.ENDED
    else:
        share = len(held) / planned
        stage = (
            GroupStage.FORMING
            if share < 0.34
            else GroupStage.TRANSITION
            if share < 0.67
            else GroupStage.MATURE
        )
    ended = stage == GroupStage.ENDED
    goals = rng.choice([GoalsMet.FULLY, GoalsMet.MOSTLY, GoalsMet.MOSTLY, GoalsMet.PARTLY])
    measured = ended and kind in (GroupKind.SUPPORT, GroupKind.THERAPY)
    pre = round(rng.uniform(40, 60), 1) if measured else None
    group = Group(
        station_id=station.pk,
        name=name,
        kind=kind,
        purpose=purpose,
        target_members=target,
        village_id=village.pk if village else None,
        planned_sessions=planned,
        starts_on=begin,
        project_id=project.pk if project else None,
        stage=stage,
        ended_on=held[-1] if ended else None,
        goals_met=goals if ended else "",
        evaluation=EVALUATIONS[goals] if ended else "",
        measure_name="UCLA孤独感量表"
        if measured and kind == GroupKind.SUPPORT
        else ("照顾者负担量表" if measured else ""),
        pre_score=pre,
        post_score=round(pre - rng.uniform(3, 12), 1) if pre is not None else None,
    )
    group._history_date = _at(held[-1] if held else begin)  # type: ignore[attr-defined]
    writer.groups.append(group)
    writer.facilitators.append((group, rng.sample(workers, min(len(workers), rng.randint(1, 2)))))
    pool = recipients if recipients is not None else people.get(station.region.code[:9], [])
    size = len(pool) if recipients is not None else rng.randint(6, 12)
    from_records = rng.sample(pool, min(len(pool), size // 2 if recipients is None else size))
    members = [
        GroupMember(group=group, recipient_id=pk, name="", joined_on=begin, left_on=None)
        for pk in from_records
    ]
    members += [
        GroupMember(
            group=group,
            recipient_id=None,
            name=person_name(rng, rng.random() < 0.6),
            joined_on=begin,
            left_on=None,
        )
        for _ in range(max(0, size - len(members)))
    ]
    if members and len(held) > 2 and rng.random() < 0.3:
        leaver = rng.choice(members)
        leaver.left_on = held[len(held) // 2]
    for member in members:
        member._history_date = _at(begin)  # type: ignore[attr-defined]
    writer.members.append((group, members))
    sessions = []
    for number, day in enumerate(held, start=1):
        session = GroupSession(
            group=group,
            number=number,
            held_on=day,
            content=topics[number - 1],
            facilitator_notes=rng.choice(
                ["组员参与积极。", "个别组员迟到，需提前电话提醒。", "气氛融洽，组员主动分享。", ""]
            ),
            walk_in_count=rng.choice([0, 0, 0, 1, 2, 3]),
        )
        session._history_date = _at(day)  # type: ignore[attr-defined]
        helpers = writer.volunteers_of.get(station.pk, [])
        if helpers and rng.random() < 0.2:
            writer.hours.append((session, station.region_id, [rng.choice(helpers)], "2"))
        present = [
            index
            for index, member in enumerate(members)
            if (member.left_on is None or member.left_on >= day) and rng.random() < 0.8
        ]
        walk_ins = [person_name(rng, True) for _ in range(rng.choice([0, 0, 0, 1]))]
        sessions.append((session, present, walk_ins))
    writer.sessions.append((group, sessions))


def _committee(name: str) -> str:
    """The village's or community's committee as an organiser writes it (半浦村委会 → 半浦村
    村委会, 云达社区居委会 → 云达社区居委会, 云龙居委会 → 云龙社区居委会)."""
    if name.endswith("村委会") and not name.endswith("村村委会"):
        return name[:-3] + "村村委会"
    if name.endswith("居委会") and not name.endswith("社区居委会"):
        return name[:-3] + "社区居委会"
    return name


def _counts(rng: random.Random, weights: tuple[int, int, int], total: int) -> tuple[int, int, int]:
    elders = round(total * weights[0] / 10 * rng.uniform(0.8, 1.2))
    children = round(total * weights[1] / 10 * rng.uniform(0.8, 1.2))
    return elders, children, max(0, total - elders - children) if weights[2] else 0


def _plan_activity(
    rng: random.Random,
    writer: _Writer,
    station: Station,
    place: Region,
    day: date,
    *,
    theme: tuple[str, str, str, tuple[int, int, int]] | None = None,
    name: str = "",
    total: int | None = None,
    project: Project | None = None,
    campaign: str = "",
    action: str = "",
    description: str = "",
    named: list[int] | None = None,
) -> None:
    kind, title, spot, weights = theme or rng.choice(ACTIVITY_THEMES)[:4]
    elders, children, others = _counts(rng, weights, total or rng.randint(15, 80))
    activity = CommunityActivity(
        station_id=station.pk,
        name=name or title,
        kind=kind,
        region_id=place.pk,
        place=spot,
        held_on=day,
        organisers=f"{station.name}、{_committee(place.name)}",
        campaign=campaign,
        campaign_action=action,
        project_id=project.pk if project else None,
        elders_count=elders,
        children_count=children,
        others_count=others,
        description=description,
    )
    activity._history_date = _at(day)  # type: ignore[attr-defined]
    participants = []
    for pk in named or []:
        participants.append(
            ActivityParticipant(activity=activity, recipient_id=pk, name="", group="child")
        )
    if not named and rng.random() < 0.3:
        for _ in range(rng.randint(2, 6)):
            group = rng.choices(["elder", "child", "other"], weights=[elders, children, others])[0]
            participants.append(
                ActivityParticipant(
                    activity=activity,
                    recipient_id=None,
                    name=person_name(rng, rng.random() < 0.55),
                    group=group,
                )
            )
    for participant in participants:
        participant._history_date = _at(day)  # type: ignore[attr-defined]
    writer.activities.append((activity, participants))
    partners = writer.partners_of.get(station.pk, [])
    if partners and rng.random() < 0.35:
        writer.partners.append(
            (activity, rng.sample(partners, min(len(partners), rng.randint(1, 2))))
        )
    helpers = writer.volunteers_of.get(station.pk, [])
    if helpers and rng.random() < 0.5:
        chosen = rng.sample(helpers, min(len(helpers), rng.randint(1, 4)))
        given = rng.choice(["1.5", "2", "2", "3", "4"])
        writer.hours.append((activity, place.pk, chosen, given))


def _plan_campaign(
    rng: random.Random, writer: _Writer, station: Station, places: list[Region]
) -> None:
    """The 2023 国际社工日 campaign's "四个一" at a station open then."""
    for action, title, description in CAMPAIGN_ACTIONS:
        if action == CampaignAction.SCREEN and rng.random() < 0.2:
            continue  # not every town had a screen
        day = SOCIAL_WORK_DAY_2023 + timedelta(days=rng.randint(-6, 4))
        theme = (ActivityKind.CAMPAIGN, title, "镇（街道）社工站", (4, 1, 5))
        _plan_activity(
            rng,
            writer,
            station,
            rng.choice(places),
            day,
            theme=theme,
            total=rng.randint(20, 120) if action != CampaignAction.EXAM else rng.randint(8, 30),
            campaign=CAMPAIGN_2023,
            action=action,
            description=description,
        )


def _plan_seeds(
    rng: random.Random,
    writer: _Writer,
    stations: list[Station],
    staff: dict[int, list[int]],
    villages: dict[str, list[Region]],
    today: date,
) -> None:
    by_code = {station.region.code: station for station in stations}
    places = {region.code: region for group in villages.values() for region in group}
    summer = date(today.year if today.month > 7 else today.year - 1, 7, 18)
    dongqiao = by_code.get(DONGQIAO)
    if dongqiao is not None and DONGQIAO_VILLAGE in places:
        for offset, lesson in enumerate(("整理书包与书桌", "衣物折叠收纳", "我的小房间")):
            _plan_activity(
                rng,
                writer,
                dongqiao,
                places[DONGQIAO_VILLAGE],
                summer + timedelta(days=7 * offset),
                theme=(ActivityKind.CLASS, "", "洞桥村儿童之家", (0, 9, 1)),
                name=f"暑期儿童收纳整理课堂·{lesson}",
                total=rng.randint(22, 30),
                description="社工带领村里的孩子学习收纳整理，培养自理能力和良好生活习惯。",
            )
    yunlong = by_code.get(YUNLONG)
    if yunlong is not None and JIACUN in places:
        for month in (5, 9):
            day = date(summer.year, month, 12)
            if day <= today:
                _plan_activity(
                    rng,
                    writer,
                    yunlong,
                    places[JIACUN],
                    day,
                    theme=(ActivityKind.SQUARE, "", "甲村村文化广场", (6, 2, 2)),
                    name="甲村村广场活动",
                    total=rng.randint(80, 150),
                    description="广场舞展示、健康义诊、政策宣传和社工服务咨询。",
                )
    zhouxiang = by_code.get(ZHOUXIANG)
    project = (
        Project.objects.filter(name=XIANGYANG_PROJECT, station__region__code=ZHOUXIANG)
        .order_by("-starts_on")
        .first()
    )
    if zhouxiang is not None and project is not None and staff.get(zhouxiang.pk):
        children = list(
            ProjectEnrolment.objects.filter(project=project)
            .order_by("pk")
            .values_list("recipient_id", flat=True)
        )
        start = max(project.starts_on, today - timedelta(days=330))
        _plan_group(
            rng,
            writer,
            zhouxiang,
            staff[zhouxiang.pk],
            villages.get(ZHOUXIANG[:9], []),
            {},
            (
                GroupKind.GROWTH,
                "",
                "陪伴困境儿童成长，提升自信与学习动力。",
                "巷爱翼生·向阳飞翔项目的困境儿童",
                "相识相知|我的梦想|情绪小管家|学习方法分享|感恩与表达|成长展示会",
            ),
            start,
            today,
            name="巷爱翼生·向阳成长小组",
            starts_on=start,
            project=project,
            recipients=children[:12],
        )
        zhouxiang_places = villages.get(ZHOUXIANG[:9], [])
        for offset, title in enumerate(
            ("巷爱翼生·亲子运动会", "巷爱翼生·暑期托管课堂", "巷爱翼生·中秋团圆会")
        ):
            day = start + timedelta(days=60 + 90 * offset)
            if day > today or not zhouxiang_places:
                continue
            _plan_activity(
                rng,
                writer,
                zhouxiang,
                zhouxiang_places[offset % len(zhouxiang_places)],
                day,
                theme=(ActivityKind.FESTIVAL, "", "周巷镇社工站", (0, 7, 3)),
                name=title,
                total=rng.randint(30, 50),
                project=project,
                named=children[: rng.randint(5, 10)],
            )


def _write(writer: _Writer) -> dict[str, int]:
    insert_objects(Group, writer.groups)
    through = Group.facilitators.through
    through.objects.bulk_create(
        [
            through(group_id=group.pk, socialworker_id=worker)
            for group, workers in writer.facilitators
            for worker in workers
        ],
        batch_size=2000,
    )
    members: list[GroupMember] = []
    for group, member_rows in writer.members:
        for member in member_rows:
            member.group_id = group.pk
            members.append(member)
    insert_objects(GroupMember, members)
    sessions: list[GroupSession] = []
    for group, planned in writer.sessions:
        for session, _present, _names in planned:
            session.group_id = group.pk
            sessions.append(session)
    insert_objects(GroupSession, sessions)
    member_lists = {id(group): member_rows for group, member_rows in writer.members}
    attendance: list[SessionAttendance] = []
    for group, planned in writer.sessions:
        group_members = member_lists[id(group)]
        for held, present, names in planned:
            marks: list[tuple[int | None, str]] = [
                (group_members[index].pk, "") for index in present
            ]
            marks += [(None, name) for name in names]
            for member_id, name in marks:
                mark = SessionAttendance(session_id=held.pk, member_id=member_id, name=name)
                mark._history_date = held._history_date  # type: ignore[attr-defined]
                attendance.append(mark)
    insert_objects(SessionAttendance, attendance)
    activities = [activity for activity, _rows in writer.activities]
    insert_objects(CommunityActivity, activities)
    participants: list[ActivityParticipant] = []
    for activity, named in writer.activities:
        for participant in named:
            participant.activity_id = activity.pk
            participants.append(participant)
    insert_objects(ActivityParticipant, participants)
    partner_through = CommunityActivity.partners.through
    partner_through.objects.bulk_create(
        [
            partner_through(communityactivity_id=activity.pk, partner_id=pk)
            for activity, pks in writer.partners
            for pk in pks
        ],
        batch_size=2000,
    )
    hours: list[ActivityVolunteer] = []
    for occasion, region_id, volunteer_ids, given in writer.hours:
        is_activity = isinstance(occasion, CommunityActivity)
        for volunteer_id in volunteer_ids:
            given_row = ActivityVolunteer(
                activity_id=occasion.pk if is_activity else None,
                session_id=None if is_activity else occasion.pk,
                volunteer_id=volunteer_id,
                hours=Decimal(given),
                region_id=region_id,
            )
            given_row._history_date = occasion._history_date  # type: ignore[attr-defined]
            hours.append(given_row)
    insert_objects(ActivityVolunteer, hours)
    return {
        "groups": len(writer.groups),
        "sessions": len(sessions),
        "attendance": len(attendance),
        "activities": len(activities),
        "hours": len(hours),
    }


__all__: list[Any] = ["build_community"]
