"""Demo workforce (domain.md §2): about 19,100 certified social workers and the stations' staff,
their certificates, the exam reward and job allowance rules with the paid 2022 reward batch,
tiered training, the expert support team with its supervision sessions, and talent lists.

The published figures are reproduced exactly (issue 11): 10,411 people are certified at the END
OF 2021 (the figure published beside the 95 stations built by then, 45 + 50); 2,100 people were
first certified in 2021 and 6,635 in 2022 (+216 %), so 17,046 at the end of 2022; 19,100 at the
end of 2023 ("1.9万余人, 每万人拥有20名", reported in March 2023: 19.7 per 10,000 of the
9,697,000 residents). The national examination began in 2008; no later exam year is published,
so no one is first certified after 2023. A later certificate of a higher level never makes a
person "newly certified" again. Everyone who ever left a post is an uncertified former staff
member, so the certified figures hold however "active" is read.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from swstation.accounts.models import User
from swstation.core.dates import month_end
from swstation.demo.accounts import STATION_STAFF_LINKS, SUPERVISOR_LINKS
from swstation.demo.bulk import insert_objects, insert_with_history
from swstation.demo.evaluation import round_names
from swstation.demo.history import demo_history
from swstation.demo.quality import chance
from swstation.demo.stations import (
    BATCH,
    CITY,
    COMMUNITY_WORKER_DISTRICTS,
    add_years,
    person_name,
    phone_number,
    plan_townships,
    random_day,
    township_regions,
)
from swstation.regions.models import Population, Region
from swstation.stations.models import OperatingModel, ServiceAgency, Station, StationKind
from swstation.workforce.models import (
    Attendance,
    BatchStatus,
    Certificate,
    CertificateLevel,
    CertificateMethod,
    ClassTier,
    Course,
    CourseMode,
    Education,
    Gender,
    Payment,
    PaymentBatch,
    PaymentKind,
    Post,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    SupervisorLevel,
    TalentCatalogue,
    TalentEntry,
    TrainingClass,
)
from swstation.workforce.selectors.payments import allowances_due, rewards_due

ASSISTANT = CertificateLevel.ASSISTANT.value
INTERMEDIATE = CertificateLevel.INTERMEDIATE.value
SENIOR = CertificateLevel.SENIOR.value
LEVEL_RANK = {ASSISTANT: 1, INTERMEDIATE: 2, SENIOR: 3}

# People by the year of their FIRST certificate, from the first national exam (2008): 2008-2020
# add up to 8,311 so that 10,411 are certified at the end of 2021; 6,635 more in 2022 make
# 17,046, and 2,054 in 2023 make 19,100.
FIRST_CERTIFIED_PER_YEAR = {
    2008: 120,
    2009: 160,
    2010: 220,
    2011: 290,
    2012: 370,
    2013: 450,
    2014: 540,
    2015: 640,
    2016: 750,
    2017: 870,
    2018: 1000,
    2019: 1150,
    2020: 1751,
    2021: 2100,
    2022: 6635,
    2023: 2054,
}
LAST_EXAM_YEAR = max(FIRST_CERTIFIED_PER_YEAR)
EXAM_REWARDS = {ASSISTANT: 1500, INTERMEDIATE: 3000, SENIOR: 5000}
JOB_ALLOWANCES = {ASSISTANT: 200, INTERMEDIATE: 400, SENIOR: 600}
REWARD_BATCH_NOTE = "2022年度社会工作者职业资格考试一次性奖励"
# The 2023 exam rewards were paid in April 2024; job allowances are paid monthly, on the 10th
# of the following month: the demo holds the batches of July to October 2026 (each month's
# due list takes a second or two to compute, so not the whole history).
LATER_REWARDS = (date(2023, 1, 1), date(2023, 12, 31), date(2024, 4, 18), "2023年度一次性奖励")
ALLOWANCE_MONTHS = tuple(date(2026, month, 1) for month in range(7, 11))
PAYMENT_COLUMNS = (
    "batch_id",
    "kind",
    "social_worker_id",
    "certificate_id",
    "policy_id",
    "month",
    "amount",
)
LEVEL_DIGIT = {ASSISTANT: "1", INTERMEDIATE: "2", SENIOR: "3"}
# The city's talent catalogues (issue 11, domain.md §2).
NATIONAL_LEADING_TALENTS = 3
PROVINCIAL_LEADING_TALENTS = 12
HIGH_LEVEL_NOTE = "高级社会工作师,列入市高层次人才目录"
NATIONAL_LEADING_NOTE = "全国社会工作领军人才,列入市领军人才目录"
PROVINCIAL_LEADING_NOTE = "浙江省社会工作领军人才,列入市拔尖人才目录"

TIERS = {
    ClassTier.JINDING: ("金鼎班", 3, "社区带头人"),
    ClassTier.YINDING: ("银鼎班", 5, "后备干部"),
    ClassTier.WENDING: ("文鼎班", 9, "一线社会工作者"),
}
COURSES = {
    ClassTier.JINDING: (
        "社区治理与五社联动实务",
        "党建引领基层治理",
        "社区协商议事方法",
        "社区公益创投项目设计",
        "社区应急管理与风险防控",
        "社区带头人领导力提升",
    ),
    ClassTier.YINDING: (
        "社会工作伦理与价值",
        "社区工作方法(MZ/T 096-2017)",
        "社会政策与法规解读",
        "社会工作项目管理与评估",
        "群众工作方法",
        "公文写作与宣传报道",
    ),
    ClassTier.WENDING: (
        "个案工作实务(MZ/T 094-2017)",
        "小组工作实务(MZ/T 095-2017)",
        "老年人能力评估实务(MZ/T 039-2013)",
        "困境儿童需求评估与帮扶计划",
        "心理疏导基本技巧",
        "社会救助政策与资源链接",
        "社会工作服务记录与档案管理",
    ),
}
CITY_COURSES = (
    "社会工作者职业水平考试考前辅导:社会工作综合能力",
    "社会工作者职业水平考试考前辅导:社会工作实务",
    "社会工作者职业水平考试考前辅导:社会工作法规与政策",
    "乡镇(街道)社会工作站“1+X+1”项目设计",
    "社会工作督导实务工作坊",
)
# The city's online continuing-education courses of a year (社会工作者继续教育网络课程).
CONTINUING_ONLINE = (
    "社会工作者继续教育网络课程:社会工作伦理与法规",
    "社会工作者继续教育网络课程:个案管理与服务记录",
    "社会工作者继续教育网络课程:小组工作与社区工作实务",
    "社会工作者继续教育网络课程:社会救助与养老服务政策",
    "社会工作者继续教育网络课程:儿童关爱保护与困境儿童服务",
    "社会工作者继续教育网络课程:社会工作项目设计与评估",
)
SUPERVISION_TOPICS = (
    "个案工作流程与记录规范",
    "困境儿童个案会商",
    "高龄独居老人探访服务设计",
    "小组工作方案设计与带领技巧",
    "社区活动策划与资源链接",
    "“1+X+1”项目书撰写与评估指标",
    "困难家庭综合救助个案督导",
    "社工站年度工作计划梳理",
    "服务对象需求评估方法",
    "社工职业倦怠与自我照顾",
    "志愿者队伍建设与管理",
    "矛盾调处中的社会工作方法",
    "残疾人家庭支持服务",
    "流动人口子女融入服务",
    "社会工作伦理困境讨论",
    "服务成效评估与案例撰写",
)
FOLLOW_UPS = (
    "补齐个案预估记录,下次督导前提交。",
    "修改小组工作计划书并报督导审阅。",
    "整理服务档案,按档案室标准归档。",
    "完成困境儿童帮扶计划的家访核实。",
    "梳理项目成效指标,形成中期报告。",
    "对接镇(街道)救助办,落实资源链接。",
)
SUPERVISOR_ORGS = {
    SupervisorLevel.PROVINCIAL: (
        "浙江工业大学",
        "浙江师范大学",
        "浙江树人学院",
        "浙江省社会工作督导人才库",
        "杭州师范大学",
    ),
    SupervisorLevel.CITY: (
        "宁波大学",
        "浙大宁波理工学院",
        "浙江万里学院",
        "宁波财经学院",
        "宁波市社会工作协会",
        "宁波卫生职业技术学院",
    ),
    SupervisorLevel.DOMAIN_EXPERT: (
        "宁波市康宁医院",
        "宁波市第一医院",
        "宁波市司法局",
        "宁波市残疾人联合会",
        "宁波市妇女儿童医院",
        "宁波市律师协会",
        "宁波市心理咨询协会",
    ),
}
SUPERVISOR_FIELDS = {
    SupervisorLevel.PROVINCIAL: ("社会工作督导", "社会政策", "社区治理", "社会工作行政"),
    SupervisorLevel.CITY: ("个案工作", "小组工作", "社区工作", "项目管理", "社会工作督导"),
    SupervisorLevel.DOMAIN_EXPERT: (
        "心理咨询",
        "医务社会工作",
        "社区矫正",
        "老年服务",
        "儿童保护",
        "残疾人康复",
        "法律援助",
        "学校社会工作",
    ),
}


@dataclass
class Person:
    """What the generator decides about a person before the rows are made."""

    region: Region
    first_year: int
    certificates: list[tuple[str, int]] = field(default_factory=list)
    worker: SocialWorker | None = None

    @property
    def top_level(self) -> str | None:
        return max((lvl for lvl, _y in self.certificates), key=LEVEL_RANK.__getitem__, default=None)


def _certificate_path(rng: random.Random, year: int) -> list[tuple[str, int]]:
    """The certificates of someone first certified in ``year``: ~75 % assistant only, ~24 %
    intermediate (often after an assistant certificate), ~1.4 % senior (after intermediate)."""
    if year <= 2019 and rng.random() < 0.04:
        if rng.random() < 0.5:
            inter = rng.randint(year + 1, min(year + 3, 2020))
            path = [(ASSISTANT, year), (INTERMEDIATE, inter)]
        else:
            inter = year
            path = [(INTERMEDIATE, year)]
        # Zhejiang's first senior social workers date from 2018 (exam and review).
        return [*path, (SENIOR, rng.randint(max(2018, inter + 3), LAST_EXAM_YEAR))]
    direct = 0.12
    upgrade = 0.14 if year <= 2020 else 0.20 if year == 2021 else 0.10 if year == 2022 else 0.0
    draw = rng.random()
    if draw < direct:
        return [(INTERMEDIATE, year)]
    if draw < direct + upgrade:
        return [(ASSISTANT, year), (INTERMEDIATE, rng.randint(year + 1, LAST_EXAM_YEAR))]
    return [(ASSISTANT, year)]


def _largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    for key in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[
        : total - sum(shares.values())
    ]:
        shares[key] += 1
    return shares


def _new_worker(
    rng: random.Random, person: Person | None, region: Region, first_year: int | None = None
) -> SocialWorker:
    """A SocialWorker row with name, gender, birth date, phone and education filled in."""
    female = rng.random() < 0.78
    top = person.top_level if person else None
    year = first_year or (person.first_year if person else rng.randint(2016, 2023))
    age = round(rng.triangular(22, 48, 28 if top in (None, ASSISTANT) else 32))
    birth = random_day(rng, date(year - age, 1, 1), date(year - age, 12, 31))
    if top in (INTERMEDIATE, SENIOR):
        education = rng.choices(
            [Education.ASSOCIATE, Education.BACHELOR, Education.MASTER], [10, 65, 25]
        )[0]
    else:
        education = rng.choices(
            [Education.SECONDARY, Education.ASSOCIATE, Education.BACHELOR, Education.MASTER],
            [5, 45, 45, 5],
        )[0]
    return SocialWorker(
        name=person_name(rng, female),
        gender=Gender.FEMALE if female else Gender.MALE,
        birth_date=birth,
        phone=phone_number(rng),
        region=region,
        education=education,
    )


def _hire_date(rng: random.Random, worker: SocialWorker, earliest: date, latest: date) -> date:
    assert worker.birth_date is not None
    start = max(earliest, add_years(worker.birth_date, 21))
    return random_day(rng, start, max(start, latest))


def build_workforce(log: Callable[[str], None]) -> None:
    if SocialWorker.objects.exists():
        log(f"workforce: already built ({SocialWorker.objects.count()} social workers)")
        return
    rng = random.Random("demo-workforce")
    city = Region.objects.get(code=CITY)
    counties = {r.code[:6]: r for r in Region.objects.filter(level="county").order_by("code")}
    townships = township_regions()
    plans = plan_townships([(r.code, r.name) for r in townships])
    townships_by_district: dict[str, list[Region]] = {}
    for region in townships:
        townships_by_district.setdefault(region.code[:6], []).append(region)
    stations = list(
        Station.objects.exclude(kind=StationKind.OUTPOST)
        .select_related("region", "agency")
        .order_by("region__code", "kind", "name")
    )
    agencies: dict[str, list[ServiceAgency]] = {}
    for agency in ServiceAgency.objects.select_related("region").order_by("credit_code"):
        agencies.setdefault(agency.region.code[:6], []).append(agency)

    # 1. Certified people, by first-certificate year, spread over the townships in proportion
    # to their district's 2020 census population.
    population = {
        p.region.code[:6]: p.population
        for p in Population.objects.filter(year=2020, region__level="county").select_related(
            "region"
        )
    }
    total = sum(FIRST_CERTIFIED_PER_YEAR.values())
    districts = [
        code for code, share in _largest_remainder(total, population).items() for _ in range(share)
    ]
    rng.shuffle(districts)
    people: list[Person] = []
    for year, count in FIRST_CERTIFIED_PER_YEAR.items():
        for _ in range(count):
            region = rng.choice(townships_by_district[districts[len(people)]])
            people.append(Person(region, year, _certificate_path(rng, year)))
    by_township: dict[int, list[Person]] = {}
    for person in people:
        by_township.setdefault(person.region.id, []).append(person)
    for pool in by_township.values():
        rng.shuffle(pool)

    workers: list[SocialWorker] = []
    staffed: set[int] = set()  # id() of people placed at a station

    def staff_member(
        station: Station, person: Person | None, *, director: bool = False, founding: bool = False
    ) -> None:
        """A member of ``station``'s staff: its director or one of its founding staff hired in
        the two months before it opened (a station opens with its staff: issue 18), the others
        hired since."""
        assert station.opened_on is not None
        first_year = None
        if director or founding:  # of age to be hired before the opening
            opening = station.opened_on.year
            first_year = min(person.first_year, opening) if person else opening
        worker = _new_worker(rng, person, station.region, first_year)
        if person is not None:
            person.worker = worker
            staffed.add(id(person))
        worker.station = station
        worker.post = Post.STATION_DIRECTOR if director else Post.SOCIAL_WORKER
        if station.operating_model == OperatingModel.COMMISSIONED_AGENCY:
            worker.agency = station.agency
        # 江北, 海曙 and 象山 count their station staff as full-time community workers.
        worker.is_community_worker = (
            station.kind == StationKind.TOWNSHIP
            and station.region.code[:6] in COMMUNITY_WORKER_DISTRICTS
        )
        assert station.opened_on is not None
        if director or founding:
            worker.hired_on = _hire_date(
                rng, worker, station.opened_on - timedelta(days=60), station.opened_on
            )
        else:
            worker.hired_on = _hire_date(rng, worker, station.opened_on, date(2024, 9, 30))
        workers.append(worker)

    def take(pool: list[Person], count: int) -> list[Person]:
        chosen = [p for p in pool if id(p) not in staffed][:count]
        chosen.sort(key=lambda p: -LEVEL_RANK[p.top_level or ASSISTANT])
        return chosen

    # 2. Station staff: 3-8 full-time staff per township station, mostly certified people of
    # the township; the planned shortfalls have fewer than 3 active full-time staff.
    former = 0
    for station in stations:
        if station.kind == StationKind.TOWNSHIP:
            plan = plans[station.region.code]
            pool = by_township[station.region.id]
            size = {0: rng.randint(3, 8), 1: 2, 2: 2, 3: 2}[plan.understaffed]
            certified = take(pool, 3 if size >= 3 else size)
            for index in range(size):
                member: Person | None = None
                if index < len(certified):
                    member = certified[index]
                elif rng.random() < 0.7:
                    member = next(iter(take(pool, 1)), None)
                staff_member(station, member, director=index == 0, founding=index < 3)
                if index == 1 and station.operating_model == OperatingModel.DEDICATED_POSTS:
                    # 海曙's added posts are staffed with the social-assistance staff.
                    workers[-1].note = "社会救助经办人员,兼任社工站岗位"
            if plan.understaffed == 3:
                staff_member(station, None)
                workers[-1].is_fulltime = False
                workers[-1].note = "兼职"
            if plan.understaffed == 2 or (not plan.understaffed and rng.random() < 0.25):
                staff_member(station, None)
                leaver = workers[-1]
                assert leaver.hired_on is not None
                leaver.hired_on = min(leaver.hired_on, date(2023, 6, 30))
                leaver.left_on = random_day(
                    rng, leaver.hired_on + timedelta(days=120), date(2024, 10, 31)
                )
                leaver.note = "已离职"
                former += 1
        else:
            # Hubs and special stations: 2-4 certified staff of their district or township.
            if station.region.level == "county":
                pool = [
                    p
                    for t in townships_by_district[station.region.code[:6]]
                    for p in by_township[t.id][:40]
                ]
            else:
                pool = by_township[station.region.id]
            for index, person in enumerate(take(pool, rng.randint(2, 4))):
                person.region = station.region
                staff_member(station, person, director=index == 0)

    # 3. Everyone else certified: community workers, agency social workers, a few civil
    # servants, and people in other jobs (teachers, hospital staff) certified part-time.
    for person in people:
        if id(person) in staffed:
            continue
        worker = _new_worker(rng, person, person.region)
        person.worker = worker
        draw = rng.random()
        district = person.region.code[:6]
        if draw < 0.58:
            worker.post = Post.COMMUNITY_WORKER
            worker.is_community_worker = True
            worker.is_fulltime = rng.random() < 0.95
        elif draw < 0.83:
            worker.post = Post.SOCIAL_WORKER
            worker.agency = rng.choice(agencies[district])
            worker.is_fulltime = rng.random() < 0.85
        elif draw < 0.86:
            worker.post = Post.OTHER
            worker.is_civil_servant = True
        else:
            worker.post = Post.OTHER
            worker.is_fulltime = False
        if worker.post != Post.OTHER or rng.random() < 0.5:
            worker.hired_on = _hire_date(rng, worker, date(2005, 1, 1), date(2024, 6, 30))
        workers.append(worker)

    # Link the demo accounts to their stations' staff.
    users = {u.username: u for u in User.objects.filter(username__in=STATION_STAFF_LINKS)}
    for username, (code, post) in STATION_STAFF_LINKS.items():
        match = next(
            (
                w
                for w in workers
                if w.station is not None
                and w.station.kind == StationKind.TOWNSHIP
                and w.region.code == code
                and w.post == post
                and w.left_on is None
                and w.user is None
            ),
            None,
        )
        if match is not None and username in users:
            match.user = users[username]

    workers = list(insert_objects(SocialWorker, workers))

    # 4. Certificates.
    certificates: list[Certificate] = []
    serial = 0
    for person in people:
        assert person.worker is not None
        for level, year in person.certificates:
            serial += 1
            if level == SENIOR:
                obtained = random_day(rng, date(year, 10, 1), date(year, 12, 28))
            else:
                obtained = random_day(rng, date(year, 6, 20), date(year, 12, 28))
            certificates.append(
                Certificate(
                    social_worker=person.worker,
                    level=level,
                    number=f"{year}{LEVEL_DIGIT[level]}3302{serial:07d}",
                    obtained_on=obtained,
                    method=CertificateMethod.REVIEW if level == SENIOR else CertificateMethod.EXAM,
                    exam_in_city=rng.random() < 0.97,
                    registered_in_city=rng.random() < 0.97,
                )
            )
    certificates = list(insert_objects(Certificate, certificates))

    # 5. Rewards and allowances as policy data; the paid 2022 exam-reward batch.
    policies: dict[tuple[str, str], RewardPolicy] = {}
    for existing in RewardPolicy.objects.all():
        policies.setdefault((existing.kind, existing.level), existing)
    new_policies = []
    for level, amount in EXAM_REWARDS.items():
        if (PaymentKind.EXAM_REWARD, level) not in policies:
            new_policies.append(
                RewardPolicy(
                    kind=PaymentKind.EXAM_REWARD,
                    level=level,
                    amount=Decimal(amount),
                    valid_from=date(2022, 1, 1),
                    note="首次取得该级别证书、非公务员、在甬参考并在甬登记",
                )
            )
    for level, amount in JOB_ALLOWANCES.items():
        if (PaymentKind.JOB_ALLOWANCE, level) not in policies:
            new_policies.append(
                RewardPolicy(
                    kind=PaymentKind.JOB_ALLOWANCE,
                    level=level,
                    amount=Decimal(amount),
                    valid_from=date(2023, 1, 1),
                    requires_exam_in_city=False,
                    requires_community_worker=True,
                    note="持证专职社区工作者岗位补贴(每月)",
                )
            )
    for policy in bulk_create_with_history(new_policies, RewardPolicy):
        policies[(policy.kind, policy.level)] = policy
    admin = User.objects.filter(username="city_admin").first()
    batch = bulk_create_with_history(
        [
            PaymentBatch(
                kind=PaymentKind.EXAM_REWARD,
                region=city,
                period_start=date(2022, 1, 1),
                period_end=date(2022, 12, 31),
                status=BatchStatus.PAID,
                approved_by=admin,
                approved_at=datetime(2023, 3, 15, 2, 0, tzinfo=UTC),
                paid_on=date(2023, 4, 20),
                note=REWARD_BATCH_NOTE,
            )
        ],
        PaymentBatch,
    )[0]
    payments = [
        Payment(
            batch=batch,
            kind=PaymentKind.EXAM_REWARD,
            social_worker=c.social_worker,
            certificate=c,
            policy=policies[(PaymentKind.EXAM_REWARD, c.level)],
            amount=policies[(PaymentKind.EXAM_REWARD, c.level)].amount,
        )
        for c in certificates
        if c.obtained_on.year == 2022
        and not c.social_worker.is_civil_servant
        and c.exam_in_city
        and c.registered_in_city
    ]
    insert_objects(Payment, payments)
    paid = _paid_batches(admin, city)
    log(f"workforce: {paid} more payments in paid batches (2023 exam rewards, 2026 allowances)")

    # 6. The expert support team: 5 provincial, 20 city supervisors, 15 domain experts.
    county_list = list(counties.values())
    supervisors: list[Supervisor] = []
    for level, count in (
        (SupervisorLevel.PROVINCIAL, 5),
        (SupervisorLevel.CITY, 20),
        (SupervisorLevel.DOMAIN_EXPERT, 15),
    ):
        for index in range(count):
            region = city
            if level == SupervisorLevel.CITY and index >= 12:
                region = county_list[(index - 12 + 1) % len(county_list)]  # 江北区 first
            elif level == SupervisorLevel.DOMAIN_EXPERT and index >= 10:
                region = rng.choice(county_list)
            supervisors.append(
                Supervisor(
                    name=person_name(rng, rng.random() < 0.6),
                    level=level,
                    field=rng.choice(SUPERVISOR_FIELDS[level]),
                    organisation=rng.choice(SUPERVISOR_ORGS[level]),
                    phone=phone_number(rng),
                    region=region,
                )
            )
    users = {u.username: u for u in User.objects.filter(username__in=SUPERVISOR_LINKS)}
    for username, code in SUPERVISOR_LINKS.items():
        expert = next(
            (
                s
                for s in supervisors
                if s.level == SupervisorLevel.CITY and s.region.code == code and s.user is None
            ),
            None,
        )
        if expert is not None and username in users:
            expert.user = users[username]
    supervisors = bulk_create_with_history(supervisors, Supervisor, batch_size=BATCH)

    # 7. Tiered classes per district for 2022-2024, their courses and attendance; city courses.
    district_workers: dict[str, list[SocialWorker]] = {}
    for worker in workers:
        if worker.left_on is None:
            district_workers.setdefault(worker.region.code[:6], []).append(worker)
    classes: list[TrainingClass] = []
    for county in county_list:
        for year in (2022, 2023, 2024):
            for tier, (label, month, _audience) in TIERS.items():
                starts = random_day(rng, date(year, month, 1), date(year, month, 25))
                classes.append(
                    TrainingClass(
                        name=f"{county.name}{year}年{label}",
                        tier=tier,
                        region=county,
                        starts_on=starts,
                        ends_on=min(
                            starts + timedelta(days=rng.randint(60, 110)), date(year, 12, 20)
                        ),
                        organiser=f"{county.name}民政局",
                    )
                )
    classes = bulk_create_with_history(classes, TrainingClass, batch_size=BATCH)
    teachers = [s.name for s in supervisors]
    courses: list[Course] = []
    course_pool: list[tuple[Course, list[SocialWorker]]] = []
    for training_class in classes:
        tier = ClassTier(training_class.tier)
        district = training_class.region.code[:6]
        if tier == ClassTier.WENDING:
            candidates = [w for w in district_workers[district] if w.post == Post.SOCIAL_WORKER]
        else:
            candidates = [w for w in district_workers[district] if w.is_community_worker]
        members = rng.sample(candidates, rng.randint(10, 20))
        assert training_class.ends_on is not None
        titles = rng.sample(COURSES[tier], rng.randint(3, 5))
        for index, title in enumerate(titles):
            online = rng.random() < 0.35
            course = Course(
                title=title,
                training_class=training_class,
                region=training_class.region,
                mode=CourseMode.ONLINE if online else CourseMode.OFFLINE,
                held_on=training_class.starts_on
                + timedelta(
                    days=index
                    * (training_class.ends_on - training_class.starts_on).days
                    // len(titles)
                ),
                hours=Decimal(rng.choice([1.5, 2, 3]) if online else rng.choice([2, 3, 4, 6])),
                teacher=rng.choice(teachers),
            )
            courses.append(course)
            course_pool.append((course, members))
    everyone = [w for w in workers if w.left_on is None]
    for year in (2022, 2023, 2024):
        for index, title in enumerate(CITY_COURSES):
            course = Course(
                title=title,
                region=city,
                mode=CourseMode.ONLINE if index < 3 else CourseMode.OFFLINE,
                held_on=random_day(rng, date(year, 4 if index < 3 else 7, 1), date(year, 10, 31)),
                hours=Decimal(rng.choice([2, 3, 4])),
                teacher=rng.choice(teachers),
            )
            courses.append(course)
            course_pool.append((course, rng.sample(everyone, rng.randint(25, 40))))
    courses = bulk_create_with_history(courses, Course, batch_size=BATCH)
    attendances = []
    for course, members in course_pool:
        for worker in members:
            if rng.random() < 0.9:
                half = rng.random() < 0.1
                hours = (course.hours / 2).quantize(Decimal("0.1")) if half else course.hours
                attendances.append(Attendance(course=course, social_worker=worker, hours=hours))
    insert_objects(Attendance, attendances)
    continuing = _continuing_education(workers, city, counties, teachers)

    # 8. Supervision sessions in 2023-2024 with stations and some of their staff.
    staff_of: dict[int, list[SocialWorker]] = {}
    for worker in workers:
        if worker.station is not None and worker.left_on is None:
            staff_of.setdefault(worker.station.id, []).append(worker)
    stations_by_district: dict[str, list[Station]] = {}
    for station in stations:
        stations_by_district.setdefault(station.region.code[:6], []).append(station)
    sessions: list[SupervisionSession] = []
    session_staff: list[list[SocialWorker]] = []
    for index in range(360):
        supervisor = supervisors[index % len(supervisors)]
        if supervisor.region.level == "county":
            station = rng.choice(stations_by_district[supervisor.region.code[:6]])
        else:
            station = rng.choice(stations)
        held_on = random_day(rng, date(2023, 1, 5), date(2024, 12, 20))
        session = SupervisionSession(
            supervisor=supervisor,
            station=station,
            held_on=held_on,
            hours=Decimal(rng.choice([1.5, 2, 2.5, 3, 4])),
            topic=rng.choice(SUPERVISION_TOPICS),
        )
        if rng.random() < 0.45:
            session.follow_ups = rng.choice(FOLLOW_UPS)
            session.follow_up_due = held_on + timedelta(days=rng.randint(14, 45))
            session.follow_up_done = rng.random() < (0.85 if held_on < date(2024, 10, 1) else 0.2)
        staff = staff_of.get(station.id, [])
        sessions.append(session)
        session_staff.append(rng.sample(staff, min(len(staff), rng.randint(2, 6))))
    sessions = bulk_create_with_history(sessions, SupervisionSession, batch_size=BATCH)
    through = SupervisionSession.participants.through
    through.objects.bulk_create(
        [
            through(supervisionsession_id=session.id, socialworker_id=worker.id)
            for session, staff in zip(sessions, session_staff, strict=True)
            for worker in staff
        ],
        batch_size=BATCH,
    )

    # 9. Talent lists (issue 11): every senior social worker on the city's high-level list (the
    # city has listed them since 2018), national leading social-work talents on its leading
    # list and Zhejiang's provincial leading talents on its top-notch list (「分别」).
    senior_since = {
        id(p): min(y for lvl, y in p.certificates if lvl == SENIOR)
        for p in people
        if p.top_level == SENIOR
    }
    seniors = [p for p in people if id(p) in senior_since]
    veterans = [p for p in people if p.top_level in (INTERMEDIATE, SENIOR) and p.first_year <= 2014]
    national = rng.sample(seniors, NATIONAL_LEADING_TALENTS)
    chosen_ids = {id(p) for p in national}
    provincial = rng.sample(
        [p for p in veterans if id(p) not in chosen_ids], PROVINCIAL_LEADING_TALENTS
    )
    entries: list[tuple[Person, str, date, date | None, str]] = []
    for person in seniors:
        year = senior_since[id(person)]
        listed_on = random_day(
            rng, date(max(year + 1, 2018), 3, 1), date(max(year + 1, 2018), 6, 30)
        )
        entries.append((person, TalentCatalogue.HIGH_LEVEL, listed_on, None, HIGH_LEVEL_NOTE))
    for listing, chosen, note, years in (
        (TalentCatalogue.LEADING, national, NATIONAL_LEADING_NOTE, (2018, 2024)),
        (TalentCatalogue.TOP_NOTCH, provincial, PROVINCIAL_LEADING_NOTE, (2018, 2025)),
    ):
        for person in chosen:
            first = random_day(rng, date(years[0], 4, 1), date(years[1], 11, 30))
            entries.append((person, listing, first, add_years(first, 3) - timedelta(days=1), note))
    talent_rows = []
    for person, catalogue, listed_on, valid_until, note in entries:
        assert person.worker is not None
        talent_rows.append(
            TalentEntry(
                social_worker=person.worker,
                catalogue=catalogue,
                listed_on=listed_on,
                valid_until=valid_until,
                note=note,
            )
        )
    bulk_create_with_history(talent_rows, TalentEntry, batch_size=BATCH)

    certified_2021 = sum(n for y, n in FIRST_CERTIFIED_PER_YEAR.items() if y <= 2021)
    log(
        f"workforce: {len(workers)} social workers ({len(people)} certified: "
        f"{certified_2021} by the end of 2021, {FIRST_CERTIFIED_PER_YEAR[2021]} first "
        f"certified in 2021, {FIRST_CERTIFIED_PER_YEAR[2022]} in 2022; "
        f"{len(staffed)} certified station staff, "
        f"{former} former staff), {len(certificates)} certificates, "
        f"{len(policies)} reward rules, {len(payments)} exam rewards paid for 2022, "
        f"{len(classes)} classes, {len(courses)} courses, {len(attendances)} attendances, "
        f"{continuing[0]} continuing-education courses with {continuing[1]} attendances, "
        f"{len(supervisors)} supervisors, {len(sessions)} supervision sessions, "
        f"{len(talent_rows)} talent entries, "
        f"{sum(1 for w in workers if w.user_id)} + "
        f"{sum(1 for s in supervisors if s.user_id)} demo accounts linked"
    )


def _continuing_education(
    workers: list[SocialWorker], city: Region, counties: dict[str, Region], teachers: list[str]
) -> tuple[int, int]:
    """The station staff's continuing education (继续教育) of each year from the evaluation's
    annual round to the build day: the city's online courses and each district's two
    concentrated trainings of the station staff a year, each attended — in full or in part —
    by most of a well-run station's staff and fewer of a struggling one's (demo/quality.py),
    about 90 hours a year at the best stations (the B4 indicator of the evaluation rounds).
    Its own random stream, so that the rest of the workforce stays as it was. Returns the
    courses and the attendances made."""
    rng = random.Random("demo-continuing-education")
    today = demo_history().end
    staff = [w for w in workers if w.station is not None and w.station.kind == StationKind.TOWNSHIP]
    courses: list[Course] = []
    pool: list[tuple[Course, list[SocialWorker]]] = []
    for year in range(round_names(today)[0], today.year + 1):
        planned: list[tuple[Course, list[SocialWorker]]] = []
        for title in CONTINUING_ONLINE:
            held_on = random_day(rng, date(year, 3, 1), date(year, 11, 20))
            course = Course(
                title=f"{year}年{title}",
                region=city,
                mode=CourseMode.ONLINE,
                held_on=held_on,
                hours=Decimal(rng.choice(["8", "10", "10", "12", "12"])),
                teacher=rng.choice(teachers),
            )
            planned.append((course, staff))
        for code, county in counties.items():
            mine = [w for w in staff if w.region.code.startswith(code)]
            for first_month, title in ((4, "春季"), (9, "秋季")):
                held_on = random_day(
                    rng, date(year, first_month, 1), date(year, first_month + 2, 25)
                )
                course = Course(
                    title=f"{county.name}{year}年社工站专职人员{title}集中轮训",
                    region=county,
                    mode=CourseMode.OFFLINE,
                    held_on=held_on,
                    hours=Decimal(rng.choice(["16", "16", "20", "24"])),
                    teacher=rng.choice(teachers),
                )
                planned.append((course, mine))
        for course, members in planned:
            if course.held_on < today:
                courses.append(course)
                pool.append((course, members))
    courses = bulk_create_with_history(courses, Course, batch_size=BATCH)
    attendances: list[Attendance] = []
    for course, members in pool:
        online = course.mode == CourseMode.ONLINE
        for worker in members:
            if not (worker.hired_on is None or worker.hired_on <= course.held_on) or not (
                worker.left_on is None or worker.left_on > course.held_on
            ):
                continue
            code = worker.station.region.code if worker.station else worker.region.code
            if rng.random() >= chance(code, 0.25 if online else 0.35, 0.97):
                continue
            hours = course.hours
            if rng.random() < 0.15:  # left early, or did part of the online course
                hours = (course.hours * Decimal(rng.choice(["0.5", "0.75"]))).quantize(
                    Decimal("0.1")
                )
            attendances.append(Attendance(course=course, social_worker=worker, hours=hours))
    insert_objects(Attendance, attendances)
    return len(courses), len(attendances)


def _paid_batches(admin: User | None, city: Region) -> int:
    """Later paid batches, with the lines the payment rules find due (the same selectors as
    the 生成 button), so that the cockpit shows money paid in the years it looks at."""
    if admin is None:
        return 0
    created = 0
    start, end, paid_on, note = LATER_REWARDS
    periods = [(PaymentKind.EXAM_REWARD, start, end, paid_on, note)]
    for month in ALLOWANCE_MONTHS:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 10)
        periods.append(
            (
                PaymentKind.JOB_ALLOWANCE,
                month,
                month_end(month),
                following,
                f"{month:%Y年%m月}岗位补贴",
            )
        )
    for kind, period_start, period_end, paid, label in periods:
        if kind == PaymentKind.EXAM_REWARD:
            lines = rewards_due(
                actor=admin, region=city, period_start=period_start, period_end=period_end
            )
        else:
            lines = allowances_due(actor=admin, region=city, month=period_start)
        if not lines:
            continue
        batch = bulk_create_with_history(
            [
                PaymentBatch(
                    kind=kind,
                    region=city,
                    period_start=period_start,
                    period_end=period_end,
                    status=BatchStatus.PAID,
                    approved_by=admin,
                    approved_at=datetime.combine(
                        paid - timedelta(days=7), datetime.min.time(), UTC
                    ),
                    paid_on=paid,
                    note=label,
                )
            ],
            PaymentBatch,
        )[0]
        rows = [
            (
                batch.pk,
                line.kind,
                line.social_worker.pk,
                line.certificate.pk,
                line.policy.pk,
                line.month,
                line.amount,
            )
            for line in lines
        ]
        moment = datetime(paid.year, paid.month, paid.day, 2, 0, tzinfo=UTC)
        insert_with_history(Payment, PAYMENT_COLUMNS, rows, [moment] * len(rows))
        created += len(rows)
    return created
