"""Demo casework (domain.md §3) over the demo's history (issue 18, demo/history.py): cases
opened and closed in every year since the stations opened, in every stage on the day the demo is
built (a few reopened, a few transferred between workers or stations), with their plans' goals,
supervisors, approved closures and the log of their stage changes; the stations' service
records from the day each person was registered to the day they left service or the demo was
built, growing as stations open and mature (300,000 over the last 12 months; the years before
the previous one sampled unless ``demo --full-history``), by the social workers in post that
day, covering most but not all villages; the 幸福来敲门 project of 招宝山街道 (48 elders over 80
of 后大街社区 with twice-monthly health visits since they joined, and MZ/T 039-2013 assessments
every six months, a few reassessments falling due); and 周巷镇's 35 children in difficulty, each
with a case, a needs assessment and its reassessments, a personalised help plan (一人一案) and a
monthly home visit. ``demo --scale N`` (demo/scale.py) writes N times the service records among
N times the recipients; the cases and the two exact places stay as they are.

Dates run up to the day of the build (:func:`~swstation.demo.history.demo_history`): the same
day gives the same rows; another day gives the same people, cases and plans with their dates
stretched to it, and the records of the days in between.

Cases are made in their final state, and their history rows are written as the stage machine
of cases/services/cases.py would have left them (one row per stage change, dated that day),
so that a case's timeline reads as if it had been worked through the pages.
"""

