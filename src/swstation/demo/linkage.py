"""Demo step: the partners, resources and referrals of the demo city (issue 13, "Demo city").

- every service agency is a partner of kind ``social_org`` (linkage/signals.py; the agencies
  were made in bulk, without the signal);
- the city's charities (宁波市慈善总会, 宁波市红十字会, the charity base
  宁波市甬尚慈善社工服务中心);
- each district's departments: 司法局, 退役军人事务局, 妇联, 残联, 人社局, 卫健局, 教育局;
- around each township station: a school, a hospital (卫生院 or 社区卫生服务中心), a
  居家养老服务中心, a charity branch, an association and a couple of enterprises, each
  serving some villages;
- 慈城镇's 24 enterprises of 慈缘驿站 with their 449 seasonal jobs (domain.md §3), and
  慈城镇妇女联合会;
- 月湖街道's 13 邻舍家 residents' self-governance stations (the community app will hold their
  councils);
- the resources they offer, and referrals of each station's case recipients by the case's worker,
  in every state (some waiting past their due day, so the agenda has overdue answers).

Deterministic (``random.Random("demo-linkage")`` over querysets in a fixed order, dates relative
to the build day); a second run finds the partners and changes nothing. Bulk writes with their
history: a few seconds for the whole city.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from simple_history.utils import bulk_create_with_history

from swstation.cases.models import Case
from swstation.demo.bulk import analyze
from swstation.demo.history import demo_history
from swstation.linkage.models import (
    Department,
    Partner,
    PartnerKind,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Resource,
    ResourceKind,
)
from swstation.linkage.signals import partners_for_agencies
from swstation.regions.codes import significant_prefix
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind, StationStatus

CITY_CODE = "330200000000"
CICHENG = "330205103000"
YUEHU = "330203004000"
BATCH = 1000

DEPARTMENTS = (
    (Department.JUSTICE, "司法局"),
    (Department.VETERANS, "退役军人事务局"),
    (Department.WOMEN, "妇女联合会"),
    (Department.DISABLED, "残疾人联合会"),
    (Department.HUMAN_RESOURCES, "人力资源和社会保障局"),
    (Department.HEALTH, "卫生健康局"),
    (Department.EDUCATION, "教育局"),
)
# 慈城镇's enterprises linked by 慈缘驿站 (plausible names) and their seasonal jobs: 449 in all.
CICHENG_ENTERPRISES = (
    "年糕食品",
    "古县城文旅",
    "服饰",
    "家用电器",
    "塑料制品",
    "五金工具",
    "汽车零部件",
    "包装材料",
    "家纺",
    "农业发展",
    "茶业",
    "模具",
    "纸品",
    "园林绿化",
    "物业服务",
    "餐饮管理",
    "电子科技",
    "精密机械",
    "印刷",
    "家具",
    "物流",
    "保洁服务",
    "酒店管理",
    "水产食品",
)
CICHENG_JOBS = 449
NEIGHBOURS = (
    "天一家园",
    "青石",
    "平桥",
    "马衙",
    "郡庙",
    "偃月",
    "贯桥",
    "镇明",
    "孝闻",
    "银台",
    "花果园",
    "天封",
    "柳汀",
)
TOWN_ENTERPRISES = ("食品", "纺织", "机械", "电器", "物业", "商贸")
RESOURCES_BY_KIND: dict[str, tuple[tuple[ResourceKind, str, str, int], ...]] = {
    # (resource kind, title, unit, typical capacity)
    PartnerKind.ENTERPRISE: (
        (ResourceKind.JOBS, "季节性就业岗位", "个岗位", 12),
        (ResourceKind.GOODS, "节日慰问物资", "份", 50),
        (ResourceKind.MONEY, "困难家庭帮扶金", "元", 20000),
    ),
    PartnerKind.SCHOOL: (
        (ResourceKind.VENUE, "周末活动教室", "场/月", 4),
        (ResourceKind.VOLUNTEERS, "师生志愿服务", "人次/月", 20),
    ),
    PartnerKind.HOSPITAL: (
        (ResourceKind.SERVICES, "上门健康随访", "人次/月", 30),
        (ResourceKind.SERVICES, "家庭医生签约服务", "户", 80),
    ),
    PartnerKind.ELDERLY_CARE: (
        (ResourceKind.SERVICES, "助餐助浴服务", "人次/周", 40),
        (ResourceKind.VENUE, "日间照料床位", "张", 10),
    ),
    PartnerKind.CHARITY: (
        (ResourceKind.MONEY, "临时困难救助金", "元", 50000),
        (ResourceKind.GOODS, "爱心物资包", "份", 100),
    ),
    PartnerKind.GOVERNMENT: (
        (ResourceKind.SERVICES, "政策咨询与办理", "人次/月", 50),
        (ResourceKind.MONEY, "专项补助", "元", 100000),
    ),
    PartnerKind.SOCIAL_ORG: (
        (ResourceKind.SERVICES, "专业社工服务", "人次/月", 30),
        (ResourceKind.VOLUNTEERS, "志愿者队伍", "人", 25),
    ),
    PartnerKind.SELF_GOVERNANCE: (
        (ResourceKind.VENUE, "小区议事空间", "场/月", 4),
        (ResourceKind.VOLUNTEERS, "楼道志愿者", "人", 10),
    ),
    PartnerKind.OTHER: ((ResourceKind.VOLUNTEERS, "老年协会互助小组", "人", 15),),
}
SERVICES_BY_KIND: dict[str, tuple[str, ...]] = {
    PartnerKind.ENTERPRISE: ("就业岗位对接", "节日慰问物资"),
    PartnerKind.SCHOOL: ("课业辅导", "心理健康辅导"),
    PartnerKind.HOSPITAL: ("慢病随访", "康复评估"),
    PartnerKind.ELDERLY_CARE: ("助餐服务", "日间照料"),
    PartnerKind.CHARITY: ("临时救助申请", "助学金申请"),
    PartnerKind.GOVERNMENT: ("残疾人两项补贴申请", "法律援助", "就业援助登记", "困境妇女帮扶"),
    PartnerKind.SOCIAL_ORG: ("个案心理支持", "家庭关系调适"),
    PartnerKind.SELF_GOVERNANCE: ("邻里互助结对",),
    PartnerKind.OTHER: ("老年互助",),
}
DECLINE_REASONS = ("名额已满", "不符合申请条件", "服务范围以外", "材料不全，需补充后再转介")
WITHDRAW_REASONS = ("服务对象已通过其他渠道解决", "服务对象迁出本地", "服务对象不再需要该服务")
FEEDBACK = (
    "已按约提供服务，服务对象满意。",
    "已完成对接，后续由社区跟进。",
    "部分需求已解决，其余建议转介其他机构。",
    "服务对象未按约到场，需求未能解决。",
)


def _phone(rng: random.Random) -> str:
    return f"0574-{rng.randint(55000000, 89999999)}"


def build_linkage(log: Callable[[str], None]) -> None:
    agencies = partners_for_agencies()
    if Partner.objects.filter(agency__isnull=True).exists():
        log(f"linkage: already built ({Referral.objects.count()} referrals)")
        return
    rng = random.Random("demo-linkage")
    today = demo_history().end
    city = Region.objects.get(code=CITY_CODE)
    stations = list(
        Station.objects.filter(
            kind=StationKind.TOWNSHIP,
            status__in=(StationStatus.OPERATING, StationStatus.SUSPENDED),
        )
        .select_related("region", "region__parent")
        .order_by("region__code")
    )
    villages: dict[int, list[Region]] = defaultdict(list)
    for village in Region.objects.filter(
        level="village", parent__in=[s.region_id for s in stations]
    ).order_by("code"):
        villages[village.parent_id or 0].append(village)
    districts = sorted(
        {s.region.parent for s in stations if s.region.parent is not None}, key=lambda r: r.code
    )

    # --- partners --------------------------------------------------------------------------
    partners: list[Partner] = []
    serves: list[tuple[Partner, list[Region]]] = []

    def partner(name: str, kind: str, region: Region, **extra: Any) -> Partner:
        served = extra.pop("serves", [])
        item = Partner(name=name, kind=kind, region=region, **extra)
        partners.append(item)
        if served:
            serves.append((item, served))
        return item

    partner(
        "宁波市慈善总会",
        PartnerKind.CHARITY,
        city,
        contact_name="办公室",
        contact_phone=_phone(rng),
    )
    partner("宁波市红十字会", PartnerKind.CHARITY, city, contact_phone=_phone(rng))
    partner(
        "宁波市甬尚慈善社工服务中心",
        PartnerKind.CHARITY,
        city,
        description="全市慈善社工基地",
        contact_phone=_phone(rng),
    )
    for district in districts:
        for department, suffix in DEPARTMENTS:
            partner(
                f"{district.name}{suffix}",
                PartnerKind.GOVERNMENT,
                district,
                department=department,
                contact_name="科室联络员",
                contact_phone=_phone(rng),
            )
    for station in stations:
        town = station.region
        short = town.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        near = villages.get(town.pk, [])

        def some() -> list[Region]:
            return rng.sample(near, min(len(near), rng.randint(1, 3))) if near else []  # noqa: B023

        hospital = "卫生院" if town.name.endswith(("镇", "乡")) else "社区卫生服务中心"
        for name, kind in (
            (f"{short}中心小学", PartnerKind.SCHOOL),
            (f"{town.name}{hospital}", PartnerKind.HOSPITAL),
            (f"{town.name}居家养老服务中心", PartnerKind.ELDERLY_CARE),
            (f"{town.name}慈善分会", PartnerKind.CHARITY),
            (f"{town.name}老年协会", PartnerKind.OTHER),
        ):
            partner(
                name,
                kind,
                town,
                station=station,
                serves=some(),
                contact_name=rng.choice(("王", "李", "张", "陈", "周")) + "老师"
                if kind == PartnerKind.SCHOOL
                else "",
                contact_phone=_phone(rng),
            )
        if town.code != CICHENG:
            for trade in rng.sample(TOWN_ENTERPRISES, 2):
                partner(
                    f"宁波{short}{trade}有限公司",
                    PartnerKind.ENTERPRISE,
                    town,
                    station=station,
                    serves=some(),
                    contact_phone=_phone(rng),
                )
        else:
            for trade in CICHENG_ENTERPRISES:
                partner(
                    f"宁波慈城{trade}有限公司",
                    PartnerKind.ENTERPRISE,
                    town,
                    station=station,
                    serves=some(),
                    description="慈缘驿站合作企业：季节性用工",
                    contact_phone=_phone(rng),
                )
            partner(
                "慈城镇妇女联合会",
                PartnerKind.GOVERNMENT,
                town,
                station=station,
                department=Department.WOMEN,
                contact_phone=_phone(rng),
            )
        if town.code == YUEHU:
            for estate in NEIGHBOURS:
                partner(
                    f"{estate}邻舍家",
                    PartnerKind.SELF_GOVERNANCE,
                    town,
                    station=station,
                    serves=some()[:1],
                    description="小区居民自治服务站",
                )
    bulk_create_with_history(partners, Partner, batch_size=BATCH)
    through = Partner.serves.through
    through.objects.bulk_create(
        [through(partner_id=p.pk, region_id=r.pk) for p, regions in serves for r in regions],
        batch_size=BATCH,
    )
    everyone = list(Partner.objects.select_related("region").order_by("pk"))

    # --- resources -------------------------------------------------------------------------
    resources: list[Resource] = []
    year_start = date(today.year, 1, 1)
    cicheng_jobs = _split(CICHENG_JOBS, len(CICHENG_ENTERPRISES), rng)
    for item in everyone:
        if item.name.startswith("宁波慈城") and item.kind == PartnerKind.ENTERPRISE:
            resources.append(
                Resource(
                    partner=item,
                    kind=ResourceKind.JOBS,
                    title="慈缘驿站季节性岗位",
                    description="就近就业，适合照顾家庭的妇女",
                    capacity=cicheng_jobs.pop(),
                    capacity_unit="个岗位",
                    valid_from=year_start,
                    valid_to=date(today.year, 12, 31),
                )
            )
            continue
        offers = RESOURCES_BY_KIND.get(item.kind, ())
        for offer, title, unit, typical in rng.sample(offers, min(len(offers), rng.randint(1, 2))):
            start = today - timedelta(days=rng.randint(30, 700))
            ended = rng.random() < 0.15
            resources.append(
                Resource(
                    partner=item,
                    kind=offer,
                    title=title,
                    capacity=max(1, int(typical * rng.uniform(0.5, 1.5))),
                    capacity_unit=unit,
                    valid_from=start,
                    valid_to=today - timedelta(days=rng.randint(1, 20))
                    if ended
                    else (
                        None if rng.random() < 0.5 else today + timedelta(days=rng.randint(30, 365))
                    ),
                )
            )
    bulk_create_with_history(resources, Resource, batch_size=BATCH)
    offered: dict[int, list[Resource]] = defaultdict(list)
    for resource in resources:
        offered[resource.partner_id].append(resource)

    # --- referrals -------------------------------------------------------------------------
    by_town: dict[str, list[Partner]] = defaultdict(list)
    for item in everyone:
        by_town[item.region.code].append(item)
    referrals = _referrals(rng, today, stations, by_town, offered)
    bulk_create_with_history(referrals, Referral, batch_size=BATCH)
    analyze([Partner, Resource, Referral])
    log(
        f"linkage: {len(everyone)} partners ({agencies} agencies), {len(resources)} resources, "
        f"{len(referrals)} referrals"
    )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` in ``parts`` positive whole numbers."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _referrals(
    rng: random.Random,
    today: date,
    stations: list[Station],
    by_town: dict[str, list[Partner]],
    offered: dict[int, list[Resource]],
) -> list[Referral]:
    """Six to twelve referrals per station, of its cases' recipients by the case's worker,
    in every state by their age; the latest three sent in the last three weeks."""
    cases: dict[int, list[tuple[int, int, int, date]]] = defaultdict(list)
    rows = (
        Case.objects.filter(station__in=stations)
        .order_by("station_id", "pk")
        .values_list(
            "pk",
            "recipient_id",
            "recipient__region__code",
            "station_id",
            "worker_id",
            "worker__station_id",
            "opened_on",
        )
    )
    prefix = {s.pk: significant_prefix(s.region.code, s.region.level) for s in stations}
    for pk, recipient, code, station_pk, worker, worker_station, opened_on in rows:
        if worker_station == station_pk and code.startswith(prefix[station_pk]):
            cases[station_pk].append((pk, recipient, worker, opened_on))
    made: list[Referral] = []
    first_day = today - timedelta(days=365)
    for station in stations:
        mine = cases.get(station.pk)
        if not mine:
            continue
        district = station.region.code[:6].ljust(12, "0")
        choices = by_town.get(station.region.code, []) + by_town.get(district, [])
        choices += by_town.get(CITY_CODE, [])
        choices = [p for p in choices if p.active]
        picked = rng.sample(mine, min(len(mine), rng.randint(6, 12)))
        for n, (case_pk, recipient, worker, opened_on) in enumerate(picked):
            to = rng.choice(choices)
            sent = max(opened_on, first_day) + timedelta(days=rng.randint(0, 364))
            if n < 3:  # the station's latest: the first past its answer's day, one accepted
                sent = max(opened_on, today - timedelta(days=rng.randint(6 if n == 0 else 2, 20)))
            elif n < 6:  # one withdrawn, one declined, one completed, whatever the dice say
                sent = max(opened_on, today - timedelta(days=rng.randint(60, 300)))
            sent = min(sent, today - timedelta(days=1))
            due = sent + timedelta(days=rng.choice((5, 7, 10, 14)))
            resource = rng.choice(offered[to.pk]) if offered.get(to.pk) else None
            if resource is not None and rng.random() < 0.4:
                resource = None
            referral = Referral(
                recipient_id=recipient,
                case_id=case_pk if rng.random() < 0.7 else None,
                station_id=station.pk,
                worker_id=worker,
                partner=to,
                resource=resource,
                service=resource.title
                if resource is not None
                else rng.choice(SERVICES_BY_KIND.get(to.kind, ("综合服务",))),
                reason="经需求评估，需链接外部资源",
                note_for_partner="请与社工联系确认服务时间。",
                sent_on=sent,
                answer_due_on=due,
            )
            if n == 0 and sent < today - timedelta(days=5):
                referral.answer_due_on = min(due, today - timedelta(days=1))  # no answer yet
            elif n == 1:
                referral.status = ReferralStatus.ACCEPTED
                referral.answered_on = _after(sent, rng, today, 2)
            else:
                _advance(referral, rng, today, FORCED_ROLLS.get(n))
            made.append(referral)
    return made


# The dice of a station's 4th, 5th and 6th referral: withdrawn, declined, completed.
FORCED_ROLLS = {3: 0.09, 4: 0.2, 5: 0.9}


def _advance(
    referral: Referral, rng: random.Random, today: date, forced: float | None = None
) -> None:
    """Move a referral on by its age: the recent ones wait (some past their due day), the
    older ones were answered and moved on (``forced``: the dice's value, to reach a state)."""
    age = (today - referral.sent_on).days
    roll = rng.random() if forced is None else forced
    if age < 12 and roll < 0.6:
        return  # still waiting, maybe past its due day
    if roll < 0.06:
        return  # forgotten: long overdue
    if roll < 0.12:
        referral.status = ReferralStatus.WITHDRAWN
        referral.withdrawn_on = _after(referral.sent_on, rng, today, 20)
        referral.withdraw_reason = rng.choice(WITHDRAW_REASONS)
        return
    answered = _after(referral.sent_on, rng, today, 12)
    referral.answered_on = answered
    if roll < 0.25:
        referral.status = ReferralStatus.DECLINED
        referral.decline_reason = rng.choice(DECLINE_REASONS)
        return
    referral.status = ReferralStatus.ACCEPTED
    if (today - answered).days < 5 or roll < 0.33:
        return
    referral.status = ReferralStatus.IN_PROGRESS
    referral.started_on = _after(answered, rng, today, 7)
    if (today - referral.started_on).days < 20 or roll < 0.45:
        return
    referral.status = ReferralStatus.COMPLETED
    referral.completed_on = _after(referral.started_on, rng, today, 60)
    outcome = rng.choices(
        (ReferralOutcome.RESOLVED, ReferralOutcome.PARTLY, ReferralOutcome.UNRESOLVED),
        weights=(6, 3, 1),
    )[0]
    referral.outcome = outcome
    referral.feedback = FEEDBACK[
        {ReferralOutcome.RESOLVED: rng.choice((0, 1)), ReferralOutcome.PARTLY: 2}.get(outcome, 3)
    ]


def _after(day: date, rng: random.Random, today: date, within: int) -> date:
    return min(day + timedelta(days=rng.randint(1, within)), today)
