"""Demo: residents' micro-governance (issue 13, "Community micro-governance"; domain.md §3).

众筹微治 proposals over the demo year (the last twelve months), in every stage: the named ones of
the seeds in their real places — 云龙镇's 百老弄花卉种植 (at 云龙村, solved: the lane became a
garden the residents look after) and 中河街道's 奥丽赛大厦翻新 (being solved, the owners'
money still coming in) — and a few more in other towns of 鄞州区 (where 众筹微治 was born) and
elsewhere. Each has its "五筹" pledges of all five kinds (the station's project, residents'
ideas, the town's enterprises' resources, residents' and charities' money — part of it
received —, volunteers), and its meetings (议事) as it went through its stages.

月湖街道's 13 邻舍家 residents' self-governance stations (partners of the linkage demo) hold a
council meeting (理事会) about every month, supported by the station.

Rows are written in bulk with one history row each (demo/bulk.py); a proposal's history shows
its current stage only. The step is idempotent: once a proposal exists, it is left alone.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from swstation.community.models import (
    GovernanceMeeting,
    Pledge,
    PledgeKind,
    PledgeSource,
    Proposal,
    ProposalOutcome,
    ProposalStage,
)
from swstation.demo.bulk import analyze, insert_objects
from swstation.demo.history import demo_history
from swstation.demo.stations import person_name, random_day
from swstation.linkage.models import Partner, PartnerKind
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind, StationStatus
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import SocialWorker

YUNLONG_VILLAGE = "330212108202"  # 云龙村, 云龙镇
ZHONGHE_COMMUNITY = "330212005001"  # 东裕社区, 中河街道
YUEHU = "330203004000"  # 月湖街道, 海曙区

# (name, place, problem, proposal, stage, outcome, budget)
SEEDS: list[tuple[str, str, str, str, str, str, str, int]] = [
    (
        YUNLONG_VILLAGE,
        "百老弄花卉种植",
        "百老弄",
        "百老弄墙角常年堆放杂物、垃圾，蚊蝇滋生，居民意见大。",
        "清理堆物后由居民认领花箱、种植花卉，成立护绿小组轮流养护，把弄堂变成花园。",
        ProposalStage.CLOSED,
        ProposalOutcome.SOLVED,
        12000,
    ),
    (
        ZHONGHE_COMMUNITY,
        "奥丽赛大厦翻新",
        "奥丽赛大厦",
        "大厦建成二十余年，外墙剥落、楼道灯损坏、消防通道被占，业主多次反映。",
        "业主议事确定翻新清单，业主、物业和周边企业共同出资，分期完成楼道与外立面翻新。",
        ProposalStage.SOLVING,
        "",
        380000,
    ),
]
# (name, place, problem, proposal, budget)
THEMES: list[tuple[str, str, str, str, int]] = [
    (
        "楼道堆物清理",
        "老旧小区楼道",
        "楼道内堆放纸箱、旧家具，存在消防隐患。",
        "居民议事约定清理时间，设置共享储物角，由楼道长督促。",
        3000,
    ),
    (
        "小区停车位规划",
        "小区主干道",
        "车辆乱停乱放，消防车无法通行。",
        "重新划定停车位，居民议定停车公约并轮值管理。",
        20000,
    ),
    (
        "加装电梯议事",
        "老旧住宅楼",
        "多层住宅老人上下楼困难。",
        "逐幢征求意见，协调低层住户，众筹加装电梯费用。",
        300000,
    ),
    (
        "村口凉亭修缮",
        "村口凉亭",
        "凉亭年久失修，老人纳凉无处可坐。",
        "村民投工投劳，企业捐赠材料，修缮凉亭并添置座椅。",
        15000,
    ),
    (
        "儿童游乐角改造",
        "小区空地",
        "小区空地杂草丛生，孩子们没有玩耍的地方。",
        "家长议事设计游乐角，认领设施，志愿者定期维护。",
        25000,
    ),
    (
        "共享菜园",
        "村后闲置地",
        "闲置地被随意种菜、堆放垃圾。",
        "统一规划为共享菜园，认领地块，收成分享给独居老人。",
        8000,
    ),
    (
        "河道护绿",
        "村前小河",
        "河道两岸垃圾多，水质变差。",
        "组建护河志愿队，企业认捐绿化苗木，定期巡河。",
        10000,
    ),
    (
        "垃圾分类督导",
        "小区垃圾投放点",
        "垃圾分类准确率低，投放点脏乱。",
        "居民志愿者定时督导，积分兑换奖励，改造投放点。",
        6000,
    ),
]
# Where the other proposals stand: a few towns of 鄞州区 and one of each other district.
OTHER_TOWNS = 8
OPEN_STAGES = (ProposalStage.FOUND, ProposalStage.DISCUSSING, ProposalStage.SOLVING)
CLOSED_OUTCOMES = (ProposalOutcome.SOLVED, ProposalOutcome.PARTLY, ProposalOutcome.DROPPED)
RESULTS: dict[str, str] = {
    ProposalOutcome.SOLVED: "问题已解决，居民自发组建小组长期维护。",
    ProposalOutcome.PARTLY: "主要问题已解决，剩余事项纳入下一年度议事计划。",
    ProposalOutcome.DROPPED: "居民意见分歧较大，经议事决定暂缓实施。",
}
MEETING_TOPICS = {
    ProposalStage.FOUND: ("问题征集：居民反映情况", "现场踏勘与问题梳理"),
    ProposalStage.DISCUSSING: ("议事会：讨论解决方案", "五筹动员：认领项目与资源"),
    ProposalStage.SOLVING: ("实施进度通报", "资金使用公示与验收"),
}
COUNCIL_TOPICS = (
    "楼道环境整治",
    "邻里节活动筹备",
    "独居老人结对探访",
    "小区停车秩序",
    "加装电梯意见征集",
    "垃圾分类督导排班",
    "夏季防汛防台",
    "物业服务满意度",
    "平安小区巡逻",
    "新春慰问安排",
)


def build_governance(log: Callable[[str], None]) -> None:
    if Proposal.objects.exists():
        log("governance: already built")
        return
    rng = random.Random("demo-governance")
    today = demo_history().end
    year_start = today - timedelta(days=365)
    plan = _Plan(rng, today, year_start)
    regions = {r.code: r for r in Region.objects.filter(code__in=[s[0] for s in SEEDS])}
    for seed in SEEDS:
        village = regions.get(seed[0])
        station = plan.station_of(seed[0])
        if village is not None and station is not None:
            plan.proposal(station, village, *seed[1:], named=True)
    # Every stage and every outcome among the others, each theme once before any repeats.
    themes = rng.sample(THEMES, len(THEMES))
    stages = [*OPEN_STAGES, ProposalStage.CLOSED]
    made = 0
    for station in plan.other_stations():
        villages = list(
            Region.objects.filter(level="village", code__startswith=station.region.prefix)
            .order_by("code")
            .values_list("pk", flat=True)[:30]
        )
        if not villages:
            continue
        for _ in range(rng.randint(1, 2)):
            name, place, problem, solution, budget = themes[made % len(themes)]
            stage = stages[made % len(stages)]
            outcome = (
                CLOSED_OUTCOMES[(made // len(stages)) % len(CLOSED_OUTCOMES)]
                if stage == ProposalStage.CLOSED
                else ""
            )
            village = Region(pk=rng.choice(villages))
            plan.proposal(station, village, name, place, problem, solution, stage, outcome, budget)
            made += 1
    plan.councils()
    counts = plan.write()
    analyze([Proposal, Pledge, GovernanceMeeting])
    log(
        "governance: {proposals} proposals, {pledges} pledges, {meetings} meetings, "
        "{councils} council meetings".format(**counts)
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(15)))


class _Plan:
    def __init__(self, rng: random.Random, today: date, year_start: date) -> None:
        self.rng, self.today, self.year_start = rng, today, year_start
        self.stations = {
            s.region.code: s
            for s in Station.objects.filter(
                kind=StationKind.TOWNSHIP,
                status=StationStatus.OPERATING,
                opened_on__isnull=False,
                opened_on__lte=year_start,
                region__level="township",
            ).select_related("region")
        }
        self.proposals: list[Proposal] = []
        self.partners: list[tuple[Proposal, list[int]]] = []
        self.pledges: list[tuple[Proposal, list[Pledge]]] = []
        self.meetings: list[tuple[Proposal | None, GovernanceMeeting]] = []
        self.council_count = 0
        self._workers: dict[int, list[int]] = {}
        self._volunteers: dict[int, list[int]] = {}
        self._partners: dict[str, list[tuple[int, str]]] = {}

    def station_of(self, code: str) -> Station | None:
        return self.stations.get(code[:9] + "000")

    def other_stations(self) -> list[Station]:
        taken = {YUNLONG_VILLAGE[:9], ZHONGHE_COMMUNITY[:9]}
        codes = sorted(c for c in self.stations if c[:9] not in taken)
        yinzhou = [c for c in codes if c.startswith("330212")]
        elsewhere = [c for c in codes if not c.startswith("330212")]
        chosen = self.rng.sample(yinzhou, min(4, len(yinzhou)))
        chosen += self.rng.sample(elsewhere, min(OTHER_TOWNS - len(chosen), len(elsewhere)))
        return [self.stations[c] for c in sorted(chosen)]

    def workers(self, station: Station) -> list[int]:
        if station.pk not in self._workers:
            self._workers[station.pk] = list(
                SocialWorker.objects.filter(station=station, left_on__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        return self._workers[station.pk]

    def volunteers(self, station: Station) -> list[int]:
        if station.pk not in self._volunteers:
            self._volunteers[station.pk] = list(
                Volunteer.objects.filter(station=station, left_on__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:50]
            )
        return self._volunteers[station.pk]

    def town_partners(self, station: Station) -> list[tuple[int, str]]:
        """(pk, kind) of the partners of the station's town and district."""
        code = station.region.code
        if code not in self._partners:
            county = code[:6] + "000000"
            self._partners[code] = list(
                Partner.objects.filter(region__code__in=[code, county], active=True)
                .exclude(kind=PartnerKind.SELF_GOVERNANCE)
                .order_by("pk")
                .values_list("pk", "kind")
            )
        return self._partners[code]

    def proposal(
        self,
        station: Station,
        village: Region,
        name: str,
        place: str,
        problem: str,
        solution: str,
        stage: str,
        outcome: str,
        budget: int,
        named: bool = False,
    ) -> None:
        rng, today = self.rng, self.today
        workers = self.workers(station)
        if not workers:
            return
        # Where it stands gives how long ago it was raised.
        steps = (*OPEN_STAGES, ProposalStage.CLOSED).index(stage)
        raised = random_day(
            rng,
            self.year_start,
            today - timedelta(days=30 + 45 * steps) if steps else today - timedelta(days=20),
        )
        closed_on = (
            random_day(rng, raised + timedelta(days=60), today - timedelta(days=5))
            if stage == ProposalStage.CLOSED
            else None
        )
        until = closed_on or today
        proposal = Proposal(
            station_id=station.pk,
            name=name,
            region_id=village.pk,
            place=place,
            problem=problem,
            solution=solution,
            raised_on=raised,
            lead_worker_id=rng.choice(workers),
            budget=Decimal(budget),
            stage=stage,
            closed_on=closed_on,
            outcome=outcome,
            result=RESULTS.get(outcome, "") if outcome else "",
        )
        proposal._history_date = _at(closed_on or raised)  # type: ignore[attr-defined]
        self.proposals.append(proposal)
        partners = self.town_partners(station)
        others = [pk for pk, kind in partners if kind != PartnerKind.CHARITY]
        charities = [pk for pk, kind in partners if kind == PartnerKind.CHARITY]
        self.partners.append((proposal, rng.sample(others, min(len(others), 2))))
        # Pledges come once the residents discuss it (a problem just found has a few ideas).
        pledged_from = raised + timedelta(days=7)
        rows: list[Pledge] = []

        def pledge(kind: str, source: str, **fields: Any) -> None:
            day = random_day(rng, min(pledged_from, until), until)
            row = Pledge(kind=kind, source=source, pledged_on=day, **fields)
            row._history_date = _at(day)  # type: ignore[attr-defined]
            rows.append(row)

        for _ in range(rng.randint(2, 4)):
            pledge(
                PledgeKind.WISDOM,
                PledgeSource.RESIDENT,
                resident_name=person_name(rng, rng.random() < 0.6),
                description=rng.choice(
                    ("提出改造方案", "画设计草图", "出点子、提建议", "联系业主")
                ),
            )
        if stage != ProposalStage.FOUND or named:
            pledge(
                PledgeKind.PROJECT,
                PledgeSource.STATION,
                description="纳入社工站“五社联动”微治理项目",
            )
            if others:
                pledge(
                    PledgeKind.RESOURCES,
                    PledgeSource.ORGANISATION,
                    partner_id=rng.choice(others),
                    description=rng.choice(("捐赠材料", "提供场地", "提供工具和车辆", "花苗200株")),
                )
            volunteers = self.volunteers(station)
            if volunteers:
                pledge(
                    PledgeKind.TALENT,
                    PledgeSource.VOLUNTEER,
                    volunteer_id=rng.choice(volunteers),
                    description=rng.choice(("园艺养护", "施工监督", "宣传发动", "轮值管理")),
                    people_count=rng.randint(2, 8),
                )
            pledge(
                PledgeKind.TALENT,
                PledgeSource.RESIDENT,
                resident_name=person_name(rng, False),
                description="退休工程师，义务指导",
                people_count=1,
            )
            # Money: a few residents and an organisation or a charity; what is received
            # depends on how far it went (a closed solved proposal has all of it).
            shares: dict[str, float] = {ProposalStage.DISCUSSING: 0.3, ProposalStage.SOLVING: 0.7}
            share = shares.get(stage, 1.0)
            if outcome == ProposalOutcome.DROPPED:
                share = 0.0
            givers: list[dict[str, Any]] = [
                {
                    "source": PledgeSource.RESIDENT,
                    "resident_name": person_name(rng, rng.random() < 0.5),
                }
                for _ in range(rng.randint(2, 5))
            ]
            if charities:
                givers.append({"source": PledgeSource.CHARITY, "partner_id": rng.choice(charities)})
            elif others:
                givers.append(
                    {"source": PledgeSource.ORGANISATION, "partner_id": rng.choice(others)}
                )
            weights = [rng.randint(1, 3) for _ in givers[:-1]] + [len(givers) * 3]
            for index, (giver, weight) in enumerate(zip(givers, weights, strict=True)):
                amount = Decimal(round(budget * weight / sum(weights), -1) or 100)
                received = amount if rng.random() < share else Decimal(0)
                if index == len(givers) - 1 and 0 < share < 1:
                    # The biggest pledge of a proposal under way comes in instalments.
                    received = Decimal(round(float(amount) * share, -1))
                pledge(
                    PledgeKind.FUNDS,
                    amount_pledged=amount,
                    amount_received=received,
                    **giver,
                )
        self.pledges.append((proposal, rows))
        # A meeting or two at each stage it went through.
        reached = list(OPEN_STAGES)[: steps + 1] if stage != ProposalStage.CLOSED else OPEN_STAGES
        span = max(1, (until - raised).days)
        for index, step in enumerate(reached):
            start = raised + timedelta(days=span * index // len(reached))
            end = raised + timedelta(days=span * (index + 1) // len(reached))
            for topic in MEETING_TOPICS[step][: rng.randint(1, 2)]:
                day = random_day(rng, start, max(start, end))
                meeting = GovernanceMeeting(
                    held_on=day,
                    place=rng.choice(("村民议事厅", "社区会议室", f"{place}现场", "文化礼堂")),
                    attendee_count=rng.randint(8, 40),
                    attendee_names="",
                    topics=f"{name}：{topic}",
                    decisions=rng.choice(
                        (
                            "形成初步方案，下次会议表决。",
                            "全体参会居民同意方案，分工落实。",
                            "资金使用情况公示，无异议。",
                            "明确责任人和完成时间。",
                        )
                    ),
                    region_id=village.pk,
                )
                meeting._history_date = _at(day)  # type: ignore[attr-defined]
                self.meetings.append((proposal, meeting))

    def councils(self) -> None:
        """A council meeting of each 邻舍家 of 月湖街道 about every month of the demo year."""
        rng = self.rng
        for pk, region_id, name in (
            Partner.objects.filter(kind=PartnerKind.SELF_GOVERNANCE, region__code=YUEHU)
            .order_by("pk")
            .values_list("pk", "region_id", "name")
        ):
            day = self.year_start + timedelta(days=rng.randint(0, 20))
            while day <= self.today:
                topic = rng.choice(COUNCIL_TOPICS)
                meeting = GovernanceMeeting(
                    council_id=pk,
                    held_on=day,
                    place=f"{name}活动室",
                    attendee_count=rng.randint(5, 15),
                    attendee_names="、".join(
                        person_name(rng, rng.random() < 0.5) for _ in range(rng.randint(3, 6))
                    ),
                    topics=f"理事会：{topic}",
                    decisions=f"议定{topic}事项，社工站协助落实。",
                    region_id=region_id,
                )
                meeting._history_date = _at(day)  # type: ignore[attr-defined]
                self.meetings.append((None, meeting))
                self.council_count += 1
                day += timedelta(days=rng.randint(25, 35))

    def write(self) -> dict[str, int]:
        insert_objects(Proposal, self.proposals)
        through = Proposal.partners.through
        through.objects.bulk_create(
            [
                through(proposal_id=proposal.pk, partner_id=pk)
                for proposal, pks in self.partners
                for pk in pks
            ],
            batch_size=2000,
        )
        pledges: list[Pledge] = []
        for proposal, rows in self.pledges:
            for row in rows:
                row.proposal_id = proposal.pk
                pledges.append(row)
        insert_objects(Pledge, pledges)
        meetings: list[GovernanceMeeting] = []
        for of, meeting in self.meetings:
            if of is not None:
                meeting.proposal_id = of.pk
            meetings.append(meeting)
        insert_objects(GovernanceMeeting, meetings)
        return {
            "proposals": len(self.proposals),
            "pledges": len(pledges),
            "meetings": len(meetings) - self.council_count,
            "councils": self.council_count,
        }


__all__: list[Any] = ["build_governance"]