import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from swstation.accounts.models import User
from swstation.cases.instruments import child_needs, gbt42195, mzt039
from swstation.cases.instruments.gbt42195_items import INSTRUMENT as GBT42195
from swstation.cases.models import (
    AssessmentReason,
    Case,
    CaseGoal,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ChildNeedsAssessment,
    ClosingReason,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.core.dates import add_months, age_on
from swstation.demo.bulk import HISTORY_COLUMNS, analyze, insert_rows, insert_with_history
from swstation.demo.history import (
    HISTORY_START,
    History,
    demo_history,
    maturity,
    maturity_days,
)
from swstation.demo.recipients import (
    HOUDAJIE_NAME,
    MIX_OF,
    ZHAOBAOSHAN,
    ZHOUXIANG,
)
from swstation.demo.scale import demo_scale
from swstation.demo.stations import BATCH, random_day
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind
from swstation.workforce.models import Post, SocialWorker, Supervisor

SERVICE_RECORDS = 300_000  # over the last 12 months, city-wide (× scale)
CASES = 6_000  # over the whole history, including 周巷镇's 35 children's cases
REOPENED = 25
TRANSFERS_WITHIN = 30  # to another worker of the same station
TRANSFERS_BETWEEN = 12  # to the station of the township the recipient moved to
UNCOVERED_VILLAGE_SHARE = 0.05  # villages with no service at all
PROJECT = "幸福来敲门"
PROJECT_ELDERS = 48
PROJECT_OVERDUE = 10  # of the 48, last visited more than 15 days ago
PROJECT_DUE = 6  # of the 48, due within the next days
PROJECT_LAUNCH = date(2022, 3, 1)  # or half a year after 招宝山街道's station opened
PROJECT_LATE_REASSESSMENTS = 8  # of the 48, the last reassessment not yet made
CHILD_PLAN = "一人一案"
CHILDREN_OVERDUE = 6  # of 周巷镇's 35, last visited more than a month ago
TZ = ZoneInfo(settings.TIME_ZONE)

STAGES = tuple(CaseStage.values)
STAGE_ZH = {
    "intake": "接案",
    "assessment": "预估",
    "planning": "计划",
    "intervention": "介入",
    "evaluation": "评估",
    "closed": "结案",
}
# The steps of a case after its opening, in order: each a stage change but the closure request.
STEPS = ("assessment", "planning", "intervention", "evaluation", "request", "closed")
# Why a case closes when its person leaves service.
EXIT_CLOSING = {
    "deceased": ClosingReason.DECEASED,
    "moved_away": ClosingReason.MOVED,
    "declined": ClosingReason.DECLINED,
    "ineligible": ClosingReason.OTHER,
}

# --- texts ------------------------------------------------------------------------------

PROBLEMS = {
    "elderly": (
        "{age}岁,独自居住,子女在外地工作,近期在家中跌倒一次,日常起居和就医存在困难,"
        "网格员走访时发现并转介社工站。",
        "{age}岁,老伴去世后情绪低落,很少出门,邻居反映其多日未下楼,精神状况令人担忧。",
        "{age}岁,患{disease}等慢性病,用药种类多且常忘记服药,子女无法经常照看。",
        "{age}岁,居住的老房子没有电梯,行动不便,买菜、就医需要他人协助。",
        "{age}岁,听力下降后与家人沟通减少,拒绝外出参加活动,家属求助。",
    ),
    "low income": (
        "家庭主要劳动力患病失业,家庭收入低,子女上学费用压力大,申请帮扶。",
        "低保家庭,房屋年久失修,雨季漏水严重,申请临时救助和房屋修缮。",
        "家庭成员长期患病,自付医疗费用高,申请医疗救助时材料准备遇到困难。",
        "因债务纠纷家庭关系紧张,夫妻矛盾频发,生活陷入困境。",
    ),
    "disabled": (
        "{age}岁,肢体残疾,求职屡次受挫,希望获得就业帮扶和技能培训。",
        "{age}岁,重度残疾,主要照料者年迈,家庭照护压力大,需要喘息服务。",
        "精神障碍患者,出院后服药依从性差,家属担心病情反复,主动求助。",
        "{age}岁,行动不便,家中需要无障碍改造和辅具适配。",
    ),
    "children": (
        "{situation},近期学习成绩明显下滑,情绪不稳定,学校老师转介。",
        "{situation},监护人年迈体弱,孩子缺乏生活照料和课业辅导。",
        "{situation},在校与同学冲突频繁,不愿上学,监护人求助。",
    ),
    "other": (
        "新市民家庭,子女入学和社保办理遇到困难,不熟悉办事流程。",
        "辍学在家,与社会闲散人员交往密切,家长担心其走上歧途,主动求助。",
        "与邻居因噪音和漏水问题纠纷长期未解决,影响正常生活。",
        "刚出院,独自在甬务工,缺乏照顾和经济来源,需要链接社区资源。",
    ),
}
ASSESSMENTS = {
    "elderly": (
        "经入户预估,服务对象日常生活能部分自理,主要需求为生活照料、健康管理和情感慰藉;"
        "子女支持有限,社区邻里关系尚可,可链接居家养老服务中心资源。",
        "服务对象存在孤独感和跌倒风险,家庭支持系统薄弱;优势是意识清楚、愿意接受服务。",
    ),
    "low income": (
        "家庭经济来源单一,已享受低保但医疗和教育支出缺口较大;家庭成员有改变意愿,"
        "可申请临时救助并链接就业资源。",
        "主要问题为经济困难与家庭关系紧张相互影响;需同时开展救助申请和家庭关系调适。",
    ),
    "disabled": (
        "服务对象康复意愿较强,但缺乏就业信息和辅具;照料者负担重,需要社会支持。",
        "家庭照护能力不足,服务对象社会参与少;可链接残联康复和托养资源。",
    ),
    "children": (
        "儿童基本生活有保障,但缺乏情感陪伴和学业支持;监护人监护能力有限,需加强监护指导。",
        "儿童存在一定心理困扰,学校和家庭沟通不足;需建立家校社协同支持网络。",
    ),
    "other": (
        "服务对象对本地政策和资源不熟悉,社会支持网络薄弱;有较强的改变动机。",
        "问题主要来自人际冲突和沟通方式,双方均有解决意愿,适合开展调解和沟通辅导。",
    ),
}
INTERVENTIONS = {
    "elderly": (
        "链接居家养老服务中心提供助餐和助洁服务;社工每月两次入户探访;安装智能烟感和"
        "紧急呼叫设备;组织志愿者结对陪伴。",
        "协助申请高龄津贴和居家养老服务补贴;联系家庭医生签约上门随访;开展老年人防跌倒指导。",
    ),
    "low income": (
        "协助申请临时救助和医疗救助;链接爱心企业提供助学金;开展家庭会议改善沟通。",
        "协助对接就业服务中心推荐岗位;联系慈善基金会资助房屋修缮;每月跟进家庭情况。",
    ),
    "disabled": (
        "链接残联辅具中心完成辅具适配;推荐参加职业技能培训;为照料者提供喘息服务。",
        "协助办理残疾人两项补贴;联系社区康复站开展康复训练;组织同伴支持小组。",
    ),
    "children": (
        "每月入户探访并开展个案辅导;链接志愿者每周课业辅导;指导监护人履行监护职责。",
        "与学校班主任建立联络机制;开展情绪管理辅导;链接助学资源和暑期托管服务。",
    ),
    "other": (
        "协助办理居住证和子女入学手续;链接社区新市民服务站资源;开展融入小组活动。",
        "组织双方进行调解并达成协议;开展沟通技巧辅导;联系物业落实维修。",
    ),
}
EVALUATIONS = (
    "服务目标基本达成:服务对象生活状况稳定,支持网络建立,情绪状态明显改善。",
    "大部分目标已实现,服务对象已能独立获取所需资源,家庭对服务满意。",
    "服务对象问题得到缓解,建议转为常规探访,由村(社区)持续关注。",
)
CLOSINGS = {
    ClosingReason.GOALS_MET: "服务目标已达成,服务对象及家属同意结案,转入常规关怀。",
    ClosingReason.REFERRED: "服务对象需求转为专业医疗/康复服务,已转介相关机构,本案结案。",
    ClosingReason.DECLINED: "服务对象表示暂不需要继续服务,尊重其意愿结案,告知求助渠道。",
    ClosingReason.MOVED: "服务对象已迁出本辖区,已告知迁入地社工站,本案结案。",
    ClosingReason.DECEASED: "服务对象已去世,协助家属办理相关手续后结案。",
    ClosingReason.OTHER: "因情况变化本案结案,相关信息已移交村(社区)。",
}
GOALS = {
    "elderly": (
        ("服务对象每日获得助餐服务", "链接居家养老服务中心,安排助餐送餐"),
        ("降低居家跌倒风险", "完成居家环境评估,加装扶手和防滑垫"),
        ("服务对象按时服药,慢性病得到控制", "联系家庭医生签约,每周电话提醒"),
        ("缓解孤独感,每周参加一次社区活动", "志愿者结对陪伴,邀请参加老年活动室活动"),
        ("建立紧急求助渠道", "安装紧急呼叫设备,登记紧急联系人"),
    ),
    "low income": (
        ("家庭获得临时救助,缓解当前困难", "协助准备材料,向镇(街道)申请临时救助"),
        ("家庭主要劳动力实现就业", "对接就业服务中心,推荐合适岗位"),
        ("子女顺利完成本学年学业", "链接助学金资源,联系学校减免费用"),
        ("改善家庭成员沟通", "开展家庭会议,进行沟通技巧辅导"),
    ),
    "disabled": (
        ("完成辅具适配", "链接残联辅具中心评估并适配"),
        ("参加职业技能培训并获得证书", "推荐参加残疾人职业技能培训班"),
        ("照料者每月获得一次喘息服务", "链接托养机构提供短期托养"),
        ("办理残疾人两项补贴", "协助准备申请材料并跟进审批"),
    ),
    "children": (
        ("儿童生活照料得到保障", "指导监护人履行监护职责,每月入户核查"),
        ("学习成绩稳定提高", "安排志愿者每周课业辅导"),
        ("儿童情绪状况改善", "每月一次个案辅导,必要时转介心理咨询"),
        ("建立家校社联络机制", "与班主任、儿童主任建立联系群"),
    ),
    "other": (
        ("完成居住证和子女入学手续", "陪同办理,提供政策咨询"),
        ("纠纷得到调解", "组织双方调解并达成书面协议"),
        ("建立社区支持网络", "链接社区新市民服务站和志愿者"),
    ),
}
TRANSFER_REASONS = (
    "原负责社工调岗,工作交接。",
    "根据站内工作量调整,改由其他社工跟进。",
    "原负责社工休产假,个案移交。",
)

# Service records: type weights by the recipient's mix group, durations and texts. The six
# services the stations name (困难救助 assistance, 矛盾调处 mediation, 人文关怀 care, 心理疏导
# counselling, 行为矫治 correction, 关系调适 relationship) and the practical ones (适老化改造,
# 理发, 修脚, 健康指导) besides visits, calls and referrals (issue 11).
TYPE_WEIGHTS = {
    "elderly": {
        "home_visit": 34,
        "phone": 26,
        "health_visit": 14,
        "practical": 9,
        "care": 6,
        "assistance": 4,
        "counselling": 3,
        "relationship": 1,
        "referral": 2,
        "other": 1,
    },
    "low income": {
        "home_visit": 28,
        "phone": 22,
        "assistance": 24,
        "referral": 8,
        "counselling": 5,
        "practical": 5,
        "care": 3,
        "relationship": 2,
        "mediation": 2,
        "other": 1,
    },
    "disabled": {
        "home_visit": 28,
        "phone": 19,
        "assistance": 15,
        "practical": 14,
        "referral": 9,
        "counselling": 7,
        "care": 3,
        "relationship": 2,
        "health_visit": 2,
        "other": 1,
    },
    "children": {
        "home_visit": 32,
        "counselling": 22,
        "phone": 14,
        "assistance": 13,
        "relationship": 6,
        "correction": 3,
        "care": 3,
        "referral": 4,
        "practical": 2,
        "other": 1,
    },
    "other": {
        "phone": 26,
        "counselling": 20,
        "home_visit": 17,
        "correction": 10,
        "mediation": 9,
        "relationship": 6,
        "referral": 8,
        "assistance": 3,
        "care": 1,
        "other": 1,
    },
}
DURATIONS = {
    "home_visit": (30, 90),
    "health_visit": (30, 60),
    "phone": (5, 20),
    "counselling": (45, 90),
    "assistance": (30, 120),
    "mediation": (60, 150),
    "referral": (20, 60),
    "practical": (60, 180),
    "care": (20, 60),
    "correction": (45, 90),
    "relationship": (45, 120),
    "other": (20, 60),
}
PLACES = {
    "phone": ("",),
    "counselling": ("社工站个案室", "社工站个案室", "村(社区)党群服务中心"),
    "assistance": ("社工站", "镇(街道)社会救助服务联合体", "服务对象家中"),
    "mediation": ("村(社区)调解室", "社工站小组活动室"),
    "referral": ("", "社工站"),
    "care": ("服务对象家中", "村(社区)党群服务中心", "社工站"),
    "correction": ("社工站个案室", "镇(街道)司法所", "村(社区)党群服务中心"),
    "relationship": ("服务对象家中", "社工站个案室"),
    "other": ("社工站", "村(社区)党群服务中心"),
}
NOTES = {
    "home_visit": (
        "入户探访,了解近期生活情况,居家环境安全,饮食起居正常。",
        "入户探访,服务对象精神状态良好,提醒按时服药,注意防寒保暖。",
        "入户探访,检查燃气和用电安全,叮嘱夜间起身防跌倒。",
        "入户探访,陪同聊天,了解其近期需求,反馈给村(社区)。",
        "入户探访,服务对象反映近期睡眠不好,已建议到卫生院就诊。",
    ),
    "health_visit": (
        "健康随访,测量血压、血糖,指导合理用药和饮食。",
        "健康随访,服务对象血压偏高,提醒低盐饮食并按时服药。",
        "健康随访,协助预约家庭医生上门检查。",
    ),
    "phone": (
        "电话问候,服务对象近况良好。",
        "电话回访,了解上次服务后的情况,无新增需求。",
        "电话提醒复诊时间和需携带的材料。",
        "电话关怀,天气变化提醒注意保暖防暑。",
    ),
    "counselling": (
        "个案辅导,倾听服务对象的困扰,协助梳理情绪。",
        "个案面谈,讨论服务目标进展,调整下一步计划。",
        "情绪疏导,服务对象焦虑情绪有所缓解。",
    ),
    "assistance": (
        "协助准备救助申请材料并提交镇(街道)审核。",
        "协助办理补贴申领手续。",
        "发放慈善物资(米、油、棉被)。",
        "陪同到医院就诊并协助办理医保报销。",
    ),
    "mediation": (
        "组织双方面对面沟通,初步达成谅解。",
        "邻里纠纷调解,双方同意按协议执行。",
    ),
    "referral": (
        "转介至镇卫生院家庭医生团队。",
        "转介至残联辅具中心评估。",
        "转介至心理咨询机构。",
        "转介至就业服务中心推荐岗位。",
    ),
    "practical": (
        "上门助洁,整理房间、清洗衣物。",
        "代购生活用品并送货上门。",
        "志愿者上门理发。",
        "志愿者上门修脚。",
        "适老化改造:加装卫生间扶手、铺设防滑地垫。",
        "健康指导:讲解慢性病用药和饮食注意事项。",
        "协助维修水电和更换灯泡。",
    ),
    "care": (
        "中秋节上门慰问,送上月饼和慰问品。",
        "重阳节敬老慰问,陪伴聊天。",
        "送生日蛋糕,开展生日关怀。",
        "春节前走访慰问,了解生活所需。",
    ),
    "correction": (
        "行为矫治个案辅导,回顾本月行为改变目标的完成情况。",
        "协同司法所开展社区矫正对象教育帮扶,进行认知行为训练。",
        "青少年行为偏差干预,与家长共同制定行为契约。",
    ),
    "relationship": (
        "家庭关系调适,协助家庭成员沟通,缓和代际矛盾。",
        "夫妻关系辅导,引导双方表达各自需求。",
        "亲子关系调适,开展亲子沟通练习。",
    ),
    "other": (
        "邀请参加社区中秋活动。",
        "邀请参加村(社区)健康讲座。",
    ),
}
VOLUNTEER_TEAMS = ("益相伴志愿服务队", "红色帮帮团", "夕阳红志愿服务队", "邻里守望志愿服务队")
CHILD_PLAN_LINES = {
    "safety": "安全保护:每月入户核查监护状况,开展防溺水、防性侵和交通安全教育,发现风险立即报告。",
    "health": "健康医疗:链接镇卫生院家庭医生签约,每季度健康检查,协助申请医疗救助。",
    "education": "教育支持:对接学校班主任,安排爱心志愿者每周一次课业辅导,申请助学金。",
    "family_care": "监护支持:指导监护人履行监护职责,村儿童主任每周探访,协助落实生活补贴。",
    "psychology": "心理支持:社工每月一次个案辅导,必要时转介心理咨询师。",
    "social_support": "社会支持:链接爱心企业结对帮扶,邀请参加暑期成长营和兴趣小组。",
}
CHILD_NEED_NOTES = {
    "safety": ("监护人外出务工时儿童独自在家", "居住环境存在安全隐患"),
    "health": ("营养状况一般", "患慢性病需定期复查"),
    "education": ("学习成绩中下,缺乏课业辅导", "上学路途较远"),
    "family_care": ("祖辈监护,精力有限", "监护人身体不好"),
    "psychology": ("性格内向,情绪低落", "对父母离开有失落感"),
    "social_support": ("同伴交往较少", "亲属支持有限"),
}


# --- helpers ------------------------------------------------------------------------------


def at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment on ``day`` in the city's time zone."""
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))), TZ)


def days_between(start: date, end: date) -> int:
    return (end - start).days


@dataclass
class Person:
    """What the step needs to know of a recipient (read once, in id order)."""

    id: int
    name: str
    region_id: int
    village_code: str
    station_id: int
    birth_date: date | None
    status: str
    address: str
    note: str
    registered_on: date = date(2020, 1, 1)
    exited_on: date | None = None
    exit_reason: str = ""
    categories: list[str] = field(default_factory=list)

    @property
    def mix(self) -> str:
        return MIX_OF[self.categories[0]] if self.categories else "other"

    def last_day(self, end: date) -> date:
        """The last day in service: the day before the exit, or ``end``."""
        return self.exited_on - timedelta(days=1) if self.exited_on else end


@dataclass
class Event:
    day: date
    kind: str
    changes: dict[str, Any]


