"""Demo stations (domain.md §1): one station per town and street, built 45 / 50 / 61 in
2020 / 2021 / 2022, district hubs, special stations, village outposts, agencies, rooms, the
construction standard and the city's one-time subsidy.

Everything is drawn from seeded :class:`random.Random` instances over code-ordered lists, so
every run builds the same city. :func:`plan_townships` is also used by the workforce step,
which must know which stations were planned short of staff.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from simple_history.utils import bulk_create_with_history

from swstation.funds.models import Funder, FunderKind, FundType, Grant, Tier
from swstation.regions.models import Region
from swstation.stations.models import (
    ConstructionStandard,
    FundingSource,
    OperatingModel,
    Room,
    RoomKind,
    ServiceAgency,
    SharedVenue,
    SpecialKind,
    Station,
    StationKind,
    StationStatus,
    SubsidyPolicy,
)

BATCH = 1000
CITY = "330200000000"
JIANGBEI = "330205000000"
BEILUN = "330206000000"
DONGLIU = "330212012000"  # 东柳街道, 鄞州区
CICHENG = "330205103000"  # 慈城镇, 江北区
# The seeds count 35 villages and 10 communities in 慈城镇; the division data (kept as it is)
# holds 35 villages and 11 community-level units, one of them perhaps a 居委会 set up later.
CICHENG_NOTE = (
    "据报道,慈城镇辖35个行政村、10个社区;区划数据中有35个村、11个社区级单位"
    "(其中一个可能为后设居委会),本平台以区划数据为准。"
)

# domain.md §1: 45 stations in 2020, 50 more in 2021, full coverage (156) in 2022.
OPENED_PER_YEAR = {2020: 45, 2021: 50, 2022: 61}
# Earlier years favour the urban districts; streets (街道) before towns (镇/乡).
DISTRICT_WEIGHT = {
    "330203": 3.0,  # 海曙区
    "330205": 3.0,  # 江北区
    "330212": 3.0,  # 鄞州区
    "330211": 2.5,  # 镇海区
    "330206": 2.0,  # 北仑区
    "330213": 1.2,  # 奉化区
    "330281": 1.0,  # 余姚市
    "330282": 1.0,  # 慈溪市
    "330225": 0.8,  # 象山县
    "330226": 0.8,  # 宁海县
}
RURAL_DISTRICTS = ("330213", "330225", "330226", "330281", "330282")
# How each district runs its township stations (issue 11, from the city's reports): 鄞州, 奉化
# and 慈溪 commission agencies (as do the districts the reports do not describe: 北仑, 镇海,
# 宁海, 余姚); 海曙 adds social-work posts, staffed with the social-assistance staff; 象山
# recruits county-wide and deploys locally (县统招+属地统筹). 江北, 海曙 and 象山 count the
# station staff as full-time community workers.
DISTRICT_OPERATING_MODEL = {
    "330203": OperatingModel.DEDICATED_POSTS,  # 海曙区
    "330205": OperatingModel.COMMUNITY_WORKER_ESTABLISHMENT,  # 江北区
    "330225": OperatingModel.COUNTY_RECRUITMENT,  # 象山县
}
COMMUNITY_WORKER_DISTRICTS = ("330203", "330205", "330225")
OPERATING_NOTES = {
    OperatingModel.DEDICATED_POSTS: "增设社会工作岗位,与社会救助经办人员共同组成站点团队。",
    OperatingModel.COMMUNITY_WORKER_ESTABLISHMENT: "站点专职人员纳入专职社区工作者队伍管理。",
    OperatingModel.COUNTY_RECRUITMENT: "县统招+属地统筹:社工由县统一招聘,派驻乡镇(街道)属地管理。",
}
STANDARD_NAME = "宁波市乡镇(街道)社会工作站建设标准"
REQUIRED_ROOMS = [
    RoomKind.OFFICE.value,
    RoomKind.CASEWORK_ROOM.value,
    RoomKind.GROUP_ROOM.value,
    RoomKind.ARCHIVE_ROOM.value,
]
SUBSIDY_NAME = "市级社工站建设一次性补助"
# The share of the compliant stations of 2020 and 2021 that opened before one of their rooms
# was ready.
LATE_ROOM_SHARE = 0.15
SUBSIDY_AMOUNT = Decimal("50000.00")
# Who pays it (demo/funds.py gives the same bureau its other grants) and the number of the
# bureau's yearly notice granting it.
CITY_BUREAU = "宁波市民政局"
CITY_BUREAU_REGION = "330200000000"
SUBSIDY_DOCUMENTS = {2020: 31, 2021: 27, 2022: 35, 2023: 22, 2024: 18, 2025: 24, 2026: 20}
ROOM_NAMES = {
    RoomKind.OFFICE: "社工办公室",
    RoomKind.CASEWORK_ROOM: "个案室",
    RoomKind.GROUP_ROOM: "小组活动室",
    RoomKind.MULTIPURPOSE_ROOM: "多功能活动室",
    RoomKind.ARCHIVE_ROOM: "档案室",
}
ROOM_AREAS = {
    RoomKind.OFFICE: (20, 60),
    RoomKind.CASEWORK_ROOM: (10, 25),
    RoomKind.GROUP_ROOM: (30, 80),
    RoomKind.MULTIPURPOSE_ROOM: (60, 200),
    RoomKind.ARCHIVE_ROOM: (8, 20),
}
# The demo is a picture of the city at this date: contracts current, nothing in the future.
AS_OF = date(2025, 1, 1)

# --- people's names and phones (shared with the workforce step) -----------------------------

# Common surnames, the Ningbo ones (陈 王 张 李 周 徐 胡 林 应 俞 ...) weighted up.
SURNAMES = (
    "陈王张李周徐胡林吴朱孙杨叶金沈黄应俞毛邵蒋郑钱刘赵"
    "柴史竺袁舒董谢范何丁汪方余姚贺冯邬虞童鲍楼忻屠傅"
)
SURNAME_CUM_WEIGHTS = list(
    accumulate((9, 8, 6, 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3) + (2,) * 9 + (1,) * 24)
)
FEMALE_CHARS = (
    "丽静敏燕艳娟霞芳婷雪琳洁萍红玲慧颖倩佳怡蕾薇雯璐瑶莉晶琴云莹露悦欣梦涵茜楠丹佩蓉婧妍菲嘉虹"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰建国昊毅东海江亮"
COMMON_CHARS = "文晓春立志晨思雨一子安永天新亦诗宏小美海方秋玉"
ROADS = (
    "中山 人民 解放 建设 新华 文化 学府 环城 兴宁 江南 "
    "东风 光明 和平 民主 公园 育才 振兴 聚贤 长春 灵桥"
)


def person_name(rng: random.Random, female: bool) -> str:
    own = FEMALE_CHARS if female else MALE_CHARS
    surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM_WEIGHTS)[0]
    if rng.random() < 0.2:
        return surname + rng.choice(own)
    first = rng.choice(own + COMMON_CHARS)
    second = rng.choice(own)
    return surname + first + second


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('358')}{rng.randrange(10**9):09d}"


def street_address(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(ROADS.split())}路{rng.randint(1, 399)}号"


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- unified social credit codes (GB 32100-2015) ---------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714)."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code(first17: str) -> str:
    """Append the GB 32100 check character to the first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_CHARS[(31 - total % 31) % 31]


