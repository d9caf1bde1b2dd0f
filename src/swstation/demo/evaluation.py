"""Demo step: the evaluation of the stations (issue 15; spec/station-evaluation.md §3 and §4).

- **Evaluators**: two third-party assessment agencies registered with the city, which operate
  no station and hold no purchase contract (so every assignment passes the recusal rule), with
  three evaluators each — the demo account ``city_evaluator`` is one of them — and two
  independent experts of the city's universities. Each agency covers a part of the city.
- **The annual round** (年度评估) of the last full year, for every township station operating
  on 31 December: opened in the first week of January, automatic values computed once the
  entry grace period is over, self-assessed by the stations, scored by the evaluators after a
  site visit (findings below the points, automatic scores overridden with a reason, two
  vetoes), passed by the districts, approved and published by the city in March, two
  objections (one rejected, one upheld and scored again by another evaluator: revision 2),
  final after the objection window, then the rectification items (整改) answered and closed on
  time, answered late, reopened, or never answered and overdue; the round closed. About a
  quarter 优秀, under half 良好, a quarter 合格 and five 不合格.
- **The mid-term round** (中期评估) of this year's first half, opened six weeks before the build
  day and in progress at every step: some stations still assessing themselves (慈城镇, for
  ``cicheng_manager`` to try), many being scored (``city_evaluator`` has 江北区 and 北仑区),
  some in the district's review (one returned once, with the district's comment), some
  awaiting the city, some published within their objection window (招宝山街道), one under
  objection (周巷镇) and some final with their rectification items issued.

Every step goes through ``evaluation.services`` as the person who takes it: ``city_admin``,
the district's officer (``<district>_officer``), the station's manager account where the demo
has one (the platform, ``SYSTEM``, for the others), the assigned evaluator. The totals, grades,
revisions, rectification items, objection windows and due dates are the services' own.

**Dates.** The services stamp the current time and compute every due date from today (the
self-assessment due in 14 days, the objection window of 5 working days, rectification due 60
days after the result is final...). Rather than run them all today and back-date dozens of
columns and history rows afterwards (and risk dates that disagree with each other), each call
runs on a clock set to the moment that step happened (:func:`_clock`): the services then write
the times, dates, history rows and events of that moment, by their own rules.

**Bulk where it matters**: the self-scores and the evaluator's scores of the 37 indicators of
every station (about 10,000 of each per round) are written in bulk (:class:`Entries`), each
with its history row and its event, by the rules of ``self_score_set`` and ``score_set`` (0 …
points, in steps of 0.5 for an indicator scored by hand, a finding under the points, a reason
for a changed automatic score); everything else is one service call per step and station.

The grades follow the records: the stations are ranked by what their automatic values and
the hand-scored indicators give (those by how well each station is run, demo/quality.py, the
same quality the other steps' records follow), and the round's spread of grades handed out in
that order; each station's total lands where its records put it, kept inside its grade's band
by the indicators scored by hand. The evaluator departs from an automatic score only where
judgment is plausible: D7 (services away from the station), whose measure sees only the home
and health visits, read from the records' places at a station run well enough; and, where
the hand-scored indicators cannot keep a total in its band, one to three automatic scores
raised (the reason: records kept on paper or in another system, checked on site) or lowered
(with a finding). About 150 automatic scores in the annual round (the log line counts them);
an automatic score under 60 % of its points stays, and is a rectification item.

Deterministic (``random.Random("demo-evaluation")`` over querysets in a fixed order, dates
relative to the build day); once a round of the step's names exists a second run changes
nothing.
"""

import random
import time as clock_time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import timezone

from swstation.accounts.models import User
from swstation.accounts.services import user_create
from swstation.core.actors import SYSTEM, Actor, history_user
from swstation.core.history import save_with_history
from swstation.core.roles import Role
from swstation.demo.accounts import CICHENG, CITY, DISTRICTS, ZHAOBAOSHAN, ZHOUXIANG
from swstation.demo.bulk import HISTORY_COLUMNS, insert_rows
from swstation.demo.history import demo_history
from swstation.demo.quality import station_quality
from swstation.demo.stations import social_org_credit_code
from swstation.evaluation import scoring, services
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    IndicatorSet,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    SetStatus,
    StationEvaluation,
    Veto,
)
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station

ZERO = Decimal(0)
HALF = Decimal("0.5")
CENT = Decimal("0.01")
JIANGBEI = DISTRICTS["jiangbei"][:6]
BEILUN = DISTRICTS["beilun"][:6]
MID_TERM_SELF_DAYS = 45  # the mid-term round gives the stations six weeks to assess themselves

# name, registered in, founded on
AGENCIES: tuple[tuple[str, str, date], ...] = (
    ("宁波市甬评社会工作评估中心", CITY, date(2015, 9, 18)),
    ("宁波市明德社会组织评估中心", CITY, date(2017, 3, 6)),
)
# user name, full name, agency (index in AGENCIES; None: an independent expert), qualification.
# ``city_evaluator`` is a demo account (demo/accounts.py): the accounts step creates it.
EVALUATORS: tuple[tuple[str, str, int | None, str], ...] = (
    ("evaluator_wanglq", "王立群", 0, "高级社会工作师，评估项目负责人"),
    ("evaluator_chenxy", "陈晓燕", 0, "中级社会工作师，评估员"),
    ("city_evaluator", "第三方评估员", 0, "中级社会工作师，评估员"),
    ("evaluator_lijh", "李建华", 1, "高级社会工作师，市社会组织评估专家库成员"),
    ("evaluator_zhoum", "周敏", 1, "中级社会工作师，注册会计师（财务评估）"),
    ("evaluator_xuhb", "徐海波", 1, "中级社会工作师，评估员"),
    ("evaluator_huyq", "胡雅琴", None, "宁波大学社会工作系副教授"),
    ("evaluator_sunzg", "孙志刚", None, "浙江万里学院社会工作专业讲师、督导"),
)
# The districts (6-digit prefixes) each agency, or the experts (None), evaluates.
COVERAGE: dict[int | None, tuple[str, ...]] = {
    0: ("330203", "330205", "330206", "330211", "330225"),
    1: ("330212", "330213", "330226"),
    None: ("330281", "330282"),
}

GRADES = ("excellent", "good", "pass", "fail")
# The share of the stations of each grade in a round (the rest of 不合格 is FAILS stations).
GRADE_SHARES = {"excellent": 0.25, "good": 0.45}
FAILS = 5  # 不合格 in the annual round: three by their total, two by a veto
VETOED = 2
# A total in each grade's band, not too near its edges.
TARGETS = {
    "excellent": (90.6, 96.5),
    "good": (80.6, 89.4),
    "pass": (62.0, 79.4),
    "fail": (46.0, 58.5),
    "veto": (63.0, 76.0),
}
# How many indicators scored by hand under 60 % of their points (rectification items) a
# station of each grade keeps at most (an automatic score under 60 % stays: the records say
# so, and it is an item).
ALLOWED_LOW: dict[str, Callable[[random.Random], int]] = {
    "excellent": lambda rng: 0,
    "good": lambda rng: rng.choice((0, 0, 1)),
    "pass": lambda rng: rng.randint(1, 3),
    "fail": lambda rng: 99,
}
# The share of its points the evaluator gives an indicator scored by hand: from the weakest
# station's to the best's (demo/quality.py), and the least and most a station of each grade
# gets before the evaluator departs from an automatic score.
MANUAL_SHARE = (0.5, 0.96)
MANUAL_RANGE = {
    "excellent": (0.75, 1.0),
    "good": (0.6, 1.0),
    "pass": (0.4, 0.95),
    "fail": (0.25, 0.8),
}
# At most this many automatic scores of a station are overridden (the evaluator's judgment
# on what the site visit found), whatever its target; the target gives way beyond.
MOST_OVERRIDES = {"excellent": 2, "good": 1, "pass": 1, "fail": 3}