@dataclass
class PlannedCase:
    person: Person
    station_id: int  # where it is now
    worker_id: int  # who has it now
    opened_station_id: int  # where it was opened (numbering)
    opened_on: date
    end: date  # the day the demo is built
    events: list[Event] = field(default_factory=list)
    goals: list[tuple[str, str, date, bool]] = field(default_factory=list)
    planning_on: date | None = None
    transfer: tuple[int, int, date, str] | None = None  # from station, from worker, day, reason
    state: dict[str, Any] = field(default_factory=dict)

    def worker_on(self, day: date) -> tuple[int, int]:
        """(station, worker) responsible on ``day``."""
        if self.transfer is not None and day < self.transfer[2]:
            return self.transfer[0], self.transfer[1]
        return self.station_id, self.worker_id

    def open_between(self) -> tuple[date, date]:
        closed = self.state.get("closed_on")
        return self.opened_on, closed or self.end


@dataclass(frozen=True)
class Roster:
    """Who was in post at a station from a day on: everyone, and the social workers (the
    director when there is none)."""

    everyone: tuple[int, ...]
    caseworkers: tuple[int, ...]
    members: frozenset[int]


class _Staff:
    """The staff of the township stations with their hire and leave dates: who was in post at
    a station on a day (:meth:`on`), social workers first."""

    def __init__(self) -> None:
        self.user_of: dict[int, int] = {}
        self.opened: dict[int, date] = {
            pk: opened_on
            for pk, opened_on in Station.objects.filter(kind=StationKind.TOWNSHIP).values_list(
                "id", "opened_on"
            )
            if opened_on is not None
        }
        members: dict[int, list[tuple[int, str, date, date | None]]] = {}
        for worker_id, station_id, post, user_id, hired_on, left_on, opened_on in (
            SocialWorker.objects.filter(station__kind=StationKind.TOWNSHIP)
            .order_by("id")
            .values_list(
                "id", "station_id", "post", "user_id", "hired_on", "left_on", "station__opened_on"
            )
        ):
            start = hired_on or opened_on or HISTORY_START
            members.setdefault(station_id, []).append((worker_id, post, start, left_on))
            if user_id:
                self.user_of[worker_id] = user_id
        self._days: dict[int, list[int]] = {}
        self._rosters: dict[int, list[Roster]] = {}
        for station_id, staff in members.items():
            days = sorted(
                {s.toordinal() for _w, _p, s, _l in staff}
                | {left.toordinal() for _w, _p, _s, left in staff if left}
            )
            rosters = []
            for day in days:
                here = [
                    (w, p)
                    for w, p, s, left in staff
                    if s.toordinal() <= day and (left is None or left.toordinal() > day)
                ]
                everyone = tuple(w for w, _p in here) or (staff[0][0],)
                workers = tuple(w for w, p in here if p != Post.STATION_DIRECTOR) or everyone
                rosters.append(Roster(everyone, workers, frozenset(everyone)))
            self._days[station_id] = days
            self._rosters[station_id] = rosters

    def opened_on(self, station_id: int) -> date:
        return self.opened[station_id]

    def on(self, station_id: int, day: date) -> Roster:
        """The roster of ``station_id`` on ``day`` (its first one before anyone was hired)."""
        index = bisect_right(self._days[station_id], day.toordinal()) - 1
        return self._rosters[station_id][max(index, 0)]

    def caseworkers(self, station_id: int, day: date) -> tuple[int, ...]:
        return self.on(station_id, day).caseworkers

    def through(self, station_id: int, start: date, end: date) -> list[int]:
        """The caseworkers in post at ``station_id`` from ``start`` to ``end``."""
        later = self.on(station_id, end).members
        return [w for w in self.caseworkers(station_id, start) if w in later]


# --- the step -----------------------------------------------------------------------------


def build_cases(log: Callable[[str], None]) -> None:
    scale = demo_scale()
    if Case.objects.exists() or ServiceRecord.objects.exists():
        hint = "; --scale applies to an empty database: add --flush" if scale != 1 else ""
        log(
            f"cases: already built ({Case.objects.count()} cases, "
            f"{ServiceRecord.objects.count()} service records{hint})"
        )
        return
    rng = random.Random("demo-cases")
    line = demo_history()
    end = line.end
    staff = _Staff()
    stations = {
        s.id: s for s in Station.objects.filter(kind=StationKind.TOWNSHIP).select_related("region")
    }
    station_of_township = {s.region.code: s.id for s in stations.values()}
    people = _people()

    # Each recipient's usual worker at their station, among those in post when they registered.
    primary = {p.id: rng.choice(staff.caseworkers(p.station_id, p.registered_on)) for p in people}

    # Villages without any service (never the two exact places).
    villages = sorted({p.village_code for p in people})
    protected = {p.village_code for p in people if p.village_code.startswith(ZHAOBAOSHAN[:9])}
    protected |= {p.village_code for p in people if p.village_code.startswith(ZHOUXIANG[:9])}
    candidates = [v for v in villages if v not in protected]
    uncovered = set(rng.sample(candidates, round(len(villages) * UNCOVERED_VILLAGE_SHARE)))

    children = [
        p
        for p in people
        if p.village_code.startswith(ZHOUXIANG[:9]) and "child_in_difficulty" in p.categories
    ]
    plans = _plan_cases(rng, people, children, uncovered, staff, stations, primary, end)
    cases, transfers, goals, changes = _save_cases(rng, plans, stations, staff)
    case_of = {plan.person.id: (plan, case) for plan, case in zip(plans, cases, strict=True)}

    project = _project(rng, end, people, staff, station_of_township)
    gbt42195_rows = _gbt42195_assessments(
        random.Random("demo-gbt42195"),
        end,
        people,
        {p.id for p in project.elders},
        staff.caseworkers,
        station_of_township,
    )
    log(
        f"cases: {len(gbt42195_rows)} GB/T 42195-2022 assessments of the other high-age elders "
        "living alone of 后大街社区"
    )
    child_rows = _children(rng, end, children, case_of, staff)

    records = _service_records(
        rng,
        line,
        people,
        uncovered,
        staff,
        primary,
        case_of,
        {p.id: "health_visit" for p in project.elders} | {p.id: "home_visit" for p in children},
        SERVICE_RECORDS * scale,
    )
    _analyze()
    stages = Counter(case.stage for case in cases)
    opened = Counter(case.opened_on.year for case in cases)
    closed = Counter(case.closed_on.year for case in cases if case.closed_on)
    covered = len({p.village_code for p in people if p.id in records.served})
    log(
        f"cases: {len(cases)} cases opened "
        + ", ".join(f"{year} {opened[year]}" for year in sorted(opened))
        + "; closed "
        + ", ".join(f"{year} {closed[year]}" for year in sorted(closed))
        + "; now "
        + ", ".join(f"{stage} {stages[stage]}" for stage in STAGES)
        + f" ({sum(1 for c in cases if c.reopened_count)} reopened, {len(transfers)} "
        f"transfers, {changes} stage changes), {len(goals)} goals; {records.count} service "
        f"records ({line.describe()}; by year "
        + ", ".join(f"{year} {records.by_year[year]}" for year in sorted(records.by_year))
        + f"; {records.last_year} in the last 12 months) reaching {len(records.served)} "
        f"recipients in {covered} of {len(villages)} villages; {PROJECT}: "
        f"{len(project.elders)} elders with visit schedules, {len(project.visits)} health visits "
        f"and {len(project.assessments)} MZ/T 039-2013 assessments; 周巷镇: "
        f"{len(child_rows.assessments)} child needs assessments with help plans, "
        f"{len(child_rows.visits)} monthly home visits"
    )


def _analyze() -> None:
    analyze(
        (
            Recipient,
            Recipient.categories.through,
            Case,
            CaseGoal,
            CaseTransfer,
            CaseStageChange,
            ServiceRecord,
            VisitSchedule,
            ElderlyAssessment,
            ChildNeedsAssessment,
        )
    )


def _people() -> list[Person]:
    people: dict[int, Person] = {}
    for row in (
        Recipient.objects.order_by("id")
        .filter(station__isnull=False)
        .values_list(
            "id",
            "name",
            "region_id",
            "region__code",
            "station_id",
            "birth_date",
            "status",
            "address",
            "note",
            "registered_on",
            "exited_on",
            "exit_reason",
        )
    ):
        people[row[0]] = Person(*row)
    through = Recipient.categories.through
    for recipient_id, code in (
        through.objects.order_by("id")
        .filter(recipient_id__in=people)
        .values_list("recipient_id", "category__code")
    ):
        people[recipient_id].categories.append(code)
    return list(people.values())


# --- cases --------------------------------------------------------------------------------