def social_org_credit_code(rng: random.Random, county_code: str) -> str:
    """A code for a 民办非企业单位 registered by civil affairs: "52", region, org code, check."""
    body = "MJ" + "".join(rng.choice("0123456789") for _ in range(6))
    return credit_code(f"52{county_code[:6]}{body}{org_code_check(body)}")


# --- the township plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class TownshipPlan:
    code: str
    name: str
    district: str  # 6-digit county prefix
    year: int
    opened_on: date
    missing_room: str | None = None
    has_sign: bool = True
    # 0: at least 3 full-time staff; 1-3: three ways of having fewer than 3 active ones.
    understaffed: int = 0

    @property
    def compliant(self) -> bool:
        return self.missing_room is None and self.has_sign and not self.understaffed


def plan_townships(townships: Sequence[tuple[str, str]]) -> dict[str, TownshipPlan]:
    """Opening year and date, and the planned shortfalls, of each (code, name) township.

    A weighted random order (Efraimidis–Spirakis keys) puts urban districts and streets first:
    the first 45 opened in 2020, the next 50 in 2021, the remaining 61 in 2022. Seven stations
    of 2022 in rural counties fall short of the construction standard.
    """
    rng = random.Random("demo-townships")
    keyed = []
    for code, name in sorted(townships):
        weight = DISTRICT_WEIGHT.get(code[:6], 1.0) * (1.5 if name.endswith("街道") else 1.0)
        keyed.append((rng.random() ** (1.0 / weight), code, name))
    keyed.sort(reverse=True)
    years: dict[str, int] = {}
    position = 0
    for year, count in OPENED_PER_YEAR.items():
        for _key, code, _name in keyed[position : position + count]:
            years[code] = year
        position += count
    if position != len(keyed):
        raise ValueError(f"{len(keyed)} townships, but the plan opens {position} stations")

    names = dict(townships)
    late_rural = [c for c in sorted(years) if years[c] == 2022 and c[:6] in RURAL_DISTRICTS]
    short = rng.sample(late_rural, 7)
    shortfalls: dict[str, dict[str, object]] = {
        short[0]: {"missing_room": RoomKind.CASEWORK_ROOM.value},
        short[1]: {"missing_room": RoomKind.ARCHIVE_ROOM.value},
        short[2]: {"has_sign": False},
        short[3]: {"has_sign": False},
        short[4]: {"understaffed": 1},
        short[5]: {"understaffed": 2},
        short[6]: {"understaffed": 3},
    }
    plans = {}
    for code in sorted(years):
        year = years[code]
        opened_on = random_day(rng, date(year, 3, 1), date(year, 12, 20))
        plans[code] = TownshipPlan(
            code=code,
            name=names[code],
            district=code[:6],
            year=year,
            opened_on=opened_on,
            **shortfalls.get(code, {}),  # type: ignore[arg-type]
        )
    return plans