# The mid-term round's steps and the share of the stations at each (the rest are scoring).
MID_TERM_SHARES = {
    EvaluationStatus.SELF_ASSESSMENT: 0.15,
    EvaluationStatus.DISTRICT_REVIEW: 0.08,
    EvaluationStatus.CITY_APPROVAL: 0.07,
    EvaluationStatus.PUBLISHED: 0.07,
    EvaluationStatus.FINAL: 0.1,
}
# 江北区's stations but 慈城镇, in code order, for ``city_evaluator`` to have work at each step.
JIANGBEI_STEPS = (
    EvaluationStatus.SCORING,
    EvaluationStatus.SCORING,
    EvaluationStatus.SCORING,
    EvaluationStatus.SCORING,
    EvaluationStatus.DISTRICT_REVIEW,
    EvaluationStatus.CITY_APPROVAL,
    EvaluationStatus.FINAL,
)

# What the evaluator writes when an indicator scores under its points (spec §2.1).
FINDINGS: dict[str, tuple[str, ...]] = {
    "A1": (
        "个案室与档案室共用，未做物理分隔，私密性不足。",
        "缺少独立的小组活动室，借用村（社区）会议室开展活动。",
    ),
    "A2": ("站点外未设置统一标识牌。",),
    "A3": ("档案柜未上锁，公示栏未更新人员名单和求助渠道。", "个案室缺少隔音措施，公示内容不全。"),
    "B1": ("快照日专职社工不足3名，存在兼职人员顶岗。",),
    "B2": ("持证专职社工不足3名。",),
    "B3": ("督导记录不完整，部分月份未开展督导。", "督导以会议代替，缺少个别督导记录。"),
    "B4": ("部分社工年度继续教育时数不足。",),
    "B5": ("本年度为村（社区）工作者开展的培训场次偏少。",),
    "B6": ("年内专职人员低于最低配置超过30天。",),
    "C1": ("财务与资产管理、志愿者管理制度尚未成文。", "服务流程制度未按MZ/T 094更新。"),
    "C2": ("抽查结案档案，部分缺少结案评估或督导审批意见。",),
    "C3": ("半年工作小结未按时报送。", "年度计划未经镇（街道）审核备案。"),
    "C4": ("部分服务记录录入滞后超过7天。",),
    "D1": ("个案开案数未达年度目标。",),
    "D2": ("完成的小组工作不足目标，部分小组节数不足4节。",),
    "D3": ("社区活动场次不足，且多为节日慰问类活动。",),
    "D4": ("重点困难群体服务覆盖率偏低。",),
    "D5": ("部分探访计划未按期完成。",),
    "D6": ("部分村（社区）年内未开展服务。",),
    "D7": ("外展服务占比偏低，服务多在站内开展。",),
    "E1": ("1+X+1项目体系不完整，缺少区域特色项目。",),
    "E2": ("项目设计缺少需求评估或产出指标。",),
    "E3": ("项目产出未达计划目标。",),
    "E4": ("项目专业方法运用不足，成效证据较弱。", "项目同质化，缺少品牌特色。"),
    "F1": ("五社联动伙伴类型不全，与慈善资源联动较少。",),
    "F2": ("志愿服务时数未达目标。",),
    "F3": ("链接社会资金和物资较少。",),
    "F4": ("部分转介未记录结果。",),
    "F5": ("居民自治、议事协商类工作开展较少。",),
    "G1": ("预算执行率偏低，部分经费年底集中支出。",),
    "G2": ("四个一资金保障不全，缺少镇（街道）配套资金。",),
    "G3": ("部分支出凭证不规范，缺少活动签到表佐证。", "个别物资采购未履行比价程序。"),
    "H1": ("服务对象满意度调查得分偏低，对服务频次意见较多。", "部分受访者反映上门服务间隔过长。"),
    "H2": ("居民知晓率不高，部分受访者不了解社工站服务内容。",),
    "H3": ("镇（街道）及村（社区）评价一般，认为参与基层治理不够。",),
    "H4": ("结案个案目标达成率偏低。",),
    "H5": ("年内有经核实的投诉。",),
}
# Why the evaluator raises an automatic score: what the platform holds is not all there is.
RAISED = (
    "现场查阅原始台账，线下记录未全部录入平台，据实核定。",
    "核验站点提交的纸质记录和佐证材料，平台数据未完整反映，据实核定。",
    "实地核查后认定，部分工作记录在镇（街道）系统中，已核实。",
)
RAISED_BY_CODE = {
    "B3": "现场查阅督导记录本，线下督导未录入平台，据实核定。",
    "B4": "核验社工继续教育学时证明（含市、区级线下培训），据实核定。",
    "E2": "项目设计书为纸质存档，经核验需求评估和产出指标齐全。",
    "F3": "核验慈善总会拨付凭证，社会资金未在平台登记，据实核定。",
    "G1": "以财务账册核实预算执行情况，平台支出登记不全。",
    "D7": "抽查服务记录的服务地点，在村（社区）和入户开展的服务时长占比超过60%"
    "（平台仅按入户探访类记录统计），据实核定。",
}
# An automatic indicator whose measure cannot see all the station's records holds: the
# evaluator reads them on site and scores what they show at a station run well enough
# (demo/quality.py). D7 counts only the home and health visits as services given away from
# the station (the place of the others is free text), so the evaluator reads the places.
JUDGED = {"D7": 0.5}
# Why the evaluator lowers an automatic score.
LOWERED = (
    "现场抽查发现部分记录与实际不符，据实核减。",
    "抽查服务对象回访，部分服务记录无法核实，据实核减。",
)
GENERIC_FINDING = "现场核查未达到指标要求。"
SELF_NOTES = {
    "A3": "档案柜已上锁，公示栏已更新，见照片。",
    "B5": "全年为村（社区）工作者开展培训，见签到表。",
    "C1": "已制定岗位职责、服务流程、档案保密等制度并上墙。",
    "C3": "年度计划和半年小结已按时报送镇（街道）。",
    "E4": "项目形成了本站特色，见项目总结报告。",
    "F5": "参与村（社区）议事协商，见会议记录。",
    "G3": "经费专款专用，凭证齐全。",
    "H1": "服务对象回访满意度较高。",
    "H3": "镇（街道）对本站工作评价良好。",
}
SITE_FINDINGS = (
    "实地查看阵地，抽查个案档案10份、服务记录30条，访谈服务对象5名、社工3名。",
    "实地查看功能用房和公示栏，抽查个案档案8份，电话回访服务对象10名。",
    "实地评估：查阅制度和台账，抽查项目档案2个，访谈镇（街道）分管领导。",
)
DISTRICT_COMMENTS = (
    "扣分依据清楚，同意评估意见。",
    "请站点对照扣分项制定整改计划。",
    "该项与镇（街道）了解的情况一致。",
)
RECTIFY_ANSWERS = (
    "已制定整改方案并落实，相关台账已补充完善，附照片和记录。",
    "已补齐相关制度和记录，经站点督导审核后上传。",
    "已召开专题会议部署整改，完成情况见整改报告。",
)
VETO_REASONS = {
    Veto.FINANCIAL: "抽查年度活动经费凭证，发现虚列支出3笔，合计6,800元。",
    Veto.FABRICATED: "电话回访核实，12条服务记录与服务对象陈述不符，系事后补录虚构。",
}


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run what is inside as at ``moment``: ``timezone.now()`` (and so ``localdate()``, the
    ``auto_now`` fields and the history's dates) reads ``moment`` plus the real time elapsed
    since entering, so that several writes keep their order. ``moment`` must be past."""
    real_now = timezone.now
    started = real_now()
    if moment >= started:
        raise ValueError(f"the demo's clock is set to the future: {moment}")
    with mock.patch.object(timezone, "now", lambda: moment + (real_now() - started)):
        yield


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _weekday(day: date) -> date:
    """``day``, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _half(value: Decimal) -> Decimal:
    """Rounded to a half point (a score entered by hand)."""
    return ((value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2).quantize(CENT)


def _half_up(value: Decimal) -> Decimal:
    """Up to the next half point."""
    return (-((-value * 2).to_integral_value(rounding=ROUND_FLOOR)) / 2).quantize(CENT)


def _band(grade: str) -> tuple[Decimal, Decimal]:
    """The totals of ``grade``'s band: [low, high)."""
    for band in scoring.DEFAULT_GRADE_BANDS:
        if band["code"] == grade:
            high = Decimal(band["max"]) + (CENT if band.get("max_included") else ZERO)
            return Decimal(band["min"]), high
    raise KeyError(grade)


@dataclass
class Plan:
    """One station in one round: who acts, where it should end, what it scores, and when."""

    evaluation: StationEvaluation
    scores: list[IndicatorScore]
    manager: Actor
    officer: Actor
    evaluator: User
    status: str = EvaluationStatus.FINAL
    grade: str = ""
    veto: str = ""
    # score pk → (evaluator's score, override reason, finding), and → (self-score, note)
    marks: dict[int, tuple[Decimal, str, str]] = field(default_factory=dict)
    selves: dict[int, tuple[Decimal, str]] = field(default_factory=dict)
    self_on: date | None = None
    visit_on: date | None = None
    scored_on: date | None = None
    reviewed_on: date | None = None


@dataclass
class Cast:
    """The people of the demo who act in the rounds."""

    admin: User
    evaluators: list[User]
    agency_of: dict[int, int | None]  # evaluator pk → index in AGENCIES (None: expert)
    managers: dict[str, User]  # township code → its manager's account
    officers: dict[str, User]  # district prefix → its officer's account

    def manager(self, station: Station) -> Actor:
        return self.managers.get(station.region.code, SYSTEM)

    def officer(self, station: Station) -> Actor:
        return self.officers.get(station.region.code[:6], SYSTEM)


def round_names(today: date) -> tuple[int, int, str, str]:
    """The years of the two rounds and their names: the annual round of the year before the
    mid-term round, whose first half ended at least two months before ``today``."""
    mid = today.year if today >= date(today.year, 9, 1) else today.year - 1
    annual = mid - 1
    return (
        annual,
        mid,
        f"{annual}年度乡镇(街道)社会工作站评估",
        f"{mid}年乡镇(街道)社会工作站中期评估",
    )


def build_evaluation(log: Callable[[str], None]) -> None:
    started = clock_time.perf_counter()
    today = demo_history().end
    annual_year, mid_year, annual_name, mid_name = round_names(today)
    existing = EvaluationRound.objects.filter(name__in=(annual_name, mid_name))
    if existing.exists():
        log(f"evaluation: already built ({existing.count()} rounds)")
        return
    indicator_set = (
        IndicatorSet.objects.filter(version=1, status=SetStatus.PUBLISHED, bonus_points=0)
        .order_by("pk")
        .first()
    )
    if indicator_set is None:
        log("evaluation: no published indicator set (version 1): no round built")
        return
    rng = random.Random("demo-evaluation")
    cast = _cast(date(annual_year, 11, 20))
    annual, overridden = _annual_round(rng, cast, indicator_set, annual_year, annual_name, today)
    mid_term, mid_overridden = _mid_term_round(
        rng, cast, indicator_set, mid_year, mid_name, today, annual
    )
    _log(log, cast, (annual, overridden), (mid_term, mid_overridden), today, started)


# --- the people ----------------------------------------------------------------------------------


def _cast(registered: date) -> Cast:
    """The evaluators (and their agencies) registered by the city before the annual round, and
    the demo accounts that act."""
    admin = User.objects.get(username="city_admin")
    city = Region.objects.get(code=CITY)
    rng = random.Random("demo-evaluation-agencies")
    agencies: list[ServiceAgency] = []
    with _clock(_at(registered, 9)):
        for name, region_code, founded_on in AGENCIES:
            agency = ServiceAgency.objects.filter(name=name).first()
            if agency is None:
                region = city if region_code == CITY else Region.objects.get(code=region_code)
                agency = save_with_history(
                    ServiceAgency(
                        name=name,
                        credit_code=social_org_credit_code(rng, region.code),
                        region=region,
                        legal_representative=rng.choice(("张国华", "林卫东", "郑丽萍")),
                        contact_name=rng.choice(("赵敏", "吴晓东", "钱丽")),
                        contact_phone=f"0574-8{rng.randrange(10**6):06d}",
                        address=f"宁波市鄞州区{rng.choice(('天童', '四明', '钱湖'))}"
                        f"{rng.choice(('南路', '北路', '中路'))}{rng.randint(10, 399)}号",
                        founded_on=founded_on,
                        note="第三方评估机构：承接市民政局社工站评估，不运营社工站。",
                    ),
                    actor=SYSTEM,
                )
            agencies.append(agency)
    users = {u.username: u for u in User.objects.filter(username__in=[e[0] for e in EVALUATORS])}
    evaluators: list[User] = []
    agency_of: dict[int, int | None] = {}
    for minute, (username, full_name, agency_index, qualification) in enumerate(EVALUATORS):
        with _clock(_at(registered + timedelta(days=25), 10, minute)):
            user = users.get(username)
            if user is None:
                user = user_create(
                    actor=SYSTEM,
                    username=username,
                    password=None,
                    role=Role.EVALUATOR,
                    jurisdiction=city,
                    full_name=full_name,
                )
            if not Evaluator.objects.filter(user=user).exists():
                services.evaluator_create(
                    actor=admin,
                    user=user,
                    agency=None if agency_index is None else agencies[agency_index],
                    qualification=qualification,
                )
        evaluators.append(user)
        agency_of[user.pk] = agency_index
    managers = {
        u.jurisdiction.code: u
        for u in User.objects.filter(
            role=Role.STATION_MANAGER,
            is_active=True,
            username__in=("cicheng_manager", "zhaobaoshan_manager", "zhouxiang_manager"),
        )
        .select_related("jurisdiction")
        .order_by("pk")
        if u.jurisdiction is not None
    }
    officers = {
        code[:6]: user
        for slug, code in DISTRICTS.items()
        if (user := User.objects.filter(username=f"{slug}_officer", is_active=True).first())
    }
    return Cast(admin, evaluators, agency_of, managers, officers)


def _assign(cast: Cast, evaluations: Sequence[StationEvaluation], rotate: int) -> dict[int, User]:
    """evaluation pk → its evaluator: each agency's (or the experts') districts split in
    contiguous runs of stations among its evaluators, the runs turned by ``rotate`` from one
    round to the next; in the mid-term round (``rotate`` 1) ``city_evaluator`` has 江北区 and
    北仑区."""
    chosen: dict[int, User] = {}
    for group, districts in COVERAGE.items():
        people = [u for u in cast.evaluators if cast.agency_of[u.pk] == group]
        mine = [e for e in evaluations if e.region_code[:6] in districts]
        if rotate and any(u.username == "city_evaluator" for u in people):
            demo = next(u for u in people if u.username == "city_evaluator")
            for evaluation in mine:
                if evaluation.region_code[:6] in (JIANGBEI, BEILUN):
                    chosen[evaluation.pk] = demo
            people = [u for u in people if u is not demo]
            mine = [e for e in mine if e.pk not in chosen]
        people = people[rotate % len(people) :] + people[: rotate % len(people)]
        size = -(-len(mine) // len(people))
        for index, evaluation in enumerate(mine):
            chosen[evaluation.pk] = people[index // size]
    return chosen


# --- scores --------------------------------------------------------------------------------------


def _manual_share(plan: Plan) -> float:
    """The share of its points the evaluator gives the station's indicators scored by hand,
    by how well it is run (demo/quality.py): what the site visit sees agrees with the
    records."""
    low, high = MANUAL_SHARE
    return low + (high - low) * station_quality(plan.evaluation.region_code)


def _natural(plan: Plan) -> Decimal:
    """The total the station's records and its hand-scored indicators give, no score
    overridden."""
    quality = station_quality(plan.evaluation.region_code)
    base = sum(
        (
            s.indicator.points
            if quality >= JUDGED.get(s.indicator.code, 2) and not plan.veto
            else s.auto_score or ZERO
            for s in plan.scores
        ),
        ZERO,
    )
    capacity = sum((s.indicator.points for s in plan.scores if s.auto_score is None), ZERO)
    return base + capacity * Decimal(str(_manual_share(plan)))


def _target(rng: random.Random, plan: Plan) -> Decimal:
    """Where the station's total should land: what its records and its site visit give
    (:func:`_natural`), kept inside the band of its grade (a veto: a total that passes)."""
    natural = _natural(plan) + Decimal(str(round(rng.uniform(-1.5, 1.5), 2)))
    if plan.veto:
        low, high = (Decimal(str(v)) for v in TARGETS["veto"])
    else:
        low, high = _band(plan.grade)
        low, high = low + Decimal("0.6"), high - Decimal("0.6")
    if natural > high:
        natural = max(low, high - Decimal(str(round(rng.uniform(0, 3), 2))))
    elif natural < low:
        natural = min(high, low + Decimal(str(round(rng.uniform(0, 3), 2))))
    return natural.quantize(CENT)


def _plan_marks(rng: random.Random, plan: Plan, target: Decimal) -> None:
    """What the evaluator enters so that the station's total lands on ``target`` (in the band
    of ``plan.grade``): every indicator without an automatic score by hand, around the share
    of its points the station's work earns (:func:`_manual_share`), within the grade's range
    (MANUAL_RANGE); only where those cannot reach ``target`` a few automatic scores (at most
    MOST_OVERRIDES) raised, those furthest from their points first (records kept on paper,
    checked on site), or lowered when they exceed it. The indicators scored by hand of a
    good station stay at 60 % of their points or more but for a few (each a rectification
    item, spec §3); an automatic score under 60 % stays an item."""
    autos = [s for s in plan.scores if s.auto_score is not None]
    manual = [s for s in plan.scores if s.auto_score is None]
    base = sum((s.auto_score or ZERO for s in autos), ZERO)
    capacity = sum((s.indicator.points for s in manual), ZERO)
    least, most = (Decimal(str(v)) for v in MANUAL_RANGE[plan.grade])
    goal = min(max(target - base, capacity * least), capacity * most)
    gap = target - base - goal
    chosen: dict[int, Decimal] = {}  # score pk → what the evaluator enters
    overrides = MOST_OVERRIDES[plan.grade] + (1 if plan.veto else 0)
    quality = station_quality(plan.evaluation.region_code)
    for score in autos:
        least_quality = JUDGED.get(score.indicator.code)
        if least_quality is not None and quality >= least_quality and not plan.veto:
            chosen[score.pk] = score.indicator.points
            base += score.indicator.points - (score.auto_score or ZERO)
    goal = min(max(target - base, capacity * least), capacity * most)
    gap = target - base - goal
    if gap > 0:
        # Raise the fewest: those furthest from their points first (where the platform's
        # records fall shortest of what the station keeps).
        low = sorted(
            (
                s
                for s in autos
                if (s.auto_score or ZERO) < s.indicator.points and s.pk not in chosen
            ),
            key=lambda s: (s.auto_score or ZERO) - s.indicator.points,
        )
        for score in low[:overrides]:
            if gap <= 0:
                break
            auto, points = score.auto_score or ZERO, score.indicator.points
            raised = min(points, _half_up(auto + gap))
            if raised > auto:
                chosen[score.pk] = raised
                gap -= raised - auto
    elif gap < 0:
        excess = -gap
        unjudged = [s for s in autos if s.pk not in chosen]
        for score in sorted(unjudged, key=lambda s: -(s.auto_score or ZERO))[:overrides]:
            if excess <= 0:
                break
            auto = score.auto_score or ZERO
            lowered = max(ZERO, _half(auto - min(auto, excess)))
            if lowered < auto:
                chosen[score.pk] = lowered
                excess -= auto - lowered
    chosen.update(_spread(rng, manual, goal))

    def final(score: IndicatorScore) -> Decimal:
        return chosen.get(score.pk, score.auto_score or ZERO)

    def floor(score: IndicatorScore) -> Decimal:
        """The least score that proposes no rectification item, in half points."""
        return _half_up(score.indicator.points * Decimal("0.6"))

    low = [s for s in manual if scoring.below_rectification_threshold(final(s), s.indicator.points)]
    rng.shuffle(low)
    for score in low[ALLOWED_LOW[plan.grade](rng) :]:
        chosen[score.pk] = floor(score)
    kept = {s.pk for s in plan.scores if final(s) >= floor(s)}
    # Settle on the target in half points, keeping what is at 60 % there.
    total = sum((final(s) for s in plan.scores), ZERO)
    low_end, high_end = _band(plan.grade) if not plan.veto else (ZERO, Decimal(100))
    target = min(max(target, low_end + HALF), high_end - HALF)
    adjustable = [s for s in plan.scores if s.pk in chosen]
    for _ in range(800):
        if abs(total - target) < HALF or not adjustable:
            break
        score = rng.choice(adjustable)
        step = HALF if total < target else -HALF
        value, least_value, most_value = chosen[score.pk] + step, ZERO, score.indicator.points
        if score.pk in kept:
            least_value = floor(score)
        if score.auto_score is not None:
            # An override moves away from the automatic score, never across it.
            upward = chosen[score.pk] > score.auto_score
            least_value, most_value = (
                (max(least_value, score.auto_score), most_value)
                if upward
                else (least_value, score.auto_score)
            )
        if least_value <= value <= most_value:
            chosen[score.pk] = value
            total += step
    for score in plan.scores:
        if score.pk not in chosen or chosen[score.pk] == score.auto_score:
            continue
        value, reason, finding = chosen[score.pk], "", ""
        if score.auto_score is not None:
            reason = (
                RAISED_BY_CODE.get(score.indicator.code) or rng.choice(RAISED)
                if value > score.auto_score
                else rng.choice(LOWERED)
            )
        if value < score.indicator.points:
            finding = rng.choice(FINDINGS.get(score.indicator.code, (GENERIC_FINDING,)))
        plan.marks[score.pk] = (value, reason, finding)


def _spread(rng: random.Random, manual: list[IndicatorScore], goal: Decimal) -> dict[int, Decimal]:
    """``goal`` points over the indicators scored by hand, in half points, each around the
    same share of its points."""
    capacity = sum((s.indicator.points for s in manual), ZERO)
    if not manual or capacity <= 0:
        return {}
    share = goal / capacity
    values = {}
    for score in manual:
        noisy = min(Decimal(1), max(ZERO, share + Decimal(str(rng.gauss(0, 0.1)))))
        values[score.pk] = _half(score.indicator.points * noisy)
    return values


def _plan_selves(rng: random.Random, plan: Plan) -> None:
    """The station's self-scores: its automatic values (or the evaluator's raised ones, from
    the same paper records), and by hand a little above what the evaluator will give."""
    for score in plan.scores:
        points = score.indicator.points
        mark = plan.marks.get(score.pk)
        if score.auto_score is not None:
            value = score.auto_score
            if mark is not None and mark[0] > value:
                value = mark[0]
            elif rng.random() < 0.25:
                value = min(points, value + _half((points - value) * Decimal("0.5")))
            plan.selves[score.pk] = (value.quantize(CENT), "")
            continue
        value = mark[0] if mark else _half(points * Decimal("0.8"))
        value = min(points, value + rng.choice((ZERO, ZERO, HALF, HALF, Decimal(1))))
        note = SELF_NOTES.get(score.indicator.code, "") if rng.random() < 0.6 else ""
        plan.selves[score.pk] = (value, note)


SCORE_COLUMNS = (
    "self_score",
    "self_note",
    "evaluator_score",
    "override_reason",
    "finding",
    "final_score",
    "updated_at",
)
EVENT_COLUMNS = (
    "created_at",
    "updated_at",
    "evaluation_id",
    "kind",
    "actor_id",
    "indicator_id",
    "note",
    "data",
)


class Entries:
    """Self-scores and evaluator's marks entered in bulk, as ``self_score_set`` and
    ``score_set`` enter them one by one (each indicator's score with a history row and an
    event, at the moment of its station's entry), written together by :meth:`write`: one
    UPDATE per score sent at once (no CASE of thousands of rows), the history rows and events
    as rows (demo/bulk.py)."""

    def __init__(self) -> None:
        self.scores: list[IndicatorScore] = []
        self.history: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.overridden = 0

    def enter(
        self, plan: Plan, scores: Sequence[IndicatorScore], moment: datetime, *, own: bool
    ) -> None:
        """The station's self-scores (``own``) or the evaluator's marks of ``scores``."""
        actor = plan.manager if own else plan.evaluator
        user_id = getattr(history_user(actor), "pk", None)
        for offset, score in enumerate(scores):
            at = moment + timedelta(seconds=20 * offset)
            reason = ""
            if own:
                score.self_score, score.self_note = plan.selves[score.pk]
                kind, note = EventKind.SELF_SCORED, ""
                data: dict[str, str | None] = {"self_score": str(score.self_score)}
            else:
                value, reason, finding = plan.marks[score.pk]
                old = score.final_score
                overriding = score.auto_score is not None and value != score.auto_score
                self.overridden += overriding
                score.evaluator_score = value
                score.override_reason = reason if overriding else ""
                score.finding = finding
                score.final_score = value
                kind = EventKind.OVERRIDDEN if overriding else EventKind.SCORED
                note = score.override_reason
                data = {
                    "old": None if old is None else str(old),
                    "new": str(value),
                    "auto": None if score.auto_score is None else str(score.auto_score),
                }
            score.updated_at = at
            self.scores.append(score)
            self.history.append(
                (
                    *(getattr(score, name) for name in _tracked()),
                    at,
                    reason or None,
                    "~",
                    user_id,
                )
            )
            self.events.append(
                (at, at, plan.evaluation.pk, kind, user_id, score.indicator_id, note, _json(data))
            )

    def write(self) -> None:
        if not self.scores:
            return
        fields: list[Any] = [IndicatorScore._meta.get_field(name) for name in SCORE_COLUMNS]
        sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {IndicatorScore._meta.db_table} SET {sets} WHERE id = %s",
                [
                    [f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] + [s.pk]
                    for s in self.scores
                ],
            )
        historical = IndicatorScore.history.model
        insert_rows(historical, [*_tracked(), *HISTORY_COLUMNS], self.history, own_ids=False)
        insert_rows(EvaluationEvent, EVENT_COLUMNS, self.events)
        self.scores, self.history, self.events = [], [], []


def _tracked() -> list[str]:
    """The columns of an indicator score its history rows copy."""
    return [f.attname for f in IndicatorScore._meta.concrete_fields]


def _json(value: dict[str, Any]) -> Any:
    """A JSON value as demo/bulk.py writes it: PostgreSQL's COPY takes it wrapped."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


# --- the rounds ----------------------------------------------------------------------------------


def _open_round(
    cast: Cast,
    indicator_set: IndicatorSet,
    values: dict[str, Any],
    *,
    created: date,
    opened: date,
    computed: date,
    rotate: int,
    stations: list[Station] | None = None,
) -> tuple[EvaluationRound, list[Plan]]:
    """A round prepared on ``created``, opened for ``stations`` (default: every operating
    township station) with its evaluators assigned on ``opened``, its automatic values
    computed on ``computed``."""
    with _clock(_at(created, 15)):
        round_ = services.round_create(actor=cast.admin, indicator_set=indicator_set, **values)
    with _clock(_at(opened, 9, 30)):
        services.round_open(actor=cast.admin, round=round_, stations=stations)
    evaluations = list(
        round_.evaluations.select_related("station__region", "round").order_by("region_code", "pk")
    )
    chosen = _assign(cast, evaluations, rotate)
    with _clock(_at(opened, 10, 30)):
        for evaluation in evaluations:
            services.evaluator_assign(
                actor=cast.admin, evaluation=evaluation, evaluator=chosen[evaluation.pk]
            )
    with _clock(_at(computed, 9)):
        services.evaluation_compute(actor=cast.admin, round=round_)
    # The computation moved them on in bulk: the services compare what they are given with
    # the stored rows.
    evaluations = list(
        round_.evaluations.select_related("station__region", "round").order_by("region_code", "pk")
    )
    scores: dict[int, list[IndicatorScore]] = {}
    for score in (
        IndicatorScore.objects.filter(evaluation__round=round_)
        .select_related("indicator__dimension")
        .order_by("evaluation_id", "indicator__dimension__order", "indicator__order", "pk")
    ):
        scores.setdefault(score.evaluation_id, []).append(score)
    plans = [
        Plan(
            evaluation=evaluation,
            scores=scores[evaluation.pk],
            manager=cast.manager(evaluation.station),
            officer=cast.officer(evaluation.station),
            evaluator=chosen[evaluation.pk],
        )
        for evaluation in evaluations
    ]
    return round_, plans


def _grade_pool(n: int, fails: int) -> list[str]:
    excellent = round(n * GRADE_SHARES["excellent"])
    good = round(n * GRADE_SHARES["good"])
    return (
        ["excellent"] * excellent
        + ["good"] * good
        + ["pass"] * max(0, n - excellent - good - fails)
        + ["fail"] * fails
    )


def _give_grades(
    rng: random.Random, plans: list[Plan], pool: list[str], forced: dict[str, str]
) -> None:
    """Each plan a grade from ``pool``, the best to the stations whose records and site visit
    give the most (:func:`_natural`, give or take a little: the evaluators differ); the demo
    accounts' stations those of ``forced``."""
    pool = list(pool)
    for plan in plans:
        grade = forced.get(plan.evaluation.region_code)
        if grade is not None:
            plan.grade = grade
            if grade in pool:
                pool.remove(grade)
    pool.sort(key=GRADES.index)
    ranked = sorted(
        (p for p in plans if not p.grade),
        key=lambda p: -(_natural(p) + Decimal(str(round(rng.gauss(0, 1.5), 2)))),
    )
    for plan in ranked:
        plan.grade = pool.pop(0) if pool else "good"


def _self_assess(entries: Entries, plan: Plan, moment: datetime, share: float = 1.0) -> None:
    """The station's self-scores (all, or the first ``share`` of them), entered from an hour
    before ``moment`` (written with ``entries``)."""
    chosen = plan.scores[: max(1, round(len(plan.scores) * share))]
    entries.enter(plan, chosen, moment - timedelta(hours=1), own=True)


def _self_submit(plans: Sequence[Plan], moments: dict[int, datetime]) -> None:
    """Each station submits its self-assessment at its moment."""
    for plan in plans:
        with _clock(moments[plan.evaluation.pk]):
            services.self_submit(actor=plan.manager, evaluation=plan.evaluation)


def _mark(rng: random.Random, entries: Entries, plan: Plan, day: date, share: float = 1.0) -> None:
    """The evaluator's marks (all, or about ``share`` of them) on the morning of ``day``
    (written with ``entries``)."""
    marked = [s for s in plan.scores if s.pk in plan.marks]
    if share < 1:
        marked = [s for s in marked if rng.random() < share]
    entries.enter(plan, marked, _at(day, 9), own=False)


def _submit(rng: random.Random, plan: Plan) -> None:
    """A confirmed veto the evening of the site visit, and the scoring submitted on
    ``plan.scored_on``."""
    assert plan.scored_on is not None and plan.visit_on is not None
    if plan.veto:
        with _clock(_at(plan.visit_on, 17, 30)):
            services.veto_set(
                actor=plan.evaluator,
                evaluation=plan.evaluation,
                veto=plan.veto,
                reason=VETO_REASONS[Veto(plan.veto)],
            )
    with _clock(_at(plan.scored_on, 15, rng.randint(0, 59))):
        services.scoring_submit(
            actor=plan.evaluator,
            evaluation=plan.evaluation,
            site_visit_on=plan.visit_on,
            site_findings=rng.choice(SITE_FINDINGS),
        )


def _review(rng: random.Random, plan: Plan) -> None:
    """The district's pass (with a comment on a low indicator for some) on ``reviewed_on``."""
    assert plan.reviewed_on is not None
    low = [s for s in plan.scores if plan.marks.get(s.pk, (Decimal(99),))[0] < s.indicator.points]
    if low and rng.random() < 0.15:
        with _clock(_at(plan.reviewed_on, 10)):
            services.review_comment(
                actor=plan.officer, score=rng.choice(low), comment=rng.choice(DISTRICT_COMMENTS)
            )
    with _clock(_at(plan.reviewed_on, 11, rng.randint(0, 59))):
        services.review_pass(actor=plan.officer, evaluation=plan.evaluation)


def _backward(rng: random.Random, plan: Plan, reviewed: date | None, earliest: date) -> None:
    """The days of ``plan``'s steps back from its district review on ``reviewed`` (or, with
    ``reviewed`` None, from its scoring on ``plan.scored_on``): scored a few days before the
    review, the site visit before that, the self-assessment a week or two before the visit
    (not before ``earliest``)."""
    if reviewed is not None:
        plan.reviewed_on = _weekday_before(reviewed)
        plan.scored_on = _weekday_before(plan.reviewed_on - timedelta(days=rng.randint(1, 5)))
    assert plan.scored_on is not None
    plan.visit_on = _weekday_before(plan.scored_on - timedelta(days=rng.randint(1, 4)))
    self_on = _weekday_before(plan.visit_on - timedelta(days=rng.randint(3, 10)))
    plan.self_on = max(self_on, earliest) if earliest < plan.visit_on else plan.visit_on


def _approve(cast: Cast, plans: Sequence[Plan], day: date, reason: str = "") -> date:
    """The city approves ``plans`` in one batch on ``day``; returns the last day of their
    objection window."""
    with _clock(_at(day, 10)):
        services.city_approve(
            actor=cast.admin, evaluations=[p.evaluation for p in plans], reason=reason
        )
    until = plans[0].evaluation.objection_until
    assert until is not None
    return until


def _finalise(day: date) -> int:
    """The daily task, the morning after an objection window closed."""
    with _clock(_at(day, 8, 30)):
        return services.finalise_due(actor=SYSTEM, on=day)


def _annual_round(
    rng: random.Random,
    cast: Cast,
    indicator_set: IndicatorSet,
    year: int,
    name: str,
    today: date,
) -> tuple[EvaluationRound, int]:
    """The annual round of ``year``, its history in the first months of the next year, and
    how many automatic scores its evaluators overrode."""
    after = year + 1
    round_, plans = _open_round(
        cast,
        indicator_set,
        {
            "name": name,
            "kind": RoundKind.ANNUAL,
            "period_start": date(year, 1, 1),
            "snapshot_date": date(year, 12, 31),
            "note": "全市乡镇(街道)社会工作站年度评估：站点自评、第三方机构实地评估、"
            "区县审核、市民政局审定公示。",
        },
        created=date(year, 12, 18),
        opened=_weekday(date(after, 1, 5)),
        computed=_weekday(date(after, 1, 8)),
        rotate=0,
    )
    computed = _weekday(date(after, 1, 8))
    _give_grades(
        rng,
        plans,
        _grade_pool(len(plans), FAILS),
        {ZHAOBAOSHAN: "excellent", CICHENG: "good", ZHOUXIANG: "good"},
    )
    vetoes = iter((Veto.FINANCIAL, Veto.FABRICATED)[:VETOED])
    for plan in plans:
        if plan.grade == "fail":
            plan.veto = next(vetoes, "")
        _plan_marks(rng, plan, _target(rng, plan))
        _plan_selves(rng, plan)
        plan.self_on = _weekday_before(computed + timedelta(days=rng.randint(4, 13)))
        plan.visit_on = _weekday(plan.self_on + timedelta(days=rng.randint(5, 16)))
        plan.scored_on = _weekday(plan.visit_on + timedelta(days=rng.randint(1, 5)))
        plan.reviewed_on = _weekday(plan.scored_on + timedelta(days=rng.randint(1, 6)))
    entries = Entries()
    submitted = {}
    for plan in plans:
        assert plan.self_on is not None
        submitted[plan.evaluation.pk] = _at(plan.self_on, rng.randint(14, 17), rng.randint(0, 59))
        _self_assess(entries, plan, submitted[plan.evaluation.pk])
    entries.write()
    _self_submit(plans, submitted)
    for plan in plans:
        assert plan.scored_on is not None
        _mark(rng, entries, plan, plan.scored_on)
    entries.write()
    for plan in plans:
        _submit(rng, plan)
    for plan in plans:
        _review(rng, plan)
    published = _weekday(max(p.reviewed_on for p in plans if p.reviewed_on) + timedelta(days=4))
    until = _approve(cast, plans, published)
    # Two objections: one rejected, one upheld and scored again by another evaluator.
    objecting = [p for p in plans if p.evaluation.region_code not in (ZHAOBAOSHAN, CICHENG)]
    rejected = next(p for p in objecting if p.grade == "pass" and not p.veto)
    # The upheld one: a 良好 station whose evaluator took points off G3 (财务规范), or else off
    # another indicator scored by hand.
    candidates = [
        (p, s)
        for p in objecting
        if p.grade == "good" and p is not rejected
        for s in p.scores
        if s.auto_score is None and s.pk in p.marks and p.marks[s.pk][0] < s.indicator.points
    ]
    upheld, rescored_score = next(
        ((p, s) for p, s in candidates if s.indicator.code == "G3"), candidates[0]
    )
    filed = _weekday(published + timedelta(days=2))
    with _clock(_at(filed, 16)):
        services.objection_file(
            actor=rejected.manager,
            evaluation=rejected.evaluation,
            objection="对D1个案开案数评分有异议：年内另有转介个案未计入，请求复核。",
        )
        services.objection_file(
            actor=upheld.manager,
            evaluation=upheld.evaluation,
            objection=f"对{rescored_score.indicator.code}扣分有异议：已补充提供全部佐证材料"
            "（凭证、签到表和照片），请求复核。",
        )
    _finalise(until + timedelta(days=1))
    decided = _weekday(until + timedelta(days=2))
    with _clock(_at(decided, 10)):
        services.objection_decide(
            actor=cast.admin,
            evaluation=rejected.evaluation,
            upheld=False,
            reason="经核查，转介个案已按规则计入开案数，维持原评估结果。",
        )
        others = [
            u
            for u in cast.evaluators
            if cast.agency_of[u.pk] == cast.agency_of[upheld.evaluator.pk] and u != upheld.evaluator
        ]
        upheld.evaluator = others[0]
        services.objection_decide(
            actor=cast.admin,
            evaluation=upheld.evaluation,
            upheld=True,
            reason="经复核，佐证材料齐全，异议成立，由另一名评估员重新评分。",
            evaluator=upheld.evaluator,
        )
    rescored = _weekday(decided + timedelta(days=5))
    with _clock(_at(rescored, 10)):
        services.score_set(
            actor=upheld.evaluator,
            score=rescored_score,
            evaluator_score=rescored_score.indicator.points,
            finding="",
        )
    with _clock(_at(rescored, 16)):
        services.scoring_submit(
            actor=upheld.evaluator,
            evaluation=upheld.evaluation,
            site_visit_on=_weekday_before(rescored - timedelta(days=1)),
            site_findings="复核：查阅站点补充的全部佐证材料，据实重新评分。",
        )
    upheld.reviewed_on = _weekday(rescored + timedelta(days=2))
    with _clock(_at(upheld.reviewed_on, 11)):
        services.review_pass(actor=upheld.officer, evaluation=upheld.evaluation)
    again = _approve(
        cast,
        [upheld],
        _weekday(upheld.reviewed_on + timedelta(days=2)),
        reason=f"异议成立：{rescored_score.indicator.code}经复核重新评分，发布第2版结果。",
    )
    _finalise(again + timedelta(days=1))
    _rectify_annual(rng, plans, today)
    with _clock(_at(_weekday(again + timedelta(days=5)), 16)):
        services.round_close(actor=cast.admin, round=round_)
    return round_, entries.overridden


def _rectify_annual(rng: random.Random, plans: Sequence[Plan], today: date) -> None:
    """The stations answer their items and the districts verify them: most closed on time,
    some answered late, some reopened (long ago, or lately and not yet due again), some never
    answered and overdue."""
    by_evaluation = {p.evaluation.pk: p for p in plans}
    items = (
        RectificationItem.objects.filter(
            evaluation__in=[p.evaluation for p in plans], status=RectificationStatus.ISSUED
        )
        .select_related("evaluation")
        .order_by("evaluation__region_code", "pk")
    )
    latest = today - timedelta(days=1)
    for item in items:
        plan = by_evaluation[item.evaluation_id]
        final_on, due = item.evaluation.final_on, item.due_on
        assert final_on is not None and due is not None
        draw = rng.random()
        if draw < 0.5:
            outcome = "closed on time"
            answered = _weekday_before(min(final_on + timedelta(days=rng.randint(10, 55)), due))
            verified = _weekday(answered + timedelta(days=rng.randint(2, 14)))
        elif draw < 0.6:
            outcome = "closed late"
            answered = _weekday(due + timedelta(days=rng.randint(5, 40)))
            verified = _weekday(answered + timedelta(days=rng.randint(2, 14)))
        elif draw < 0.68:
            outcome = "reopened, overdue"
            answered = _weekday(final_on + timedelta(days=rng.randint(20, 50)))
            verified = _weekday(answered + timedelta(days=rng.randint(3, 12)))
        elif draw < 0.75:
            outcome = "reopened"
            answered = _weekday_before(today - timedelta(days=rng.randint(15, 25)))
            verified = _weekday_before(answered + timedelta(days=rng.randint(3, 8)))
        else:
            continue  # never answered: overdue
        if not final_on < answered < verified < latest:
            continue
        with _clock(_at(answered, 15)):
            services.rectification_answer(
                actor=plan.manager, item=item, answer=rng.choice(RECTIFY_ANSWERS)
            )
        with _clock(_at(verified, 10)):
            services.rectification_verify(
                actor=plan.officer,
                item=item,
                accept=outcome.startswith("closed"),
                comment="整改到位，同意销号。"
                if outcome.startswith("closed")
                else "整改材料不完整，请补充佐证后重新提交。",
            )


def _mid_term_steps(rng: random.Random, plans: list[Plan]) -> None:
    """Where each station of the mid-term round is: the shares of MID_TERM_SHARES (scoring for
    the rest), 慈城镇 assessing itself, 招宝山街道 published, 周巷镇 under objection, and
    ``city_evaluator``'s 江北区 stations at the steps of JIANGBEI_STEPS."""
    n = len(plans)
    forced: dict[int, str] = {}
    jiangbei = iter(JIANGBEI_STEPS)
    for plan in plans:
        code = plan.evaluation.region_code
        if code == CICHENG:
            forced[plan.evaluation.pk] = EvaluationStatus.SELF_ASSESSMENT
        elif code == ZHAOBAOSHAN:
            forced[plan.evaluation.pk] = EvaluationStatus.PUBLISHED
        elif code == ZHOUXIANG:
            forced[plan.evaluation.pk] = EvaluationStatus.OBJECTION
        elif code[:6] == JIANGBEI and (step := next(jiangbei, None)) is not None:
            forced[plan.evaluation.pk] = step
    pool: list[str] = []
    for status, share in MID_TERM_SHARES.items():
        pool += [status] * round(n * share)
    pool += [EvaluationStatus.SCORING] * max(0, n - len(pool))
    for taken in forced.values():
        if taken in pool:
            pool.remove(taken)
    rng.shuffle(pool)
    for plan in plans:
        plan.status = forced.get(plan.evaluation.pk) or (
            pool.pop() if pool else EvaluationStatus.SCORING
        )


def _mid_term_round(
    rng: random.Random,
    cast: Cast,
    indicator_set: IndicatorSet,
    year: int,
    name: str,
    today: date,
    annual: EvaluationRound,
) -> tuple[EvaluationRound, int]:
    """The mid-term round of ``year``'s first half, opened six weeks before ``today`` and in
    progress at every step, and how many automatic scores its evaluators overrode."""
    opened = _weekday(today - timedelta(days=42))
    computed = _weekday(opened + timedelta(days=1))
    round_, plans = _open_round(
        cast,
        indicator_set,
        {
            "name": name,
            "kind": RoundKind.MID_TERM,
            "period_start": date(year, 1, 1),
            "snapshot_date": date(year, 6, 30),
            "self_assessment_days": MID_TERM_SELF_DAYS,
            "note": "合同期中期评估：自评期限延长至45天，第三方机构分批实地评估。",
        },
        created=_weekday_before(opened - timedelta(days=5)),
        opened=opened,
        computed=computed,
        rotate=1,
    )
    # Last year's grade, give or take one (a 不合格 rarely stays so).
    last = dict(StationEvaluation.objects.filter(round=annual).values_list("station_id", "grade"))
    for plan in plans:
        index = GRADES.index(last.get(plan.evaluation.station_id) or "good")
        index = min(3, max(0, index + rng.choice((-1, 0, 0, 0, 1))))
        if GRADES[index] == "fail" and rng.random() < 0.7:
            index = 2
        plan.grade = {ZHAOBAOSHAN: "excellent", CICHENG: "good", ZHOUXIANG: "pass"}.get(
            plan.evaluation.region_code, GRADES[index]
        )
        _plan_marks(rng, plan, _target(rng, plan))
        _plan_selves(rng, plan)
    _mid_term_steps(rng, plans)
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.status, []).append(plan)
    published_on = _weekday_before(today - timedelta(days=3))
    finals_on = _weekday_before(today - timedelta(days=15))
    earliest = computed + timedelta(days=1)
    returned = next(
        (
            p
            for p in groups.get(EvaluationStatus.DISTRICT_REVIEW, [])
            if p.evaluation.region_code[:6] != JIANGBEI
        ),
        None,
    )
    for plan in plans:
        if plan.status == EvaluationStatus.FINAL:
            _backward(rng, plan, finals_on - timedelta(days=1 + rng.randint(0, 6)), earliest)
        elif plan.status in (EvaluationStatus.PUBLISHED, EvaluationStatus.OBJECTION):
            _backward(rng, plan, published_on - timedelta(days=1 + rng.randint(0, 8)), earliest)
        elif plan.status == EvaluationStatus.CITY_APPROVAL:
            _backward(rng, plan, today - timedelta(days=1 + rng.randint(0, 6)), earliest)
        elif plan.status == EvaluationStatus.DISTRICT_REVIEW:
            # Within the review's 10 days (the returned one first submitted two weeks ago).
            back = 14 if plan is returned else 1 + rng.randint(0, 7)
            plan.scored_on = _weekday_before(today - timedelta(days=back))
            _backward(rng, plan, None, earliest)
        elif plan.status == EvaluationStatus.SCORING:
            plan.self_on = _weekday_before(today - timedelta(days=2 + rng.randint(0, 26)))
    entries = Entries()
    submitted = {}
    for plan in plans:
        if plan.self_on is not None:
            moment = _at(plan.self_on, rng.randint(14, 17), rng.randint(0, 59))
            submitted[plan.evaluation.pk] = moment
            _self_assess(entries, plan, moment)
        elif plan.evaluation.region_code != CICHENG and rng.random() < 0.5:
            # Started, not submitted: some of the indicators self-scored.
            day = _weekday_before(today - timedelta(days=1 + rng.randint(0, 6)))
            _self_assess(entries, plan, _at(day, 16), share=rng.uniform(0.3, 0.8))
    entries.write()
    _self_submit([p for p in plans if p.evaluation.pk in submitted], submitted)
    for plan in plans:
        if plan.scored_on is not None:
            _mark(rng, entries, plan, plan.scored_on)
        elif plan.status == EvaluationStatus.SCORING and plan.self_on is not None:
            # Some evaluators have started: part of the indicators scored after the visit.
            day = _weekday_before(today - timedelta(days=1 + rng.randint(0, 2)))
            if plan.self_on < day - timedelta(days=2) and rng.random() < 0.5:
                _mark(rng, entries, plan, day, share=rng.uniform(0.3, 0.7))
    entries.write()
    for plan in plans:
        if plan.scored_on is not None:
            _submit(rng, plan)
    if returned is not None:
        _return_once(rng, returned, today)
    for status in (
        EvaluationStatus.FINAL,
        EvaluationStatus.PUBLISHED,
        EvaluationStatus.OBJECTION,
        EvaluationStatus.CITY_APPROVAL,
    ):
        for plan in groups.get(status, []):
            _review(rng, plan)
    finals = groups.get(EvaluationStatus.FINAL, [])
    if finals:
        until = _approve(cast, finals, finals_on)
        final_on = until + timedelta(days=1)
        _finalise(final_on)
        _answer_some(rng, finals, final_on, today)
    out = groups.get(EvaluationStatus.PUBLISHED, []) + groups.get(EvaluationStatus.OBJECTION, [])
    if out:
        _approve(cast, out, published_on)
    # The day after publication, in the afternoon; when that is today and the afternoon has
    # not come yet (the demo built on a Monday morning after a Friday publication), an hour ago.
    filed = min(
        _at(_weekday(published_on + timedelta(days=1)), 15),
        timezone.now() - timedelta(hours=1),
    )
    for plan in groups.get(EvaluationStatus.OBJECTION, []):
        with _clock(filed):
            services.objection_file(
                actor=plan.manager,
                evaluation=plan.evaluation,
                objection="对H1满意度评分有异议：调查样本中有3名受访者并非本站服务对象，请求复核。",
            )
    return round_, entries.overridden


def _return_once(rng: random.Random, plan: Plan, today: date) -> None:
    """The district returns the scoring with a comment; the evaluator corrects H1's finding
    and submits again a few days later."""
    returned = _weekday_before(today - timedelta(days=11))
    with _clock(_at(returned, 10)):
        services.review_return(
            actor=plan.officer,
            evaluation=plan.evaluation,
            comment="H1扣分依据不充分，请补充满意度调查样本和扣分说明后重新提交。",
        )
    again = _weekday_before(today - timedelta(days=5))
    score = next(s for s in plan.scores if s.indicator.code == "H1")
    value = plan.marks[score.pk][0]
    with _clock(_at(again, 10)):
        services.score_set(
            actor=plan.evaluator,
            score=score,
            evaluator_score=value,
            finding=""
            if value >= score.indicator.points
            else "电话回访服务对象30名、入户10名，对上门服务频次的满意度偏低（样本说明见附件）。",
        )
    with _clock(_at(again, 16)):
        services.scoring_submit(actor=plan.evaluator, evaluation=plan.evaluation)


def _answer_some(rng: random.Random, plans: Sequence[Plan], final_on: date, today: date) -> None:
    """A third of the mid-term round's rectification items already answered, awaiting the
    district's verification."""
    by_evaluation = {p.evaluation.pk: p for p in plans}
    items = RectificationItem.objects.filter(
        evaluation__in=[p.evaluation for p in plans], status=RectificationStatus.ISSUED
    ).order_by("evaluation__region_code", "pk")
    for item in items:
        day = _weekday_before(today - timedelta(days=1 + rng.randint(0, 5)))
        if day <= final_on or rng.random() >= 0.35:
            continue
        with _clock(_at(day, 15)):
            services.rectification_answer(
                actor=by_evaluation[item.evaluation_id].manager,
                item=item,
                answer=rng.choice(RECTIFY_ANSWERS),
            )


def _log(
    log: Callable[[str], None],
    cast: Cast,
    annual: tuple[EvaluationRound, int],
    mid_term: tuple[EvaluationRound, int],
    today: date,
    started: float,
) -> None:
    """One line: the evaluators, the annual round's grades and rectification items, the
    mid-term round's steps, the overrides and the time taken."""
    (first, first_overridden), (second, second_overridden) = annual, mid_term
    grades = Counter(StationEvaluation.objects.filter(round=first).values_list("grade", flat=True))
    vetoed = StationEvaluation.objects.filter(round=first).exclude(veto="").count()
    steps = Counter(StationEvaluation.objects.filter(round=second).values_list("status", flat=True))
    items = RectificationItem.objects.filter(evaluation__round=first)
    closed = items.filter(status=RectificationStatus.CLOSED)
    rectification = {
        "closed on time": closed.filter(closed_on_time=True).count(),
        "closed late": closed.filter(closed_on_time=False).count(),
        "reopened": items.filter(status=RectificationStatus.REOPENED).count(),
        "overdue": items.filter(
            status__in=(RectificationStatus.ISSUED, RectificationStatus.REOPENED),
            due_on__lt=today,
        ).count(),
    }
    experts = sum(1 for u in cast.evaluators if cast.agency_of[u.pk] is None)
    log(
        f"evaluation: {len(cast.evaluators)} evaluators ({len(cast.evaluators) - experts} of "
        f"{len(AGENCIES)} agencies, {experts} independent); {first.name}: "
        + ", ".join(f"{grade} {grades[grade]}" for grade in GRADES)
        + f" ({vetoed} by a veto), {items.count()} rectification items ("
        + ", ".join(f"{k} {v}" for k, v in rectification.items())
        + f"), {first_overridden} automatic scores overridden; {second.name}: "
        + ", ".join(f"{s} {steps[s]}" for s in EvaluationStatus.values if steps[s])
        + f", {second_overridden} overridden; {clock_time.perf_counter() - started:.1f} s"
    )