def _plan_cases(
    rng: random.Random,
    people: Sequence[Person],
    children: Sequence[Person],
    uncovered: set[str],
    staff: _Staff,
    stations: dict[int, Station],
    primary: dict[int, int],
    end: date,
) -> list[PlannedCase]:
    """:data:`CASES` cases, each opened on a day its person was in service: more in the years
    when more people were, none before a station opened."""
    supervisors = list(
        Supervisor.objects.select_related("region")
        .order_by("id")
        .values_list("id", "region__code", "region__level", "user_id")
    )
    city_admin = User.objects.filter(username="city_admin").values_list("id", flat=True).first()
    weight_of = {
        "elderly": 1.0,
        "low income": 1.3,
        "disabled": 1.2,
        "children": 1.5,
        "other": 0.8,
    }
    child_ids = {c.id for c in children}
    keyed = []
    for person in people:
        if person.id in child_ids or person.village_code in uncovered:
            continue
        if person.status == RecipientStatus.MERGED:
            continue
        served = days_between(person.registered_on, person.last_day(end))
        if served < 30:
            continue
        # A person served longer is likelier to have had a case.
        weight = weight_of[person.mix] * min(served, 3 * 365) / 365
        if (
            "elderly_living_alone" in person.categories
            or "bereaved_only_child" in person.categories
        ):
            weight *= 1.5
        keyed.append((rng.random() ** (1.0 / weight), person.id, person))
    keyed.sort(key=lambda k: (-k[0], k[1]))
    chosen = [k[2] for k in keyed[: CASES - len(children)]]
    chosen.sort(key=lambda p: p.id)

    plans: list[PlannedCase] = []
    for person in [*chosen, *children]:
        plans.append(
            _plan_case(
                rng,
                person,
                person.id in child_ids,
                supervisors,
                city_admin,
                staff,
                primary,
                stations,
                end,
            )
        )

    # A few cases closed with their goals met reopened (the person's situation came back).
    reopenable = [
        p
        for p in plans
        if p.state["stage"] == CaseStage.CLOSED
        and p.state["closing_reason"] == ClosingReason.GOALS_MET
        and p.person.exited_on is None
        and end - timedelta(days=400) <= p.state["closed_on"] <= end - timedelta(days=60)
    ]
    for plan in rng.sample(reopenable, min(REOPENED, len(reopenable))):
        closed_on = plan.state["closed_on"]
        day = random_day(rng, closed_on + timedelta(days=20), end - timedelta(days=10))
        _apply(
            plan,
            Event(
                day,
                "reopen",
                {
                    "stage": CaseStage.INTERVENTION.value,
                    "reopened_count": 1,
                    "closed_on": None,
                    "closure_requested_at": None,
                    "closure_approved_by_id": None,
                    "closing_reason": "",
                    "closing_summary": "",
                },
            ),
        )

    # Transfers: to another worker of the station, or from the station of the township the
    # recipient lived in before to the one they moved to (same county, open by then).
    def transferable(p: PlannedCase) -> bool:
        return (
            p.person.id not in child_ids
            and p.transfer is None
            and not p.state["reopened_count"]
            and p.planning_on is not None
        )

    def handover_window(p: PlannedCase) -> tuple[date, date]:
        assert p.planning_on is not None
        requested = p.state.get("closure_requested_at")
        last = requested.date() if requested else p.state.get("closed_on") or end
        return p.planning_on + timedelta(days=1), min(last, end)

    within = []
    for plan in plans:
        if transferable(plan):
            first, last = handover_window(plan)
            if first <= last and [
                w for w in staff.through(plan.station_id, first, last) if w != plan.worker_id
            ]:
                within.append(plan)
    for plan in rng.sample(within, min(TRANSFERS_WITHIN, len(within))):
        first, last = handover_window(plan)
        day = random_day(rng, first, last)
        others = [w for w in staff.through(plan.station_id, day, last) if w != plan.worker_id]
        if not others:
            continue
        previous = plan.worker_id
        plan.worker_id = rng.choice(others)
        _transfer(plan, plan.station_id, previous, day, rng.choice(TRANSFER_REASONS))
    by_county: dict[str, list[Station]] = {}
    for station in stations.values():
        by_county.setdefault(station.region.code[:6], []).append(station)

    def earlier_stations(p: PlannedCase) -> list[Station]:
        here = stations[p.station_id]
        return [
            s
            for s in by_county[here.region.code[:6]]
            if s.id != here.id and s.opened_on is not None and s.opened_on <= p.opened_on
        ]

    between = [p for p in plans if transferable(p) and earlier_stations(p)]
    for plan in rng.sample(between, min(TRANSFERS_BETWEEN, len(between))):
        first, last = handover_window(plan)
        if first > last:
            continue
        here = stations[plan.station_id]
        before = rng.choice(earlier_stations(plan))
        day = random_day(rng, first, last)
        plan.opened_station_id = before.id
        _transfer(
            plan,
            before.id,
            rng.choice(staff.caseworkers(before.id, plan.opened_on)),
            day,
            f"服务对象搬迁至{here.region.name},转至属地{here.name}跟进。",
        )
    return plans


def _apply(plan: PlannedCase, event: Event) -> None:
    plan.events.append(event)
    plan.state.update(event.changes)


def _transfer(plan: PlannedCase, from_station: int, from_worker: int, day: date, why: str) -> None:
    """Make the case's past belong to ``from_worker`` at ``from_station`` until ``day`` (its
    current worker and station take it over then)."""
    plan.transfer = (from_station, from_worker, day, why)
    plan.events.append(Event(day, "transfer", {}))
    plan.events.sort(key=lambda e: (e.day, e.kind != "open"))


def _plan_case(
    rng: random.Random,
    person: Person,
    is_child: bool,
    supervisors: Sequence[tuple[int, str, str, int | None]],
    city_admin: int | None,
    staff: _Staff,
    primary: dict[int, int],
    stations: dict[int, Station],
    end: date,
) -> PlannedCase:
    """A case opened on a day its person was in service and worked through its stages as far
    as the days allow by ``end``; closed when the person left service. 周巷镇's children's
    cases stay in intervention."""
    durations = {
        "assessment": rng.randint(3, 14),
        "planning": rng.randint(5, 21),
        "intervention": rng.randint(3, 10),
        "evaluation": rng.randint(60, 240),
        "request": rng.randint(7, 30),
        "closed": rng.randint(1, 7),
    }
    if not is_child and rng.random() < 0.25:  # a case that takes its time to get going
        for step in ("assessment", "planning"):
            durations[step] *= rng.randint(2, 5)
    station_id = person.station_id
    opened_floor = stations[station_id].opened_on
    assert opened_floor is not None
    first = max(person.registered_on + timedelta(days=7), opened_floor)
    # Opened while the person was in service, at least three weeks before an exit.
    last = person.exited_on - timedelta(days=21) if person.exited_on else end
    if is_child:
        last = end - timedelta(days=90)
    opened_on = random_day(rng, min(first, last), last) if first <= last else first
    exit_day = person.exited_on if person.exited_on and person.exited_on <= end else None

    county = person.village_code[:6]
    serving = [
        s for s in supervisors if s[2] == "city" or (s[2] == "county" and s[1].startswith(county))
    ]
    supervisor = rng.choice(serving)
    group = "children" if is_child else person.mix
    age = age_on(person.birth_date, opened_on) if person.birth_date else 0
    disease = rng.choice(("高血压", "糖尿病", "冠心病", "慢性支气管炎"))
    problem = rng.choice(PROBLEMS[group]).format(
        age=age, disease=disease, situation=person.note or "家庭监护缺失"
    )
    # The worker who keeps it: the person's own if in post throughout, else a colleague who is.
    natural_end = opened_on + timedelta(days=sum(durations.values()))
    until = end if is_child else min(natural_end, exit_day or end, end)
    keepers = staff.through(station_id, opened_on, until)
    worker_id = primary[person.id]
    if worker_id not in keepers:
        worker_id = rng.choice(keepers or list(staff.caseworkers(station_id, opened_on)))
    plan = PlannedCase(person, station_id, worker_id, station_id, opened_on, end)
    plan.state = {
        "recipient_id": person.id,
        "station_id": station_id,
        "worker_id": worker_id,
        "supervisor_id": supervisor[0] if rng.random() < 0.6 else None,
        "stage": CaseStage.INTAKE.value,
        "opened_on": opened_on,
        "presenting_problem": problem,
        "assessment_summary": "",
        "intervention_summary": "",
        "evaluation_summary": "",
        "closing_summary": "",
        "closing_reason": "",
        "closure_requested_at": None,
        "closure_approved_by_id": None,
        "closed_on": None,
        "reopened_count": 0,
    }
    plan.events.append(Event(opened_on, "open", dict(plan.state)))
    day = opened_on
    intervention_text = rng.choice(INTERVENTIONS[group])
    natural_reason = rng.choices(list(ClosingReason), (80, 9, 5, 0, 0, 6))[0]
    steps = STEPS[:3] if is_child else STEPS
    for step in steps:
        day = day + timedelta(days=durations[step])
        if exit_day is not None and day >= exit_day:
            # The person left service: the case is closed that day, the steps left with it.
            day = exit_day
            reason = EXIT_CLOSING[person.exit_reason]
        elif day > end:
            break
        else:
            reason = natural_reason
        changes: dict[str, Any] = {}
        if step == "assessment":
            changes = {
                "stage": step,
                "assessment_summary": rng.choice(ASSESSMENTS[group]),
                "supervisor_id": supervisor[0],
            }
        elif step == "planning":
            changes = {"stage": step}
            plan.planning_on = day
        elif step == "intervention":
            changes = {"stage": step}
        elif step == "evaluation":
            changes = {"stage": step, "intervention_summary": intervention_text}
        elif step == "request":
            changes = {
                "evaluation_summary": rng.choice(EVALUATIONS),
                "closing_summary": CLOSINGS[reason],
                "closing_reason": reason.value,
                "closure_requested_at": at(day, rng),
            }
        elif step == "closed":
            approver = supervisor[3] or city_admin
            changes = {
                "stage": CaseStage.CLOSED.value,
                "closed_on": day,
                "closure_approved_by_id": approver,
            }
        _apply(plan, Event(day, step, changes))
    # Goals of the plan, for every case that reached planning.
    if plan.planning_on is not None:
        options = GOALS[group]
        stage_now = plan.state["stage"]
        for description, actions in rng.sample(options, rng.randint(2, min(4, len(options)))):
            target = plan.planning_on + timedelta(days=rng.randint(30, 180))
            if stage_now == CaseStage.CLOSED:
                met = plan.state["closing_reason"] == ClosingReason.GOALS_MET
                achieved = rng.random() < (0.9 if met else 0.4)
            elif stage_now == CaseStage.EVALUATION:
                achieved = rng.random() < 0.6
            elif stage_now == CaseStage.INTERVENTION:
                achieved = target < end and rng.random() < 0.35
            else:
                achieved = False
            plan.goals.append((description, actions, target, achieved))
    return plan