def township_regions() -> list[Region]:
    return list(Region.objects.filter(level="township", is_development_zone=False).order_by("code"))


# --- the step -----------------------------------------------------------------------------------

AGENCY_WORD_TEXT = (
    "善行 德馨 和众 恒爱 同心 乐群 阳光 益家 仁泽 春晖 众益 惠民 博爱 明德 心桥 睿行 携手 "
    "启航 聚力 友邻 暖阳 甬爱 乐仁 汇善 知行 共享 微光 向日葵 彩虹 弘道 安馨 悦邻"
)
AGENCY_WORDS = AGENCY_WORD_TEXT.split()
HUB_DISTRICTS = ("330205", "330203", "330212", "330206", "330281", "330282")
# 北仑区's seven special demonstration stations and a few elsewhere (domain.md §1).
SPECIAL_STATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "330206004000",
        SpecialKind.ENTERPRISE,
        "大碶街道企业社会工作示范站",
        "服务辖区制造业企业职工及随迁家属,开展新市民融入与职工关爱服务。",
    ),
    (
        "330206003000",
        SpecialKind.ENTERPRISE,
        "小港街道企业社会工作示范站",
        "依托园区党群服务中心,为企业职工提供心理疏导和技能提升服务。",
    ),
    (
        "330206002000",
        SpecialKind.COMMUNITY_CORRECTION,
        "新碶街道社区矫正社会工作示范站",
        "协同司法所开展社区矫正对象教育帮扶。",
    ),
    (
        "330206005000",
        SpecialKind.COMMUNITY_CORRECTION,
        "霞浦街道社区矫正社会工作示范站",
        "为社区矫正对象及其家庭提供个案辅导与就业支持。",
    ),
    (
        "330206008000",
        SpecialKind.SCHOOL,
        "春晓街道学校社会工作示范站",
        "服务辖区中小学学生、家长和教师。",
    ),
    (
        "330206006000",
        SpecialKind.SCHOOL,
        "柴桥街道学校社会工作示范站",
        "开展青少年成长支持与校园欺凌预防服务。",
    ),
    (
        BEILUN,
        SpecialKind.MEDICAL,
        "北仑区人民医院医务社会工作示范站",
        "为住院患者及家属提供医务社会工作服务。",
    ),
    (
        DONGLIU,
        SpecialKind.SCHOOL,
        "东柳街道学校社会工作站",
        "服务辖区内8所学校(中小学、幼儿园)的学生、家长和教师。",
    ),
    (
        "330203000000",
        SpecialKind.MEDICAL,
        "海曙区医务社会工作站",
        "驻区属医院,提供就医陪伴、出院衔接和困难患者救助链接。",
    ),
    (
        "330212000000",
        SpecialKind.COMMUNITY_CORRECTION,
        "鄞州区社区矫正社会工作站",
        "承接区司法局社区矫正社会工作服务项目。",
    ),
    (
        "330282121000",
        SpecialKind.ENTERPRISE,
        "周巷镇企业社会工作站",
        "服务小家电产业企业职工和外来务工人员。",
    ),
    (
        "330211002000",
        SpecialKind.SCHOOL,
        "蛟川街道学校社会工作站",
        "服务辖区中小学,开展困境学生帮扶与家校沟通。",
    ),
)


