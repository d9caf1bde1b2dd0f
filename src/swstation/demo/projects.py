"""Demo projects (domain.md §1, "1+X+1"; issue 12): every township station's portfolio — one
困弱群体 (vulnerable groups) project, X 区域特色 (regional feature) projects and one 人才培养
(talent support) project a year — with the people they serve.

Projects run in yearly cycles, each station starting its cycle in a month of its own: the
current cycle is running, at its midterm evaluation or closing depending on how much of the
year has gone by on the day the demo is built; the cycle before it is closed (a few projects
were terminated, with a reason); where the current cycle ends within two months, next year's
proposals wait for approval. A few stations have a deliberately incomplete portfolio (no
talent-support or no vulnerable-groups project this cycle), so that the portfolio rule to come
has something to find. District hubs run the district's talent-support project; special
stations a project of their kind.

The projects of the seeds stand at their real stations: 招宝山街道's 幸福来敲门 (the 48 elders
over 80 of 后大街社区 with their twice-monthly health visits, from the cases step), 集士港镇's
幸福来敲门·助老 with its 馨心 volunteer team, 慈城镇's 慈缘驿站 (employment aid), 周巷镇's
巷爱翼生·向阳飞翔 (its 35 children in difficulty), 钟公庙街道's 鼎秀营 (the 金鼎/银鼎/文鼎
classes), 东柳街道's school station (8 schools), 大碶街道's 塔峙大阿嫂结对帮扶, and the exam
coaching of 匡堰镇 and 白沙路街道.

Vulnerable-groups and regional-feature projects enrol people of their villages in the target
groups, in service on the day they are enrolled; a closed or terminated project's enrolments
end with it. Projects and enrolments are written in bulk with the history rows the services
would have left (one per step of the life cycle, dated that day), so that a project's page
reads as if it had been worked through. The step is idempotent: once built, it is left alone.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone, translation

from swstation.accounts.models import User
from swstation.cases.models import VisitSchedule
from swstation.core.roles import Role
from swstation.demo.bulk import analyze, insert_with_history
from swstation.demo.stations import BATCH, add_years, random_day
from swstation.projects.models import (
    FundingLevel,
    Project,
    ProjectCategory,
    ProjectEnrolment,
    ProjectField,
    ProjectStatus,
)
from swstation.recipients.models import Category, Recipient, RecipientStatus
from swstation.regions.models import Region
from swstation.stations.models import SpecialKind, Station, StationKind, StationStatus
from swstation.workforce.models import Post, SocialWorker

ZHAOBAOSHAN = "330211001000"  # 招宝山街道, 镇海区
JISHIGANG = "330203102000"  # 集士港镇, 海曙区
CICHENG = "330205103000"  # 慈城镇, 江北区
ZHOUXIANG = "330282121000"  # 周巷镇, 慈溪市
ZHONGGONGMIAO = "330212002000"  # 钟公庙街道, 鄞州区
DONGLIU = "330212012000"  # 东柳街道, 鄞州区 (its school station)
DAQI = "330206004000"  # 大碶街道, 北仑区
KUANGYAN = "330282110000"  # 匡堰镇, 慈溪市
BAISHALU = "330282005000"  # 白沙路街道, 慈溪市
HOUDAJIE_PROJECT = "幸福来敲门"  # the visit schedules' project in demo/cases.py
ENROLMENT_COLUMNS = (
    "project_id",
    "recipient_id",
    "enrolled_on",
    "exited_on",
    "exit_reason",
    "note",
)

# The share of township stations whose current portfolio lacks a project (never a seed's).
MISSING_TALENT_SHARE = 0.06
MISSING_VULNERABLE_SHARE = 0.03
TERMINATED_SHARE = 0.08  # of the closed cycle's regional-feature projects
REGIONAL_COUNT_WEIGHTS = {0: 10, 1: 45, 2: 35, 3: 10}  # X of "1+X+1"
PROPOSAL_WINDOW = timedelta(days=60)  # next year's proposals once the cycle ends this soon

TARGETS: dict[str, tuple[str, ...]] = {
    ProjectField.ELDERLY: (
        "elderly_living_alone",
        "elderly_alone",
        "empty_nest_elderly",
        "advanced_age",
    ),
    ProjectField.CHILDREN: (
        "child_in_difficulty",
        "left_behind_child",
        "de_facto_unsupported_child",
    ),
    ProjectField.YOUTH: ("at_risk_youth", "left_behind_child"),
    ProjectField.DISABILITY: ("disabled",),
    ProjectField.FAMILY: ("difficult_family", "subsistence_allowance", "extreme_poverty"),
    ProjectField.EMPLOYMENT: ("subsistence_allowance", "marginal_subsistence", "migrant"),
    ProjectField.COMMUNITY_GOVERNANCE: (),
    ProjectField.TALENT: (),
    ProjectField.OTHER: (),
}
VULNERABLE_NAMES = {
    ProjectField.ELDERLY: ("“暖心守护”困弱老人关爱项目", "“夕阳红”独居老人关爱项目"),
    ProjectField.CHILDREN: ("困境儿童“护苗”成长项目",),
    ProjectField.DISABILITY: ("残疾人“同心圆”支持项目",),
    ProjectField.FAMILY: ("困难家庭“微心愿”帮扶项目", "困难群众“兜底+”关爱项目"),
}
VULNERABLE_FIELDS = [ProjectField.ELDERLY] * 5 + [
    ProjectField.CHILDREN,
    ProjectField.CHILDREN,
    ProjectField.DISABILITY,
    ProjectField.FAMILY,
    ProjectField.FAMILY,
]
REGIONAL = (
    ("“邻里守望”社区治理项目", ProjectField.COMMUNITY_GOVERNANCE),
    ("“银龄互助”睦邻项目", ProjectField.ELDERLY),
    ("“青春驿站”青少年成长项目", ProjectField.YOUTH),
    ("“乐业”就业帮扶项目", ProjectField.EMPLOYMENT),
    ("新市民融入服务项目", ProjectField.COMMUNITY_GOVERNANCE),
    ("“五社联动”微治理项目", ProjectField.COMMUNITY_GOVERNANCE),
    ("“残健共融”社区康复项目", ProjectField.DISABILITY),
    ("“家和”家庭教育指导项目", ProjectField.FAMILY),
    ("“护苗”留守儿童陪伴项目", ProjectField.CHILDREN),
)
TALENT_NAMES = ("社工人才“启航”培养计划", "社会工作人才培养支持项目", "社工督导与能力提升项目")
SPECIAL_PROJECTS: dict[str, tuple[str, str]] = {
    SpecialKind.SCHOOL: ("校园社会工作服务项目", ProjectField.YOUTH),
    SpecialKind.MEDICAL: ("医务社会工作服务项目", ProjectField.OTHER),
    SpecialKind.ENTERPRISE: ("企业职工关爱服务项目", ProjectField.EMPLOYMENT),
    SpecialKind.COMMUNITY_CORRECTION: ("社区矫正对象帮扶项目", ProjectField.OTHER),
}
TERMINATION_REASONS = (
    "承接机构合同到期未续签，项目提前终止。",
    "服务对象需求变化，经评估调整为其他项目。",
    "项目所在社区撤并，服务转入相邻社区项目。",
)
EXIT_REASONS = {
    "deceased": "服务对象去世",
    "moved": "服务对象迁出",
    "ineligible": "不再符合服务条件",
    "declined": "本人不再参加",
}


@dataclass(frozen=True)
class Seed:
    """A project of the seeds at its real station, standing in for the generated project of
    its category (vulnerable groups, talent support) or added to the regional ones."""

    township: str
    name: str
    category: str
    field: str
    funding: str
    targets: tuple[str, ...] = ()
    description: str = ""
    launched: date | None = None  # a project running for years, not a yearly cycle
    special: bool = False  # run by the township's special station
    enrol_all: bool = False  # everyone of the township in its target groups


SEEDS = (
    Seed(
        ZHAOBAOSHAN,
        "幸福来敲门",
        ProjectCategory.VULNERABLE_GROUPS,
        ProjectField.ELDERLY,
        FundingLevel.DISTRICT,
        ("advanced_age", "elderly_living_alone", "empty_nest_elderly"),
        "后大街社区48位80岁以上高龄老人，每月两次上门健康探访（测血压、血糖），每半年一次"
        "老年人能力评估（MZ/T 039-2013）。",
        launched=date(2022, 3, 1),
    ),
    Seed(
        JISHIGANG,
        "幸福来敲门·助老",
        ProjectCategory.REGIONAL_FEATURE,
        ProjectField.ELDERLY,
        FundingLevel.STATION,
        ("elderly_living_alone", "empty_nest_elderly"),
        "联合馨心志愿服务队，为独居、空巢老人提供结对探访、助餐助洁和节日关怀。",
    ),
    Seed(
        CICHENG,
        "慈缘驿站",
        ProjectCategory.REGIONAL_FEATURE,
        ProjectField.EMPLOYMENT,
        FundingLevel.DISTRICT,
        ("subsistence_allowance", "marginal_subsistence"),
        "对接季节性用工高峰的企业与有季节性就业需求的2000余名农民：链接24家企业、449个"
        "岗位，帮助131名妇女实现就业。",
    ),
    Seed(
        ZHOUXIANG,
        "巷爱翼生·向阳飞翔",
        ProjectCategory.VULNERABLE_GROUPS,
        ProjectField.CHILDREN,
        FundingLevel.CITY,
        ("child_in_difficulty", "de_facto_unsupported_child"),
        "周巷镇35名困境儿童，一人一案：需求评估、个性化帮扶计划和每月入户探访。",
        launched=date(2023, 3, 1),
        enrol_all=True,
    ),
    Seed(
        ZHONGGONGMIAO,
        "鼎秀营",
        ProjectCategory.TALENT_SUPPORT,
        ProjectField.TALENT,
        FundingLevel.DISTRICT,
        description="分层分类培养社区工作者：金鼎班（社区书记）、银鼎班（后备干部）、"
        "文鼎班（一般社工）。",
    ),
    Seed(
        DONGLIU,
        "东柳街道学校社会工作服务项目",
        ProjectCategory.REGIONAL_FEATURE,
        ProjectField.YOUTH,
        FundingLevel.DISTRICT,
        ("at_risk_youth", "left_behind_child"),
        "学校社会工作站服务辖区8所学校（中小学、幼儿园）的学生、家长和教师。",
        special=True,
    ),
    Seed(
        DAQI,
        "塔峙大阿嫂结对帮扶",
        ProjectCategory.REGIONAL_FEATURE,
        ProjectField.FAMILY,
        FundingLevel.STATION,
        ("difficult_family", "elderly_living_alone"),
        "“大阿嫂”志愿者与困难家庭、独居老人一对一结对，定期探访、代办事务。",
    ),
    Seed(
        KUANGYAN,
        "社工考证辅导",
        ProjectCategory.TALENT_SUPPORT,
        ProjectField.TALENT,
        FundingLevel.STATION,
        description="组织镇村社区工作者参加社会工作者职业资格考试辅导：集中授课、模拟考试。",
    ),
    Seed(
        BAISHALU,
        "社工考证辅导",
        ProjectCategory.TALENT_SUPPORT,
        ProjectField.TALENT,
        FundingLevel.STATION,
        description="街道社区工作者社工考证辅导班：考前集训、结对辅导。",
    ),
)


Person = tuple[
    int, int, date, date | None, str, frozenset[str]
]  # id, village, in, out, why, groups


@dataclass
class Planned:
    """A project as the step builds it, with the steps of its life cycle."""

    project: Project
    steps: list[tuple[str, date, str]]  # (status, day, reason)
    targets: tuple[str, ...] = ()
    team: list[int] = field(default_factory=list)
    villages: list[int] = field(default_factory=list)
    enrol: int = 0  # people of its villages and target groups to enrol
    enrol_all: bool = False  # every such person of the township
    # 幸福来敲门's elders: (recipient, from, their exit, its reason)
    given: list[tuple[int, date, date | None, str]] = field(default_factory=list)


@dataclass
class Portfolio:
    """Builds the projects of one station (see the module's docstring)."""

    rng: random.Random
    station: Station
    staff: list[SocialWorker]
    villages: list[int]
    today: date
    approvers: dict[str, int]
    planned: list[Planned] = field(default_factory=list)

    def add(
        self,
        start: date,
        name: str,
        category: str,
        field_: str,
        funding: str,
        *,
        end: date | None = None,
        targets: Sequence[str] = (),
        description: str = "",
        terminated: str = "",
        proposed_on: date | None = None,
        enrol_all: bool = False,
    ) -> None:
        rng, today = self.rng, self.today
        end = end or add_years(start, 1) - timedelta(days=1)
        if proposed_on is not None:
            steps = [(ProjectStatus.PROPOSED.value, proposed_on)]
        else:
            steps = _status_steps(start, end, today, start - timedelta(days=rng.randint(10, 40)))
        if terminated:
            stop = random_day(rng, start + timedelta(days=60), min(end, today) - timedelta(days=1))
            steps = [step for step in steps if step[1] < stop]
            steps.append((ProjectStatus.TERMINATED.value, stop))
        reached = dict(steps)
        workers = _active(self.staff, start)
        lead = _lead(rng, workers, category)
        others = [w.pk for w in workers if w != lead]
        code = self.station.region.code
        approver = self.approvers.get(code[:6] if funding != FundingLevel.STATION else code[:9])
        if not description:
            # The needs the design sets out (indicator E2 reads the description as the
            # project's needs assessment).
            label = ProjectField(field_).label
            description = (
                f"需求评估：经入户走访和村（社区）座谈，{self.station.region.name}{label}领域"
                f"服务对象的主要需求已梳理成册；项目以个案、小组和社区活动回应需求，"
                f"设定服务人次、受益人数等产出指标。"
            )
        project = Project(
            station=self.station,
            name=name,
            category=category,
            field=field_,
            funding_level=funding,
            starts_on=start,
            ends_on=end,
            lead=lead,
            description=description,
            status=steps[-1][0],
            approved_on=reached.get(ProjectStatus.APPROVED),
            approved_by_id=approver if ProjectStatus.APPROVED in reached else None,
            closed_on=reached.get(ProjectStatus.CLOSED),
            terminated_on=reached.get(ProjectStatus.TERMINATED),
            termination_reason=terminated,
        )
        covered: list[int] = []
        if self.villages and category != ProjectCategory.TALENT_SUPPORT and not enrol_all:
            share = 0.6 if category == ProjectCategory.VULNERABLE_GROUPS else 0.25
            size = max(1, min(len(self.villages), round(len(self.villages) * share)))
            covered = sorted(rng.sample(self.villages, size))
        wanted = 0
        if category != ProjectCategory.TALENT_SUPPORT and project.status != ProjectStatus.PROPOSED:
            vulnerable = category == ProjectCategory.VULNERABLE_GROUPS
            wanted = rng.randint(20, 60) if vulnerable else rng.randint(8, 30)
        self.planned.append(
            Planned(
                project=project,
                steps=[(status, day, _reason(status, terminated)) for status, day in steps],
                targets=tuple(targets),
                team=rng.sample(others, min(len(others), rng.randint(1, 3))),
                villages=covered,
                enrol=wanted,
                enrol_all=enrol_all,
            )
        )

    def seed(self, seed: Seed, start: date, **extra: Any) -> None:
        self.add(
            start,
            seed.name,
            seed.category,
            seed.field,
            seed.funding,
            targets=seed.targets,
            description=seed.description,
            enrol_all=seed.enrol_all,
            **extra,
        )

    def build(self, seeds: Sequence[Seed], *, skip_talent: bool, skip_vulnerable: bool) -> None:
        rng, station, today = self.rng, self.station, self.today
        assert station.opened_on is not None
        current = _cycle_start(rng.randint(1, 12), today)
        previous = add_years(current, -1)
        cycles = (
            [previous, current] if previous >= station.opened_on + timedelta(days=60) else [current]
        )
        place = station.region.name
        for start in cycles:
            last = start == current
            if station.kind == StationKind.DISTRICT_HUB:
                self.add(
                    start,
                    f"{place}社会工作人才培养支持项目",
                    ProjectCategory.TALENT_SUPPORT,
                    ProjectField.TALENT,
                    FundingLevel.DISTRICT,
                    description="全区社工站站长和骨干社工的督导、培训与考证辅导。",
                )
            elif station.kind == StationKind.SPECIAL:
                if seeds:
                    self.seed(seeds[0], start)
                else:
                    name, field_ = SPECIAL_PROJECTS[station.special_kind]
                    funding = _funding(rng, ProjectCategory.REGIONAL_FEATURE)
                    self.add(start, f"{station.name}{name}", "regional_feature", field_, funding)
            else:
                self.township(start, last, seeds, skip_talent and last, skip_vulnerable and last)

    def township(
        self,
        start: date,
        last: bool,
        seeds: Sequence[Seed],
        skip_talent: bool,
        skip_vulnerable: bool,
    ) -> None:
        """One cycle of a township station: 1 + X + 1."""
        rng, place = self.rng, self.station.region.name
        by_category = {seed.category: seed for seed in seeds}
        vulnerable = by_category.get(ProjectCategory.VULNERABLE_GROUPS)
        if vulnerable is not None and vulnerable.launched is not None:
            if last:  # one project running for years instead of yearly ones
                self.seed(vulnerable, vulnerable.launched, end=date(self.today.year + 1, 12, 31))
        elif vulnerable is not None:
            self.seed(vulnerable, start)
        elif not skip_vulnerable:
            self.vulnerable(start)
        count = rng.choices(list(REGIONAL_COUNT_WEIGHTS), list(REGIONAL_COUNT_WEIGHTS.values()))
        for name, field_ in rng.sample(REGIONAL, count[0]):
            stopped = not last and rng.random() < TERMINATED_SHARE
            self.add(
                start,
                f"{place}{name}",
                ProjectCategory.REGIONAL_FEATURE,
                field_,
                _funding(rng, ProjectCategory.REGIONAL_FEATURE),
                targets=TARGETS[field_],
                terminated=rng.choice(TERMINATION_REASONS) if stopped else "",
            )
        for seed in seeds:
            if seed.category == ProjectCategory.REGIONAL_FEATURE:
                self.seed(seed, start)
        talent = by_category.get(ProjectCategory.TALENT_SUPPORT)
        if talent is not None:
            self.seed(talent, start)
        elif not skip_talent:
            funding = _funding(rng, ProjectCategory.TALENT_SUPPORT)
            name = f"{place}{rng.choice(TALENT_NAMES)}"
            self.add(start, name, ProjectCategory.TALENT_SUPPORT, ProjectField.TALENT, funding)
        next_start = add_years(start, 1)
        if last and vulnerable is None and next_start - self.today <= PROPOSAL_WINDOW:
            # Next year's proposal, waiting for its approval.
            proposed = self.today - timedelta(days=rng.randint(1, 20))
            self.vulnerable(next_start, proposed_on=proposed, year=next_start.year)

    def vulnerable(self, start: date, *, proposed_on: date | None = None, year: int = 0) -> None:
        field_ = self.rng.choice(VULNERABLE_FIELDS)
        name = f"{self.station.region.name}{self.rng.choice(VULNERABLE_NAMES[field_])}"
        self.add(
            start,
            f"{name}（{year}年度）" if year else name,
            ProjectCategory.VULNERABLE_GROUPS,
            field_,
            _funding(self.rng, ProjectCategory.VULNERABLE_GROUPS),
            targets=TARGETS[field_],
            proposed_on=proposed_on,
        )


def build_projects(log: Callable[[str], None]) -> None:
    if Project.objects.exists():
        log(f"projects: already built ({Project.objects.count()} projects)")
        return
    with translation.override("zh-hans"):
        _build(log)


def _build(log: Callable[[str], None]) -> None:
    rng = random.Random("demo-projects")
    today = timezone.localdate()
    stations = list(
        Station.objects.filter(
            kind__in=(StationKind.TOWNSHIP, StationKind.DISTRICT_HUB, StationKind.SPECIAL),
            status__in=(StationStatus.OPERATING, StationStatus.SUSPENDED),
            opened_on__isnull=False,
        )
        .select_related("region")
        .order_by("region__code", "kind", "name")
    )
    staff: dict[int, list[SocialWorker]] = {}
    for worker in SocialWorker.objects.filter(station__in=stations).order_by("station_id", "pk"):
        staff.setdefault(worker.station_id or 0, []).append(worker)
    villages: dict[str, list[int]] = {}
    for pk, code in (
        Region.objects.filter(level="village").order_by("code").values_list("pk", "code")
    ):
        villages.setdefault(code[:9], []).append(pk)
    approvers = _approvers()
    seeded = {seed.township for seed in SEEDS}
    townships = [s for s in stations if s.kind == StationKind.TOWNSHIP]
    candidates = [s.pk for s in townships if s.region.code not in seeded]
    rng.shuffle(candidates)
    talentless = round(len(townships) * MISSING_TALENT_SHARE)
    no_talent = set(candidates[:talentless])
    no_vulnerable = set(
        candidates[talentless : talentless + round(len(townships) * MISSING_VULNERABLE_SHARE)]
    )

    planned: list[Planned] = []
    for station in stations:
        if not staff.get(station.pk):
            continue
        code = station.region.code
        if station.kind == StationKind.DISTRICT_HUB:
            around = [v for key, ids in villages.items() if key[:6] == code[:6] for v in ids]
        else:
            around = villages.get(code[:9], []) if station.region.level == "township" else []
        special = station.kind == StationKind.SPECIAL
        seeds = [s for s in SEEDS if s.township == code and s.special == special]
        portfolio = Portfolio(rng, station, staff[station.pk], around, today, approvers)
        portfolio.build(
            seeds, skip_talent=station.pk in no_talent, skip_vulnerable=station.pk in no_vulnerable
        )
        planned += portfolio.planned
    _houdajie_elders(planned)
    _save(planned)
    enrolled = _enrol(rng, planned, today)
    analyze((Project, Project.history.model, ProjectEnrolment, ProjectEnrolment.history.model))
    counts = {c: sum(1 for p in planned if p.project.category == c) for c in ProjectCategory.values}
    log(
        f"projects: {len(planned)} ({counts['vulnerable_groups']} vulnerable groups, "
        f"{counts['regional_feature']} regional feature, {counts['talent_support']} talent "
        f"support; {len(no_talent) + len(no_vulnerable)} stations with an incomplete portfolio "
        f"this cycle), {enrolled} enrolments"
    )


def _approvers() -> dict[str, int]:
    """The demo accounts that approve: each district's officer (by its 6-digit prefix), the
    stations' managers (by their township's 9 digits)."""
    found: dict[str, int] = {}
    for pk, role, code in (
        User.objects.filter(role__in=(Role.DISTRICT_OFFICER, Role.STATION_MANAGER), is_active=True)
        .order_by("pk")
        .values_list("pk", "role", "jurisdiction__code")
    ):
        found.setdefault(code[:6] if role == Role.DISTRICT_OFFICER else code[:9], pk)
    return found


def _cycle_start(month: int, today: date) -> date:
    """The start of a station's current yearly cycle: the last 1st of ``month`` at least two
    weeks before ``today``."""
    start = date(today.year, month, 1)
    return start if start <= today - timedelta(days=14) else date(today.year - 1, month, 1)


def _status_steps(start: date, end: date, today: date, approved: date) -> list[tuple[str, date]]:
    """The steps of the life cycle a project of ``start``–``end`` has gone through by
    ``today``: approved a few weeks before it starts, midterm at half time, closing in its last
    month, closed three weeks after its end."""
    steps = [(ProjectStatus.PROPOSED.value, approved - timedelta(days=30))]
    middle = start + (end - start) / 2
    closing = end - timedelta(days=30)
    for status, day in (
        (ProjectStatus.APPROVED, approved),
        (ProjectStatus.RUNNING, start),
        (ProjectStatus.MIDTERM, middle),
        (ProjectStatus.CLOSING, closing),
        (ProjectStatus.CLOSED, end + timedelta(days=20)),
    ):
        if day > today:
            break
        steps.append((status.value, day))
    return steps


def _funding(rng: random.Random, category: str) -> str:
    weights = {
        ProjectCategory.VULNERABLE_GROUPS: (20, 60, 20),
        ProjectCategory.REGIONAL_FEATURE: (50, 40, 10),
        ProjectCategory.TALENT_SUPPORT: (30, 70, 0),
    }[ProjectCategory(category)]
    return rng.choices(list(FundingLevel.values), weights)[0]


def _active(workers: Sequence[SocialWorker], day: date) -> list[SocialWorker]:
    """The staff in post on ``day`` (or those still in post, when nobody was yet)."""
    active = [
        w
        for w in workers
        if (w.hired_on is None or w.hired_on <= day) and (w.left_on is None or w.left_on > day)
    ]
    return active or [w for w in workers if w.left_on is None] or list(workers)


def _lead(rng: random.Random, workers: Sequence[SocialWorker], category: str) -> SocialWorker:
    """The station's director leads its talent-support project; a social worker the others."""
    directors = [w for w in workers if w.post == Post.STATION_DIRECTOR]
    others = [w for w in workers if w.post != Post.STATION_DIRECTOR]
    if category == ProjectCategory.TALENT_SUPPORT:
        return (directors or others)[0]
    return rng.choice(others or directors)


def _reason(status: str, terminated: str) -> str:
    """The reason the services record with each step (services.py)."""
    if status == ProjectStatus.PROPOSED:
        return "项目申报"
    if status == ProjectStatus.TERMINATED:
        return f"终止：{terminated}"
    return str(ProjectStatus(status).label)


def _houdajie_elders(planned: Sequence[Planned]) -> None:
    """招宝山街道's 幸福来敲门 serves the elders of the cases step's health-visit schedules,
    each from the day their visits began (or they were registered, if that came later)."""
    for p in planned:
        if p.project.name == HOUDAJIE_PROJECT and p.project.station.region.code == ZHAOBAOSHAN:
            first: dict[int, date] = {}
            schedules = VisitSchedule.objects.filter(project_text=HOUDAJIE_PROJECT).order_by(
                "recipient_id", "starts_on"
            )
            for recipient_id, starts_on in schedules.values_list("recipient_id", "starts_on"):
                first.setdefault(recipient_id, starts_on)
            elders = Recipient.objects.filter(pk__in=first).values_list(
                "pk", "region_id", "registered_on", "exited_on", "exit_reason"
            )
            p.given = sorted(
                (pk, max(first[pk], registered), exited, EXIT_REASONS.get(why, ""))
                for pk, _village, registered, exited, why in elders
                if exited is None or exited > max(first[pk], registered)
            )
            p.villages = sorted({elder[1] for elder in elders})
            p.enrol = 0


def _moment(day: date, index: int) -> datetime:
    """A step's time: in office hours, later steps of one day after earlier ones."""
    return timezone.make_aware(datetime.combine(day, time(9, 30))) + timedelta(minutes=index)


def _save(planned: Sequence[Planned]) -> None:
    """The projects, their people and places, and the history rows of their life cycles."""
    saved = Project.objects.bulk_create([p.project for p in planned], batch_size=BATCH)
    for p, project in zip(planned, saved, strict=True):
        p.project = project
    team, targets, villages = (
        Project.team.through,
        Project.target_groups.through,
        Project.villages.through,
    )
    categories = dict(Category.objects.values_list("code", "pk"))
    team.objects.bulk_create(
        [team(project_id=p.project.pk, socialworker_id=w) for p in planned for w in p.team],
        batch_size=BATCH,
    )
    targets.objects.bulk_create(
        [
            targets(project_id=p.project.pk, category_id=categories[code])
            for p in planned
            for code in p.targets
            if code in categories
        ],
        batch_size=BATCH,
    )
    villages.objects.bulk_create(
        [villages(project_id=p.project.pk, region_id=v) for p in planned for v in p.villages],
        batch_size=BATCH,
    )
    history = Project.history.model
    rows = []
    for p in planned:
        values = {f.attname: getattr(p.project, f.attname) for f in Project._meta.concrete_fields}
        reached: set[str] = set()
        for index, (status, day, reason) in enumerate(p.steps):
            reached.add(status)
            row = dict(values, status=status)
            if ProjectStatus.APPROVED not in reached:
                row.update(approved_on=None, approved_by_id=None)
            if status != ProjectStatus.CLOSED:
                row["closed_on"] = None
            if status != ProjectStatus.TERMINATED:
                row.update(terminated_on=None, termination_reason="")
            rows.append(
                history(
                    **row,
                    history_date=_moment(day, index),
                    history_type="+" if index == 0 else "~",
                    history_change_reason=reason,
                    history_user_id=None,
                )
            )
    history.objects.bulk_create(rows, batch_size=BATCH)


def _people(district: str) -> dict[str, list[Person]]:
    """The people of a district by township (9-digit prefix), with their service period and
    groups: two queries a district."""
    groups: dict[int, set[str]] = {}
    for rid, code in Recipient.categories.through.objects.filter(
        recipient__region__code__startswith=district
    ).values_list("recipient_id", "category__code"):
        groups.setdefault(rid, set()).add(code)
    rows = (
        Recipient.objects.filter(region__code__startswith=district)
        .exclude(status=RecipientStatus.MERGED)
        .order_by("pk")
        .values_list("pk", "region_id", "registered_on", "exited_on", "exit_reason", "region__code")
    )
    by_township: dict[str, list[Person]] = {}
    for rid, village, registered, exited, why, code in rows:
        person = (rid, village, registered, exited, why, frozenset(groups.get(rid, ())))
        by_township.setdefault(code[:9], []).append(person)
    return by_township


def _enrol(rng: random.Random, planned: Sequence[Planned], today: date) -> int:
    """Enrol the people each project serves — the given ones (幸福来敲门's elders), or people
    of its villages in its target groups — each on a day they were in service; a closed or
    terminated project's enrolments end with it, a person's with their exit."""
    pools: dict[str, dict[str, list[Person]]] = {}
    rows: list[tuple[Any, ...]] = []
    exits: list[tuple[date | None, str]] = []
    for p in planned:
        project = p.project
        last_day = min(today, project.ends_on)
        chosen: list[tuple[int, date, date | None, str]] = []
        if p.given:
            chosen = [
                (rid, max(day, project.starts_on), out, why) for rid, day, out, why in p.given
            ]
        elif p.enrol or p.enrol_all:
            code = project.station.region.code
            if code[:6] not in pools:
                pools[code[:6]] = _people(code[:6])
            townships = pools[code[:6]]
            if project.station.region.level == "township":
                pool = townships.get(code[:9], [])
            else:  # a district hub serves the whole district
                pool = [person for people in townships.values() for person in people]
            covered, wanted = set(p.villages), set(p.targets)
            fits = [
                person
                for person in pool
                if (not covered or person[1] in covered)
                and (not wanted or person[5] & wanted)
                and person[2] <= last_day - timedelta(days=7)
                and (person[3] is None or person[3] > project.starts_on + timedelta(days=7))
            ]
            if not p.enrol_all:
                fits = rng.sample(fits, min(p.enrol, len(fits)))
            for rid, _village, registered, exited, why, _groups in fits:
                first = max(project.starts_on, registered)
                latest = min(last_day, exited - timedelta(days=1)) if exited else last_day
                if latest >= first:
                    day = random_day(rng, first, min(latest, first + timedelta(days=90)))
                    chosen.append((rid, day, exited, EXIT_REASONS.get(why, "")))
        ended = project.closed_on or project.terminated_on
        end_reason = "项目已结项。" if project.status == ProjectStatus.CLOSED else "项目已终止。"
        for rid, day, exited, why in chosen:
            exit_day, exit_reason = None, ""
            if exited is not None and exited <= today and (ended is None or exited <= ended):
                exit_day, exit_reason = exited, why
            elif ended is not None:
                exit_day, exit_reason = max(day, ended), end_reason
            rows.append((project.pk, rid, day, None, "", ""))
            exits.append((exit_day, exit_reason))
    # Enrolled as they were on the day, then the exits, as the pages would have recorded them.
    ids = insert_with_history(
        ProjectEnrolment, ENROLMENT_COLUMNS, rows, [_moment(row[2], 0) for row in rows]
    )
    left = [
        ProjectEnrolment(pk=pk, exited_on=day, exit_reason=reason)
        for pk, (day, reason) in zip(ids, exits, strict=True)
        if day is not None
    ]
    with connection.cursor() as cursor:  # one statement per row, pipelined: no CASE of 8,000
        cursor.executemany(
            f"UPDATE {ProjectEnrolment._meta.db_table} SET exited_on = %s, exit_reason = %s "
            "WHERE id = %s",
            [(e.exited_on, e.exit_reason, e.pk) for e in left],
        )
    history = ProjectEnrolment.history.model
    by_pk = {pk: row for pk, row in zip(ids, rows, strict=True)}
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                id=enrolment.pk,
                created_at=now,
                updated_at=now,
                project_id=by_pk[enrolment.pk][0],
                recipient_id=by_pk[enrolment.pk][1],
                enrolled_on=by_pk[enrolment.pk][2],
                exited_on=enrolment.exited_on,
                exit_reason=enrolment.exit_reason,
                note="",
                history_date=_moment(enrolment.exited_on, 1),
                history_type="~",
                history_change_reason=enrolment.exit_reason,
                history_user_id=None,
            )
            for enrolment in left
            if enrolment.exited_on is not None  # for mypy: all of them
        ],
        batch_size=BATCH,
    )
    return len(rows)