def _save_cases(
    rng: random.Random, plans: list[PlannedCase], stations: dict[int, Station], staff: _Staff
) -> tuple[list[Case], list[tuple[Any, ...]], list[tuple[Any, ...]], int]:
    # Numbers as cases/services/cases.py gives them: <township code 9>-<year>-<sequence>.
    plans.sort(key=lambda p: (p.opened_on, p.person.id))
    sequence: Counter[str] = Counter()
    rows = []
    for plan in plans:
        prefix = f"{stations[plan.opened_station_id].region.code[:9]}-{plan.opened_on.year}-"
        sequence[prefix] += 1
        state = dict(plan.state)
        state["station_id"], state["worker_id"] = plan.station_id, plan.worker_id
        plan.state = state
        rows.append(Case(number=f"{prefix}{sequence[prefix]:04d}", **state))
    # Written as rows (demo/bulk.py): bulk_create spends a minute compiling tens of thousands.
    now = timezone.now()
    columns = [f.attname for f in Case._meta.concrete_fields if f.attname != "id"]
    for case in rows:
        case.created_at = case.updated_at = now
    ids = insert_rows(Case, columns, [tuple(getattr(c, n) for n in columns) for c in rows])
    for case, pk in zip(rows, ids, strict=True):
        case.id = pk
    cases = rows

    # History: one row per event, as the stage machine and the transfer service write them,
    # and the log of stage changes (the opening, each stage change, the closure, a reopening).
    historical = Case.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    history: list[tuple[Any, ...]] = []
    log: list[tuple[Any, ...]] = []
    moments: list[datetime] = []
    for plan, case in zip(plans, cases, strict=True):
        current = {name: getattr(case, name) for name in tracked}
        transfer = plan.transfer
        if transfer is not None:
            current["station_id"], current["worker_id"] = transfer[0], transfer[1]
        previous_stage = ""
        latest: datetime | None = None
        for event in sorted(plan.events, key=lambda e: (e.day, e.kind != "open")):
            reason = ""
            if event.kind == "open":
                current.update(
                    {k: v for k, v in event.changes.items() if k not in ("station_id", "worker_id")}
                )
                reason = "接案"
            elif event.kind == "transfer":
                assert transfer is not None
                current["station_id"], current["worker_id"] = case.station_id, case.worker_id
                reason = transfer[3]
            else:
                current.update(event.changes)
                if event.kind == "request":
                    reason = "申请结案"
                elif event.kind == "closed":
                    reason = "结案审批通过"
                elif event.kind == "reopen":
                    reason = "重新开案:服务对象情况反复"
                else:
                    reason = f"{STAGE_ZH[previous_stage or 'intake']} → {STAGE_ZH[event.kind]}"
            # Several steps of one day (a closure on the day the person left) in their order.
            moment = at(event.day, rng)
            if latest is not None and moment <= latest:
                moment = latest + timedelta(minutes=5)
            latest = moment
            user = staff.user_of.get(current["worker_id"])
            if event.kind == "closed":
                user = current["closure_approved_by_id"]
            if current["stage"] != previous_stage:
                log.append(
                    (case.id, previous_stage, current["stage"], event.day, user, reason[:300])
                )
                moments.append(moment)
            previous_stage = current["stage"]
            history.append(
                (
                    *(current[name] for name in tracked),
                    moment,
                    reason,
                    "+" if event.kind == "open" else "~",
                    staff.user_of.get(current["worker_id"]),
                )
            )
    insert_rows(historical, [*tracked, *HISTORY_COLUMNS], history, own_ids=False)
    insert_with_history(CaseStageChange, STAGE_CHANGE_COLUMNS, log, moments)

    transfers: list[tuple[Any, ...]] = []
    transferred_at: list[datetime] = []
    goals: list[tuple[Any, ...]] = []
    planned_at: list[datetime] = []
    for plan, case in zip(plans, cases, strict=True):
        if plan.transfer is not None:
            from_station, from_worker, day, reason = plan.transfer
            transfers.append(
                (case.id, from_worker, case.worker_id, from_station, case.station_id, day, reason)
            )
            transferred_at.append(at(day, rng))
        assert plan.planning_on is not None or not plan.goals
        for description, actions, target, achieved in plan.goals:
            goals.append((case.id, description, actions, target, achieved))
            planned_at.append(at(plan.planning_on, rng))  # type: ignore[arg-type]
    insert_with_history(CaseTransfer, TRANSFER_COLUMNS, transfers, transferred_at)
    insert_with_history(CaseGoal, GOAL_COLUMNS, goals, planned_at)
    return cases, transfers, goals, len(log)


TRANSFER_COLUMNS = (
    "case_id",
    "from_worker_id",
    "to_worker_id",
    "from_station_id",
    "to_station_id",
    "transferred_on",
    "reason",
)
GOAL_COLUMNS = ("case_id", "description", "actions", "target_date", "achieved")
STAGE_CHANGE_COLUMNS = (
    "case_id",
    "from_stage",
    "to_stage",
    "changed_on",
    "changed_by_id",
    "reason",
)


# --- 幸福来敲门 and 周巷镇 -------------------------------------------------------------------


def eighty(person: Person) -> date:
    """The day ``person`` turned (or turns) 80."""
    assert person.birth_date is not None
    birth = person.birth_date
    try:
        return birth.replace(year=birth.year + 80)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + 80, day=28)


# How elders over 80 who live alone at home score, by frailty (0 robust to 3 frail): weights of
# each score, best first (issue 11: they were drawn worst-first, so that 61 of 96 elders had
# suicidal thoughts, 77 weekly aggression and none was 能力完好). People who still live alone
# are mostly independent in daily living; what age brings is stairs and bathing, some
# incontinence, failing sight and hearing, slower work and orientation; aggression and
# suicidal thoughts are rare, low mood and diagnosed cognitive impairment less so.
FRAILTY_WEIGHTS = (45, 33, 16, 6)
# B.1: the chance of each step down an activity's scale, by frailty, times the activity's
# difficulty.
ADL_STEP = (0.008, 0.07, 0.2, 0.38)
ADL_DIFFICULTY = {
    "eating": 0.3,
    "bathing": 1.8,
    "grooming": 0.6,
    "dressing": 0.8,
    "bowel_control": 0.5,
    "bladder_control": 1.1,
    "toileting": 0.6,
    "bed_chair_transfer": 0.8,
    "walking": 1.3,
    "stairs": 2.2,
}
ITEM_WEIGHTS: dict[str, tuple[tuple[float, ...], ...]] = {
    # B.2 mental state
    "cognition": ((86, 13, 1), (66, 30, 4), (46, 42, 12), (30, 45, 25)),
    "aggression": ((99.6, 0.4, 0), (98.6, 1.3, 0.1), (96.5, 3, 0.5), (92, 6.5, 1.5)),
    "depression": ((86, 13.7, 0.3), (76, 23.4, 0.6), (63, 35.8, 1.2), (55, 43, 2)),
    # B.3 perception and communication
    "vision": ((55, 36, 8, 1, 0), (40, 41, 15, 4, 0), (28, 42, 22, 7, 1), (20, 38, 28, 12, 2)),
    "hearing": ((47, 40, 11, 2, 0), (33, 41, 20, 5, 1), (22, 38, 28, 10, 2), (15, 33, 32, 16, 4)),
    "communication": ((90, 9, 1, 0), (76, 20, 4, 0), (60, 30, 9, 1), (45, 35, 17, 3)),
    # B.4 social participation
    "living_skills": (
        (72, 24, 4, 0, 0),
        (42, 40, 15, 3, 0),
        (20, 38, 28, 11, 3),
        (8, 25, 35, 22, 10),
    ),
    "work_skills": (
        (52, 40, 7, 1, 0),
        (28, 45, 21, 5, 1),
        (12, 36, 33, 15, 4),
        (5, 22, 38, 25, 10),
    ),
    "orientation_time_space": (
        (74, 22, 4, 0, 0),
        (45, 38, 14, 3, 0),
        (22, 38, 26, 11, 3),
        (10, 28, 32, 20, 10),
    ),
    "orientation_people": (
        (93, 6, 1, 0, 0),
        (78, 18, 3, 1, 0),
        (55, 31, 10, 3, 1),
        (35, 35, 18, 8, 4),
    ),
    "social_interaction": (
        (74, 23, 3, 0, 0),
        (46, 40, 11, 3, 0),
        (25, 42, 23, 8, 2),
        (12, 35, 30, 16, 7),
    ),
}