def _short_district_name(region: Region) -> str:
    """ "宁波市江北区" for a district, "象山县" / "余姚市" for a county or county-level city."""
    return f"宁波市{region.name}" if region.name.endswith("区") else region.name


def build_stations(log: Callable[[str], None]) -> None:
    if Station.objects.filter(kind=StationKind.TOWNSHIP).exists():
        log(f"stations: already built ({Station.objects.count()} stations)")
        return
    rng = random.Random("demo-stations")
    counties = {r.code[:6]: r for r in Region.objects.filter(level="county").order_by("code")}
    townships = township_regions()
    plans = plan_townships([(r.code, r.name) for r in townships])

    # Service agencies: three per district, registered in the district.
    agencies: list[ServiceAgency] = []
    words = rng.sample(AGENCY_WORDS, 30)
    for index, county in enumerate(counties.values()):
        for word in words[3 * index : 3 * index + 3]:
            agencies.append(
                ServiceAgency(
                    name=f"{_short_district_name(county)}{word}社会工作服务中心",
                    credit_code=social_org_credit_code(rng, county.code),
                    region=county,
                    legal_representative=person_name(rng, rng.random() < 0.6),
                    contact_name=person_name(rng, rng.random() < 0.7),
                    contact_phone=phone_number(rng),
                    address=street_address(rng, f"宁波市{county.name}"),
                    founded_on=random_day(rng, date(2010, 1, 1), date(2019, 12, 31)),
                )
            )
    agencies = bulk_create_with_history(agencies, ServiceAgency, batch_size=BATCH)
    agencies_by_district: dict[str, list[ServiceAgency]] = {}
    for agency in agencies:
        agencies_by_district.setdefault(agency.region.code[:6], []).append(agency)

    def operated(station: Station, start: date, model: str | None = None) -> None:
        """Operating model (the district's, for a township station), and for a commissioned
        station its agency and current contract."""
        if model is None:
            model = DISTRICT_OPERATING_MODEL.get(
                station.region.code[:6], OperatingModel.COMMISSIONED_AGENCY
            )
        station.operating_model = model
        if model == OperatingModel.COMMISSIONED_AGENCY:
            station.agency = rng.choice(agencies_by_district[station.region.code[:6]])
            # Three-year contracts, renewed: the current one covers AS_OF.
            contract_start = start
            while add_years(contract_start, 3) <= AS_OF:
                contract_start = add_years(contract_start, 3)
            station.contract_start = contract_start
            station.contract_end = add_years(contract_start, 3) - timedelta(days=1)

    # Township stations.
    stations: list[Station] = []
    for region in townships:
        plan = plans[region.code]
        county = counties[plan.district]
        station = Station(
            name=f"{region.name}社会工作站",
            kind=StationKind.TOWNSHIP,
            region=region,
            address=street_address(rng, f"{county.name}{region.name}"),
            opened_on=plan.opened_on,
            status=StationStatus.OPERATING,
            contact_name=person_name(rng, rng.random() < 0.7),
            contact_phone=phone_number(rng),
            has_sign=plan.has_sign,
        )
        operated(station, plan.opened_on)
        notes = [OPERATING_NOTES.get(OperatingModel(station.operating_model), "")]
        if plan.missing_room:
            notes.append(f"{ROOM_NAMES[RoomKind(plan.missing_room)]}尚在改建,暂未启用。")
        elif not plan.has_sign:
            notes.append("站点标识牌待制作安装。")
        if region.code == CICHENG:
            notes.append(CICHENG_NOTE)
        station.note = "".join(notes)
        stations.append(station)

    # District hubs (江北区 first) and special stations.
    for index, prefix in enumerate(HUB_DISTRICTS):
        county = counties[prefix]
        opened_on = (
            date(2020, 9, 18)
            if index == 0
            else random_day(rng, date(2021, 3, 1), date(2022, 10, 31))
        )
        hub = Station(
            name=f"{county.name}社会工作总站",
            kind=StationKind.DISTRICT_HUB,
            region=county,
            address=street_address(rng, f"宁波市{county.name}"),
            opened_on=opened_on,
            status=StationStatus.OPERATING,
            contact_name=person_name(rng, rng.random() < 0.7),
            contact_phone=phone_number(rng),
            has_sign=True,
            note="统筹指导全区(县、市)乡镇(街道)社会工作站建设与运营。",
        )
        operated(hub, opened_on, OperatingModel.COMMISSIONED_AGENCY)
        stations.append(hub)
    special_regions = {
        r.code: r for r in Region.objects.filter(code__in=[s[0] for s in SPECIAL_STATIONS])
    }
    for code, special_kind, name, note in SPECIAL_STATIONS:
        region = special_regions[code]
        opened_on = random_day(rng, date(2021, 6, 1), date(2023, 9, 30))
        special = Station(
            name=name,
            kind=StationKind.SPECIAL,
            special_kind=special_kind,
            region=region,
            address=street_address(rng, f"宁波市{counties[code[:6]].name}"),
            opened_on=opened_on,
            status=StationStatus.OPERATING,
            contact_name=person_name(rng, rng.random() < 0.7),
            contact_phone=phone_number(rng),
            has_sign=True,
            note=note,
        )
        operated(special, opened_on, OperatingModel.COMMISSIONED_AGENCY)
        stations.append(special)
    for station in stations:
        if station.has_sign:  # the sign went up when the station opened (issue 18)
            station.sign_installed_on = station.opened_on
    stations = bulk_create_with_history(stations, Station, batch_size=BATCH)
    township_station = {s.region_id: s for s in stations if s.kind == StationKind.TOWNSHIP}

    # Outposts (社工室 / 社工联络站) in villages and communities: more around the older stations.
    villages: dict[int | None, list[Region]] = {}
    for village in Region.objects.filter(level="village").order_by("code"):
        villages.setdefault(village.parent_id, []).append(village)
    outposts: list[Station] = []
    per_year = {2020: (3, 6), 2021: (2, 4), 2022: (0, 3)}
    for region in townships:
        parent = township_station[region.id]
        plan = plans[region.code]
        candidates = [
            v for v in villages.get(region.id, []) if v.name.endswith(("村委会", "村", "社区"))
        ]
        count = min(len(candidates), rng.randint(*per_year[plan.year]))
        for village in sorted(rng.sample(candidates, count), key=lambda v: v.code):
            if village.name.endswith("社区"):
                name = f"{village.name}社工联络站"
            else:
                name = f"{village.name.removesuffix('委会')}社工室"
            opened_on = random_day(rng, plan.opened_on + timedelta(days=60), date(2024, 12, 20))
            outposts.append(
                Station(
                    name=name,
                    kind=StationKind.OUTPOST,
                    region=village,
                    parent_station=parent,
                    address=f"{region.name}{village.name.removesuffix('委会')}",
                    opened_on=opened_on,
                    status=StationStatus.OPERATING,
                    has_sign=rng.random() < 0.8,
                )
            )
    for outpost in outposts:
        if outpost.has_sign:
            outpost.sign_installed_on = outpost.opened_on
    outposts = bulk_create_with_history(outposts, Station, batch_size=BATCH)

    # Rooms: the four required ones (but for the planned gaps), often a multi-purpose room;
    # group and multi-purpose rooms are often shared with an integrated venue.
    # A few of the first stations opened before one of their rooms was ready: in use from a
    # later day, so that they fell short of the standard in their first months (issue 18).
    venues = list(SharedVenue)
    rooms: list[Room] = []
    for station in stations + outposts:
        late_room: tuple[RoomKind, date] | None = None
        if station.kind == StationKind.TOWNSHIP:
            plan = plans[station.region.code]
            kinds = [RoomKind(k) for k in REQUIRED_ROOMS if k != plan.missing_room]
            if rng.random() < 0.6:
                kinds.insert(3, RoomKind.MULTIPURPOSE_ROOM)
            if plan.year < 2022 and plan.compliant and rng.random() < LATE_ROOM_SHARE:
                assert station.opened_on is not None
                late_room = (
                    rng.choice((RoomKind.CASEWORK_ROOM, RoomKind.ARCHIVE_ROOM)),
                    station.opened_on + timedelta(days=rng.randint(90, 300)),
                )
        elif station.kind == StationKind.OUTPOST:
            kinds = [RoomKind.OFFICE]
        else:
            kinds = [RoomKind.OFFICE, RoomKind.CASEWORK_ROOM, RoomKind.GROUP_ROOM]
        for kind in kinds:
            low, high = ROOM_AREAS[kind]
            if station.kind == StationKind.OUTPOST:
                low, high = 12, 30
            shared = ""
            if kind in (RoomKind.GROUP_ROOM, RoomKind.MULTIPURPOSE_ROOM) and rng.random() < 0.4:
                shared = rng.choice(venues).value
            elif station.kind == StationKind.OUTPOST and rng.random() < 0.5:
                shared = SharedVenue.PARTY_SERVICE_CENTER.value
            rooms.append(
                Room(
                    station=station,
                    kind=kind,
                    name=ROOM_NAMES[kind],
                    area_m2=Decimal(rng.randint(low * 2, high * 2)) / 2,
                    shared_with=shared,
                    in_use_from=late_room[1] if late_room and late_room[0] == kind else None,
                )
            )
    bulk_create_with_history(rooms, Room, batch_size=BATCH)

    # Policy data: the construction standard and the city's one-time subsidy.
    standard = ConstructionStandard.objects.filter(name=STANDARD_NAME).first()
    if standard is None:
        bulk_create_with_history(
            [
                ConstructionStandard(
                    name=STANDARD_NAME,
                    valid_from=date(2020, 1, 1),
                    station_kinds=[StationKind.TOWNSHIP.value],
                    required_rooms=REQUIRED_ROOMS,
                    requires_sign=True,
                    min_fulltime_staff=3,
                    requires_portfolio=True,
                )
            ],
            ConstructionStandard,
        )
    policy = SubsidyPolicy.objects.filter(name=SUBSIDY_NAME).first()
    if policy is None:
        policy = bulk_create_with_history(
            [
                SubsidyPolicy(
                    name=SUBSIDY_NAME,
                    source=FundingSource.CITY,
                    amount=SUBSIDY_AMOUNT,
                    station_kinds=[StationKind.TOWNSHIP.value],
                    one_time=True,
                    valid_from=date(2020, 1, 1),
                )
            ],
            SubsidyPolicy,
        )[0]

    # One subsidy per built township station, a grant of the city's tier under the policy
    # (one ledger of money, issue 12), from the city's civil-affairs bureau: 2020-2021 all paid
    # (that year or the next); most of 2022 paid, the stations short of the standard and a few
    # others still payable.
    city = Region.objects.get(code=CITY_BUREAU_REGION)
    bureau = Funder.objects.filter(region=city, name=CITY_BUREAU).first()
    if bureau is None:
        bureau = bulk_create_with_history(
            [Funder(name=CITY_BUREAU, kind=FunderKind.CIVIL_AFFAIRS, tier=Tier.CITY, region=city)],
            Funder,
        )[0]
    subsidies: list[Grant] = []
    for station in stations:
        if station.kind != StationKind.TOWNSHIP:
            continue
        plan = plans[station.region.code]
        opened = plan.opened_on
        paid = plan.year < 2022 or (plan.compliant and rng.random() < 0.9)
        granted_on = min(opened + timedelta(days=rng.randint(5, 25)), date(plan.year, 12, 31))
        paid_on = None
        if paid:
            paid_on = random_day(rng, opened + timedelta(days=30), opened + timedelta(days=240))
            if plan.year == 2022:
                paid_on = max(paid_on, date(2023, 1, 10))
        subsidies.append(
            Grant(
                funder=bureau,
                tier=Tier.CITY,
                fund_type=FundType.FISCAL,
                policy=policy,
                station=station,
                region=station.region,
                amount=policy.amount,
                year=plan.year,
                document_number=f"甬民发〔{plan.year}〕{SUBSIDY_DOCUMENTS[plan.year]}号",
                granted_on=granted_on,
                purpose=SUBSIDY_NAME,
                paid_on=paid_on,
                note="" if paid else "待验收合格后拨付",
            )
        )
    bulk_create_with_history(subsidies, Grant, batch_size=BATCH)

    by_year = {y: sum(1 for p in plans.values() if p.year == y) for y in OPENED_PER_YEAR}
    built = {k: sum(1 for s in stations if s.kind == k) for k in StationKind.values}
    log(
        f"stations: {built['township']} township stations (opened "
        + "/".join(str(by_year[y]) for y in OPENED_PER_YEAR)
        + f" in {'/'.join(str(y) for y in OPENED_PER_YEAR)}), "
        f"{built['district_hub']} district hubs, {built['special']} special, "
        f"{len(outposts)} outposts, {len(agencies)} agencies, {len(rooms)} rooms, "
        f"{len(subsidies)} subsidies "
        f"({sum(1 for s in subsidies if s.paid_on)} paid), "
        f"{sum(1 for p in plans.values() if not p.compliant)} stations short of the standard"
    )