def _elderly_items(
    rng: random.Random, frailty: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """Item scores and C.3 conditions of an elder over 80 living alone, ``frailty`` 0 (robust)
    to 3: each item drawn from :data:`ITEM_WEIGHTS` (scores listed best first), daily living
    from :data:`ADL_STEP`."""

    def draw(name: str, scores: tuple[int, ...]) -> int:
        return rng.choices(scores, ITEM_WEIGHTS[name][frailty])[0]

    adl = {}
    for name, choices in mzt039.ADL_ITEMS.items():  # listed best first
        step = ADL_STEP[frailty] * ADL_DIFFICULTY[name]
        index = 0
        while index < len(choices) - 1 and rng.random() < step:
            index += 1
        adl[name] = choices[index]
    mental = {name: draw(name, scores) for name, scores in mzt039.MENTAL_ITEMS.items()}
    drowsy = frailty == 3 and rng.random() < 0.05
    perception = {
        "consciousness": mzt039.DROWSY if drowsy else mzt039.ALERT,
        "vision": draw("vision", (0, 1, 2, 3, 4)),
        "hearing": draw("hearing", (0, 1, 2, 3, 4)),
        "communication": draw("communication", (0, 1, 2, 3)),
    }
    social = {name: draw(name, scores) for name, scores in mzt039.SOCIAL_ITEMS.items()}
    adjustments: dict[str, Any] = {
        "dementia": "none",
        "mental_illness": "",
        "falls": 0,
        "choking": 0,
        "suicide_attempts": 0,
        "getting_lost": 0,
    }
    if mental["cognition"] == 2:  # 已确诊为认知障碍: recorded as the diagnosis it is
        adjustments["dementia"] = rng.choices(("mild", "moderate"), (3, 1))[0]
        if rng.random() < 0.08:
            adjustments["getting_lost"] = 1
    if rng.random() < (0.05, 0.08, 0.12, 0.18)[frailty]:
        adjustments["falls"] = rng.choice((1, 1, 1, 2))
    if rng.random() < 0.01 * (1 + frailty):
        adjustments["choking"] = 1
    return {"adl": adl, "mental": mental, "perception": perception, "social": social}, adjustments


def score_elderly(items: dict[str, dict[str, int]], adjustments: dict[str, Any]) -> mzt039.Result:
    """MZ/T 039-2013 scoring of stored items and conditions (the demo and its tests)."""
    return mzt039.assess(
        items.get("adl"),
        items.get("mental"),
        items.get("perception") or {},
        items.get("social"),
        mzt039.Adjustments(
            dementia=adjustments["dementia"],
            mental_illness=bool(adjustments["mental_illness"]),
            falls=adjustments["falls"],
            choking=adjustments["choking"],
            suicide_attempts=adjustments["suicide_attempts"],
            getting_lost=adjustments["getting_lost"],
        ),
    )


def _assessment(
    recipient_id: int,
    assessed_on: date,
    reason: str,
    assessor: int,
    second: int,
    items: dict[str, dict[str, int]],
    adjustments: dict[str, Any],
) -> ElderlyAssessment:
    result = score_elderly(items, adjustments)
    assessment = ElderlyAssessment(
        recipient_id=recipient_id,
        standard=mzt039.STANDARD,
        assessed_on=assessed_on,
        reason=reason,
        assessor_id=assessor,
        second_assessor_id=second,
        items=items,
        adl_grade=result.adl_grade,
        mental_grade=result.mental_grade,
        perception_grade=result.perception_grade,
        social_grade=result.social_grade,
        base_level=result.base_level,
        level=result.level,
        rule_gap_resolved=result.rule_gap_resolved,
        next_due=add_months(assessed_on, 6),
    )
    assessment.store_conditions(adjustments)  # a diagnosis encrypted apart, as the service does
    return assessment


# --- GB/T 42195-2022 assessments (issue 11) ---------------------------------------------------

# The city's elderly assessment policies as the cases migration seeds them (a flushed database
# has lost them): MZ/T 039-2013 up to 2022, GB/T 42195-2022 since 2023.
GBT42195_SINCE = date(2023, 1, 1)
# GB/T 42195-2022 B.1–B.2: the chance of each step down an item's scale is ADL_STEP (by
# frailty) times the item's difficulty: bathing and stairs first, eating last.
GBT_DIFFICULTY = {
    "eating": 0.3,
    "grooming": 0.5,
    "bathing": 1.6,
    "upper_dressing": 0.6,
    "lower_dressing": 0.9,
    "bladder_control": 1.2,
    "bowel_control": 0.5,
    "toileting": 0.6,
    "bed_mobility": 0.5,
    "bed_chair_transfer": 0.7,
    "walking": 1.4,
    "stairs": 2.0,
}
# B.3–B.4, scores listed best (most able) first, by frailty 0 (robust) to 3: an elder over 80
# who lives alone mostly manages alone; a weaker memory, low mood and poorer sight and hearing
# are common, aggression and stupor rare.
GBT_ITEM_WEIGHTS: dict[str, tuple[tuple[float, ...], ...]] = {
    "time_orientation": (
        (88, 10, 2, 0, 0),
        (72, 22, 5, 1, 0),
        (50, 32, 13, 4, 1),
        (32, 35, 20, 9, 4),
    ),
    "space_orientation": (
        (92, 6, 2, 0, 0),
        (78, 15, 5, 2, 0),
        (55, 25, 12, 6, 2),
        (35, 28, 20, 12, 5),
    ),
    "people_orientation": (
        (97, 3, 0, 0, 0),
        (90, 8, 2, 0, 0),
        (75, 18, 5, 2, 0),
        (55, 28, 11, 5, 1),
    ),
    "memory": ((70, 27, 3, 0, 0), (50, 40, 8, 2, 0), (30, 45, 18, 6, 1), (18, 40, 26, 12, 4)),
    "comprehension": ((90, 9, 1, 0, 0), (76, 20, 4, 0, 0), (58, 30, 10, 2, 0), (42, 35, 17, 5, 1)),
    "expression": ((92, 7, 1, 0, 0), (80, 17, 3, 0, 0), (62, 28, 8, 2, 0), (46, 33, 15, 5, 1)),
    "aggression": ((99.6, 0.4), (98.7, 1.3), (96.5, 3.5), (93, 7)),
    "depression": ((86, 14), (76, 24), (64, 36), (55, 45)),
    "consciousness": ((100, 0, 0), (99.5, 0.5, 0), (98, 2, 0), (94, 6, 0)),
    "vision": ((55, 42, 3), (42, 52, 6), (30, 58, 12), (22, 60, 18)),
    "hearing": ((50, 46, 4), (36, 56, 8), (25, 60, 15), (18, 60, 22)),
    "daily_affairs": (
        (78, 18, 4, 0, 0),
        (50, 35, 12, 3, 0),
        (25, 38, 25, 10, 2),
        (10, 28, 35, 20, 7),
    ),
    "transport": ((70, 10, 17, 3), (45, 15, 30, 10), (22, 12, 40, 26), (10, 8, 40, 42)),
    "social_interaction": (
        (78, 20, 2, 0, 0),
        (52, 38, 9, 1, 0),
        (30, 45, 20, 5, 0),
        (15, 40, 30, 12, 3),
    ),
}


def gbt42195_items(
    rng: random.Random, frailty: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """GB/T 42195-2022 item scores and base information (A.4.1 diagnoses, A.2.14 care-risk
    events, A.5.11 coma) of an elder over 80 living alone, ``frailty`` 0 (robust) to 3: self-care
    and mobility step down by each item's difficulty, the other items are drawn from
    :data:`GBT_ITEM_WEIGHTS`. Common illnesses are recorded (hypertension, diabetes: they change
    no level); a diagnosed dementia follows a poor memory."""
    items: dict[str, dict[str, int]] = {}
    for key, scales in gbt42195.INDICATORS.items():
        items[key] = {}
        for name, scores in scales.items():  # listed best first
            if name in GBT_DIFFICULTY:
                step, index = ADL_STEP[frailty] * GBT_DIFFICULTY[name], 0
                while index < len(scores) - 1 and rng.random() < step:
                    index += 1
                items[key][name] = scores[index]
            else:
                items[key][name] = rng.choices(scores, GBT_ITEM_WEIGHTS[name][frailty])[0]
    diagnoses = []
    if rng.random() < 0.55:
        diagnoses.append("I10")  # 高血压病
    if rng.random() < 0.18:
        diagnoses.append("E11")  # 糖尿病
    if rng.random() < 0.12 + 0.04 * frailty:
        diagnoses.append("M81")  # 骨质疏松症
    memory = items["mental_state"]["memory"]
    if memory <= 2 and rng.random() < 0.6:
        diagnoses.append(rng.choice(("F00", "F01", "F03")))  # 痴呆, diagnosed
    psychiatrist = False
    if items["mental_state"]["depression"] == 0 and rng.random() < 0.08:
        diagnoses.append("F32")  # a depressive episode, diagnosed by a psychiatrist
        psychiatrist = True
    base: dict[str, Any] = {
        "coma": False,
        "diagnoses": diagnoses,
        "by_psychiatrist": psychiatrist,
        "falls": 0,
        "getting_lost": 0,
        "choking": 0,
        "suicide_self_harm": 0,
        "other": 0,
    }
    if rng.random() < (0.05, 0.08, 0.12, 0.18)[frailty]:
        base["falls"] = rng.choice((1, 1, 1, 2))
    if rng.random() < 0.01 * (1 + frailty):
        base["choking"] = 1
    if any(code.startswith("F0") for code in diagnoses) and rng.random() < 0.08:
        base["getting_lost"] = 1
    return items, base


def gbt42195_assessment(
    recipient_id: int,
    assessed_on: date,
    reason: str,
    assessor: int,
    second: int,
    items: dict[str, dict[str, int]],
    base: dict[str, Any],
) -> ElderlyAssessment:
    """The assessment as the service stores it, scored by the GB/T 42195-2022 instrument with
    the seeded policy's rules (the spec's defaults) and due again after 6 months."""
    outcome = GBT42195.evaluate(items, base)
    assessment = ElderlyAssessment(
        recipient_id=recipient_id,
        standard=gbt42195.STANDARD,
        assessed_on=assessed_on,
        reason=reason,
        assessor_id=assessor,
        second_assessor_id=second,
        items=items,
        subtotals={k: v for k, v in outcome.totals.items() if v is not None},
        total=outcome.total,
        base_level=outcome.base_level,
        level=outcome.level,
        rules=outcome.rules,
        place="家中",
        next_due=add_months(assessed_on, 6),
    )
    # The diagnoses encrypted apart and C.4 without their codes, as the service stores them.
    assessment.store_conditions(GBT42195.normalise_adjustments(base), outcome.change_reasons)
    return assessment


def _assessment_policies(zhaobaoshan_station: int) -> None:
    """The seeded policies, and 招宝山街道's station among those still assessing under MZ/T
    039-2013 (幸福来敲门's contract keeps it)."""
    for name, valid_from, valid_to, standard in (
        ("MZ/T 039-2013（2022年及以前）", date(2013, 1, 1), date(2022, 12, 31), mzt039.STANDARD),
        ("GB/T 42195-2022《老年人能力评估规范》", GBT42195_SINCE, None, gbt42195.STANDARD),
    ):
        policy, _ = ElderlyAssessmentPolicy.objects.get_or_create(
            name=name,
            defaults={"valid_from": valid_from, "valid_to": valid_to, "default_standard": standard},
        )
        if standard == gbt42195.STANDARD:
            policy.mzt039_stations.add(zhaobaoshan_station)


def _gbt42195_assessments(
    rng: random.Random,
    end: date,
    people: Sequence[Person],
    in_project: set[int],
    workers: Callable[[int, date], Sequence[int]],
    station_of_township: dict[str, int],
) -> list[ElderlyAssessment]:
    """后大街社区's high-age elders living alone outside 幸福来敲门, assessed by the station
    under GB/T 42195-2022 (the city's standard since 2023): one assessment in the half year
    before ``end`` (a few falling due), and for about a third a routine reassessment of one made
    six months before. Frailty as in the project (:data:`FRAILTY_WEIGHTS`)."""
    station_id = station_of_township[ZHAOBAOSHAN]
    _assessment_policies(station_id)
    village = Region.objects.get(parent__code=ZHAOBAOSHAN, name=HOUDAJIE_NAME).code
    rows: list[ElderlyAssessment] = []
    for elder in people:
        if (
            elder.village_code != village
            or elder.id in in_project
            or elder.status != RecipientStatus.ACTIVE
            or not {"advanced_age", "elderly_living_alone"} <= set(elder.categories)
        ):
            continue
        latest = end - timedelta(days=rng.randint(3, 190))
        days = [add_months(latest, -6), latest] if rng.random() < 0.35 else [latest]
        registered = getattr(elder, "registered_on", None) or GBT42195_SINCE
        frailty = rng.choices((0, 1, 2, 3), FRAILTY_WEIGHTS)[0]
        for number, day in enumerate(days):
            old_enough = elder.birth_date is None or age_on(elder.birth_date, day) >= 80
            if day < max(GBT42195_SINCE, registered) or not old_enough:
                continue
            crew = list(workers(station_id, day))
            if len(crew) < 2:
                continue
            first, second = rng.sample(crew, 2)
            reason = AssessmentReason.ROUTINE if number else AssessmentReason.INITIAL
            items, base = gbt42195_items(rng, frailty)
            row = gbt42195_assessment(elder.id, day, reason, first, second, items, base)
            row._history_date = at(day, rng)  # type: ignore[attr-defined]
            rows.append(row)
            frailty = min(3, frailty + (rng.random() < 0.15))
    bulk_create_with_history(rows, ElderlyAssessment, batch_size=BATCH)
    return rows


def visit_days(
    rng: random.Random,
    first: date,
    last: date,
    gaps: tuple[int, int],
    late: float,
    late_gaps: tuple[int, int],
) -> list[date]:
    """Visit days from ``first`` up to ``last`` (both visited): gaps of ``gaps`` days, a share
    ``late`` of them longer (``late_gaps``), so that some visits were overdue in every year."""
    days = [last]
    day = last
    while True:
        gap = rng.randint(*late_gaps) if rng.random() < late else rng.randint(*gaps)
        day -= timedelta(days=gap)
        if day < first:
            break
        days.append(day)
    days.reverse()
    return days


@dataclass
class _ProjectRows:
    elders: list[Person] = field(default_factory=list)
    schedules: list[VisitSchedule] = field(default_factory=list)
    visits: list[ServiceRecord] = field(default_factory=list)
    assessments: list[ElderlyAssessment] = field(default_factory=list)


def _project(
    rng: random.Random,
    end: date,
    people: Sequence[Person],
    staff: _Staff,
    station_of_township: dict[str, int],
) -> _ProjectRows:
    """招宝山街道's 幸福来敲门: 48 elders over 80 of 后大街社区, each from the day they joined (the
    project's launch, or their registration if later) a health visit about every two weeks up to
    the build day (most visited in the last fortnight, a few overdue, some late visits in every
    year), an initial assessment and a reassessment every six months, the last one of a few not
    made yet."""
    station_id = station_of_township[ZHAOBAOSHAN]
    opened = staff.opened_on(station_id)
    launch = max(PROJECT_LAUNCH, opened + timedelta(days=180))
    village = Region.objects.get(parent__code=ZHAOBAOSHAN, name=HOUDAJIE_NAME).code
    # Elders in service and over 80 for more than a year (the project has visited them since).
    eligible = [
        p
        for p in people
        if p.village_code == village
        and "advanced_age" in p.categories
        and p.status == RecipientStatus.ACTIVE
        and max(p.registered_on, eighty(p)) <= end - timedelta(days=400)
    ]
    elders = sorted(rng.sample(eligible, PROJECT_ELDERS), key=lambda p: p.id)
    order = list(range(PROJECT_ELDERS))
    rng.shuffle(order)
    overdue = set(order[:PROJECT_OVERDUE])
    due = set(order[PROJECT_OVERDUE : PROJECT_OVERDUE + PROJECT_DUE])
    late_reassessment = set(rng.sample(range(PROJECT_ELDERS), PROJECT_LATE_REASSESSMENTS))
    rows = _ProjectRows(elders=elders)

    def in_post(worker: int, day: date) -> int:
        """``worker`` if in post at the station on ``day``, else a colleague who was."""
        roster = staff.on(station_id, day)
        return worker if worker in roster.members else rng.choice(roster.everyone)

    for index, elder in enumerate(elders):
        joined = max(launch, elder.registered_on, eighty(elder))
        joined += timedelta(days=rng.randint(3, 20))
        roster = staff.through(station_id, joined, end) or list(staff.caseworkers(station_id, end))
        linked = [w for w in roster if w in staff.user_of]
        lead = linked[0] if linked else roster[0]
        worker = lead if index % 2 == 0 else rng.choice(roster)
        colleagues = [w for w in staff.on(station_id, end).everyone if w != worker]
        second = rng.choice([w for w in roster if w != worker] or colleagues)
        if index in overdue:
            lag = rng.randint(17, 45)
        elif index in due:
            lag = rng.randint(13, 15)
        else:
            lag = rng.randint(0, 12)
        days = visit_days(rng, joined, end - timedelta(days=lag), (12, 16), 0.15, (17, 35))
        starts_on = days[0] - timedelta(days=rng.randint(0, 5))
        rows.schedules.append(
            VisitSchedule(
                recipient_id=elder.id,
                worker_id=worker,
                service_type=ServiceType.HEALTH_VISIT,
                times_per_month=2,
                project_text=PROJECT,
                starts_on=starts_on,
                active=True,
            )
        )
        for visit_on in days:
            systolic, diastolic = rng.randint(118, 168), rng.randint(68, 98)
            glucose = rng.randint(48, 92) / 10
            record = ServiceRecord(
                recipient_id=elder.id,
                region_code=elder.village_code,
                station_id=station_id,
                worker_id=in_post(worker if rng.random() < 0.85 else second, visit_on),
                served_on=visit_on,
                service_type=ServiceType.HEALTH_VISIT,
                duration_minutes=rng.randint(30, 60),
                place=elder.address,
                volunteers="幸福来敲门志愿服务队" if rng.random() < 0.3 else "",
                notes=(
                    f"“幸福来敲门”健康随访:血压{systolic}/{diastolic} mmHg,空腹血糖"
                    f"{glucose:.1f} mmol/L;"
                    + rng.choice(
                        (
                            "精神状态良好,提醒按时服药。",
                            "近期睡眠欠佳,已告知家庭医生。",
                            "饮食正常,叮嘱低盐低脂。",
                            "行走稍不稳,再次提醒防跌倒。",
                        )
                    )
                ),
            )
            record._history_date = at(visit_on, rng)  # type: ignore[attr-defined]
            rows.visits.append(record)
        rows.assessments += _elder_assessments(
            rng, elder, starts_on, end, worker, second, index in late_reassessment
        )
    bulk_create_with_history(rows.schedules, VisitSchedule, batch_size=BATCH)
    bulk_create_with_history(rows.visits, ServiceRecord, batch_size=BATCH)
    bulk_create_with_history(rows.assessments, ElderlyAssessment, batch_size=BATCH)
    return rows


def _elder_assessments(
    rng: random.Random,
    elder: Person,
    starts_on: date,
    end: date,
    worker: int,
    second: int,
    late: bool,
) -> list[ElderlyAssessment]:
    """An elder's MZ/T 039-2013 assessments: the initial one before the visits start, then one
    every six months (give or take a week) while it falls due before ``end``; with ``late``, the
    last one due is not made yet. Frailty may grow from one to the next."""
    frailty = rng.choices((0, 1, 2, 3), FRAILTY_WEIGHTS)[0]
    initial_on = starts_on - timedelta(days=rng.randint(2, 10))
    initial_on = max(initial_on, elder.registered_on)
    rows = []
    assessed_on, reason = initial_on, AssessmentReason.INITIAL
    while True:
        items, adjustments = _elderly_items(rng, frailty)
        row = _assessment(elder.id, assessed_on, reason, worker, second, items, adjustments)
        row._history_date = at(assessed_on, rng)  # type: ignore[attr-defined]
        rows.append(row)
        following = add_months(assessed_on, 6) + timedelta(days=rng.randint(-7, 7))
        if following > end or (late and add_months(following, 6) > end):
            return rows
        assessed_on, reason = following, AssessmentReason.ROUTINE
        frailty = min(3, frailty + (rng.random() < 0.15))


@dataclass
class _ChildRows:
    assessments: list[ChildNeedsAssessment] = field(default_factory=list)
    schedules: list[VisitSchedule] = field(default_factory=list)
    visits: list[ServiceRecord] = field(default_factory=list)


def _children(
    rng: random.Random,
    end: date,
    children: Sequence[Person],
    case_of: dict[int, tuple[PlannedCase, Case]],
    staff: _Staff,
) -> _ChildRows:
    """周巷镇's 35 children: a needs assessment at their case's assessment stage with a help plan
    for each need that is marked or severe, reassessed when it falls due (the last of a few not
    yet); from the plan on, the responsible social worker's monthly home visit (一人一案), a few
    overdue."""
    rows = _ChildRows()
    overdue = set(rng.sample(range(len(children)), min(CHILDREN_OVERDUE, len(children))))
    for index, child in enumerate(children):
        plan, case = case_of[child.id]
        assessed_on = next(e.day for e in plan.events if e.kind == "assessment")
        unsupported = "de_facto_unsupported_child" in child.categories
        late = rng.random() < 0.15
        while True:
            row = _child_assessment(rng, child, case, assessed_on, unsupported)
            rows.assessments.append(row)
            assert row.next_due is not None
            following = row.next_due + timedelta(days=rng.randint(-10, 10))
            if following > end or (late and add_months(following, 3) > end):
                break
            assessed_on = following
        starts_on = plan.planning_on or assessed_on
        lag = rng.randint(32, 60) if index in overdue else rng.randint(0, 28)
        last = max(starts_on, end - timedelta(days=lag))
        days = visit_days(rng, starts_on, last, (25, 33), 0.15, (34, 50))
        rows.schedules.append(
            VisitSchedule(
                recipient_id=child.id,
                worker_id=case.worker_id,
                service_type=ServiceType.HOME_VISIT,
                times_per_month=1,
                project_text=CHILD_PLAN,
                starts_on=starts_on,
                active=True,
            )
        )
        for visit_on in days:
            roster = staff.on(case.station_id, visit_on)
            record = ServiceRecord(
                recipient_id=child.id,
                region_code=child.village_code,
                case=case,
                station_id=case.station_id,
                worker_id=(
                    case.worker_id
                    if case.worker_id in roster.members
                    else rng.choice(roster.everyone)
                ),
                served_on=visit_on,
                service_type=ServiceType.HOME_VISIT,
                duration_minutes=rng.randint(40, 90),
                place=child.address,
                notes=rng.choice(CHILD_VISIT_NOTES),
            )
            record._history_date = at(visit_on, rng)  # type: ignore[attr-defined]
            rows.visits.append(record)
    rows.assessments = bulk_create_with_history(
        rows.assessments, ChildNeedsAssessment, batch_size=BATCH
    )
    bulk_create_with_history(rows.schedules, VisitSchedule, batch_size=BATCH)
    bulk_create_with_history(rows.visits, ServiceRecord, batch_size=BATCH)
    return rows


CHILD_VISIT_NOTES = (
    "一人一案月度家访:核查监护落实情况,儿童生活起居正常。",
    "一人一案月度家访:了解在校学习情况,与监护人沟通课业辅导安排。",
    "一人一案月度家访:开展安全教育,检查居家安全隐患。",
    "一人一案月度家访:儿童情绪稳定,陪伴聊天并记录近期需求。",
)


def _child_assessment(
    rng: random.Random, child: Person, case: Case, assessed_on: date, unsupported: bool
) -> ChildNeedsAssessment:
    scores = {}
    for domain in child_needs.DOMAINS:
        high = 0.45 if unsupported or domain in ("family_care", "psychology") else 0.25
        scores[domain] = rng.choices((0, 1, 2, 3), (1 - high, 1.0, high * 2, high))[0]
    if unsupported:
        scores["family_care"] = max(scores["family_care"], 2)
    needs = {
        domain: {
            "score": score,
            "note": rng.choice(CHILD_NEED_NOTES[domain]) if score >= 2 else "",
        }
        for domain, score in scores.items()
    }
    level = child_needs.risk_level(scores)
    age = age_on(child.birth_date, assessed_on) if child.birth_date else 0
    lines = [CHILD_PLAN_LINES[d] for d in child_needs.DOMAINS if scores[d] >= 2]
    if not lines:
        lines = [CHILD_PLAN_LINES["social_support"]]
    help_plan = "\n".join(
        [
            f"{child.name}({age}岁,{child.note})一人一案帮扶计划:",
            *(f"{n}. {line}" for n, line in enumerate(lines, start=1)),
            f"{len(lines) + 1}. 责任社工每月至少入户一次,村儿童主任协同,"
            f"{child_needs.reassess_months(level)}个月后重新评估。",
        ]
    )
    row = ChildNeedsAssessment(
        recipient_id=child.id,
        case=case,
        instrument=child_needs.NAME,
        assessed_on=assessed_on,
        assessor_id=case.worker_id,
        needs=needs,
        risk_level=level,
        help_plan=help_plan,
        next_due=add_months(assessed_on, child_needs.reassess_months(level)),
    )
    row._history_date = at(assessed_on, rng)  # type: ignore[attr-defined]
    return row


# --- the service records of the years -----------------------------------------------------


@dataclass
class _Records:
    count: int = 0
    last_year: int = 0
    served: set[int] = field(default_factory=set)
    by_year: Counter[int] = field(default_factory=Counter)


def record_weights(
    rng: random.Random, people: Sequence[Person], uncovered: set[str], with_case: set[int]
) -> list[float]:
    """How much service each of ``people`` gets for a day in service, by need: more for the very
    old living alone, children and people with a case (their ids in ``with_case``); none in the
    uncovered villages or for merged records. One draw of ``rng`` per person served."""
    weights = []
    for person in people:
        if person.status == RecipientStatus.MERGED or person.village_code in uncovered:
            weights.append(0.0)
            continue
        cats = person.categories
        if "advanced_age" in cats and "elderly_living_alone" in cats:
            weight = 2.4
        elif "advanced_age" in cats or "elderly_alone" in cats:
            weight = 1.7
        elif "elderly_living_alone" in cats or "bereaved_only_child" in cats:
            weight = 1.5
        else:
            weight = {
                "elderly": 1.0,
                "low income": 0.8,
                "disabled": 1.1,
                "children": 1.3,
                "other": 0.5,
            }[person.mix]
        weight *= rng.uniform(0.3, 1.7)
        if person.id in with_case:
            weight *= 1.6
        weights.append(weight)
    return weights


def share_records(weights: Sequence[float], exposure: Sequence[float], total: int) -> list[int]:
    """``total`` records shared out in proportion to weight × exposure (the days each person was
    in service, at their station's activity), adding up to ``total`` exactly (largest
    remainder)."""
    shares = [w * e for w, e in zip(weights, exposure, strict=True)]
    whole = sum(shares)
    exact = [total * s / whole for s in shares]
    counts = [int(x) for x in exact]
    short = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[:short]:
        counts[index] += 1
    return counts


def _service_records(
    rng: random.Random,
    line: History,
    people: Sequence[Person],
    uncovered: set[str],
    staff: _Staff,
    primary: dict[int, int],
    case_of: dict[int, tuple[PlannedCase, Case]],
    scheduled: dict[int, str],
    total: int,
) -> _Records:
    """Each person's records over the days they were in service: ``total`` over the last 12
    months (:func:`share_records`), and before them at the same rate per day of their station's
    activity (:func:`~swstation.demo.history.maturity`), kept with the time line's share
    (:meth:`~swstation.demo.history.History.kept_share`). A scheduled visit type (in
    ``scheduled``) comes from its plan, not from here. Written in chunks of 50,000."""
    end = line.end
    recent = line.last_year
    weights = record_weights(rng, people, uncovered, set(case_of))
    windows = []
    exposure = []
    for person in people:
        opened = staff.opened_on(person.station_id)
        first = max(person.registered_on, opened)
        stop = person.last_day(end) + timedelta(days=1)  # excluded
        windows.append((first, stop, opened))
        exposure.append(maturity_days(opened, max(first, recent), stop))
    counts = share_records(weights, exposure, total)
    whole = sum(w * e for w, e in zip(weights, exposure, strict=True))
    rate = total / whole if whole else 0.0  # records per weight and day at full activity
    type_tables = {
        group: (list(table), list(accumulate(float(w) for w in table.values())))
        for group, table in TYPE_WEIGHTS.items()
    }
    moments: dict[tuple[int, int], datetime] = {}
    result = _Records()
    chunk: list[tuple[Any, ...]] = []
    moments_of: list[datetime] = []
    sampled_until = line.full_from
    for person, weight, (first, stop, opened), recent_count in zip(
        people, weights, windows, counts, strict=True
    ):
        if not weight:
            continue
        # Days to draw: the last 12 months' count, then the full and the sampled years before.
        segments = [(max(first, recent), stop, recent_count)]
        for start, until, share in (
            (max(first, sampled_until), min(stop, recent), 1.0),
            (first, min(stop, recent, sampled_until), line.kept_share(first)),
        ):
            expected = weight * rate * share * maturity_days(opened, start, until)
            whole_part = int(expected)
            segments.append((start, until, whole_part + (rng.random() < expected - whole_part)))
        types, cumulative = type_tables[person.mix]
        if person.id in scheduled:  # their scheduled visits come from the plan
            types, cumulative = _without(types, cumulative, scheduled[person.id])
        planned_case = case_of.get(person.id)
        station_id = person.station_id
        mine = primary[person.id]
        for start, until, count in segments:
            span = (until - start).days
            if count <= 0 or span <= 0:
                continue
            result.served.add(person.id)
            for _ in range(count):
                while True:
                    served_on = start + timedelta(days=rng.randrange(span))
                    if rng.random() < maturity(opened, served_on):
                        break
                service_type = rng.choices(types, cum_weights=cumulative)[0]
                case_id = None
                where = station_id
                roster = staff.on(station_id, served_on)
                if rng.random() < 0.8 and mine in roster.members:
                    worker = mine
                else:
                    worker = rng.choice(roster.everyone)
                if planned_case is not None:
                    plan, case = planned_case
                    case_start, case_end = plan.open_between()
                    if case_start <= served_on <= case_end and rng.random() < 0.85:
                        # By the case's worker of the day (the station's staff if they left).
                        case_station, case_worker = plan.worker_on(served_on)
                        if case_worker in staff.on(case_station, served_on).members:
                            case_id = case.id
                            where, worker = case_station, case_worker
                low, high = DURATIONS[service_type]
                place = (
                    person.address
                    if service_type in ("home_visit", "health_visit", "practical")
                    else rng.choice(PLACES[service_type])
                )
                volunteers = ""
                if service_type in ("home_visit", "practical", "other") and rng.random() < 0.15:
                    volunteers = f"{rng.choice(VOLUNTEER_TEAMS)} {rng.randint(1, 4)}人"
                chunk.append(
                    (
                        person.id,
                        case_id,
                        where,
                        worker,
                        served_on,
                        service_type,
                        rng.randint(low, high),
                        place,
                        volunteers,
                        rng.choice(NOTES[service_type]),
                        None,  # project: linked by demo/project_work.py
                        person.village_code,
                    )
                )
                result.by_year[served_on.year] += 1
                if served_on >= recent:
                    result.last_year += 1
                key = (served_on.toordinal(), rng.randint(8, 17))
                moment = moments.get(key)
                if moment is None:
                    moment = moments[key] = datetime.combine(served_on, time(key[1], 30), TZ)
                moments_of.append(moment)
        if len(chunk) >= 50_000:
            insert_with_history(ServiceRecord, RECORD_COLUMNS, chunk, moments_of)
            result.count += len(chunk)
            chunk, moments_of = [], []
    if chunk:
        insert_with_history(ServiceRecord, RECORD_COLUMNS, chunk, moments_of)
        result.count += len(chunk)
    return result


RECORD_COLUMNS = (
    "recipient_id",
    "case_id",
    "station_id",
    "worker_id",
    "served_on",
    "service_type",
    "duration_minutes",
    "place",
    "volunteers",
    "notes",
    "project_id",
    "region_code",
)


def _without(
    types: list[str], cumulative: list[float], dropped: str
) -> tuple[list[str], list[float]]:
    weights = [b - a for a, b in zip([0, *cumulative[:-1]], cumulative, strict=True)]
    kept = [(t, w) for t, w in zip(types, weights, strict=True) if t != dropped]
    return [t for t, _w in kept], list(accumulate(w for _t, w in kept))
