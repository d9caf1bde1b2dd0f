"""Demo recipients (domain.md §3): about 30,000 people in need in the villages and communities of
every township station, tagged with vulnerable-group categories, some in households, children
with their guardians, all with consent recorded and their township's station as serving station.

Two places reproduce published figures exactly:

- 招宝山街道 (镇海区) 后大街社区: 143 people aged 80+ living alone (advanced_age +
  elderly_living_alone), 398 aged 80+ in empty nests (advanced_age + empty_nest_elderly), and 14
  families who lost their only child (bereaved_only_child: 14 households). The cases step picks
  the 48 elders of the 幸福来敲门 project among the 541.
- 周巷镇 (慈溪市): 35 children in difficulty (child_in_difficulty, some also
  de_facto_unsupported_child), each with a guardian; the cases step gives each a needs
  assessment, a personalised help plan and a case.

Everywhere else the generator draws a profile per person (elderly categories most common, then
low income, disability, children) in proportion to the county's census population:
:data:`RECIPIENTS_DRAWN` people, N times as many with ``demo --scale N`` (demo/scale.py; the two
exact places stay as they are). Identity
numbers are valid GB 11643-1999 numbers of the county (real birth dates, the sequence's parity
by sex), stored encrypted with a keyed lookup hash and a masked copy; phone numbers likewise.

:func:`plan_recipients` is pure (a seeded :class:`random.Random` over code-ordered villages), so
the tests can draw the plan again and compare it with the rows.
"""

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from swstation.demo.bulk import insert_with_history
from swstation.demo.history import demo_history
from swstation.demo.scale import check_scale, demo_scale
from swstation.demo.stations import (
    BATCH,
    ROADS,
    add_years,
    person_name,
    phone_number,
    random_day,
)
from swstation.recipients.crypto import encrypt, lookup_hash
from swstation.recipients.identifiers import (
    DocumentType,
    Sex,
    id_check_character,
    mask_id_number,
)
from swstation.recipients.models import (
    Category,
    CategoryPeriod,
    DisabilityType,
    Household,
    Recipient,
    RecipientStatus,
)
from swstation.regions.models import Population, Region
from swstation.stations.models import Station, StationKind

# People's ages are reckoned from this day (their birth dates and identity numbers are the same
# on every build); everything dated runs up to the day the demo is built (demo/history.py).
REFERENCE_DATE = date(2026, 10, 31)
# The share of a station's people registered in its first year (the villages' lists of people in
# need); the others are registered evenly over the years since.
FIRST_YEAR_REGISTERED = 0.35
# Who leaves service over the years, by profile: (chance, reasons with their weights).
EXITS: dict[str, tuple[float, tuple[tuple[str, int], ...]]] = {
    "old": (0.2, (("deceased", 80), ("moved_away", 12), ("declined", 8))),
    "elderly": (0.07, (("deceased", 50), ("moved_away", 30), ("declined", 20))),
    "low income": (0.16, (("ineligible", 75), ("moved_away", 20), ("declined", 5))),
    "disabled": (0.07, (("deceased", 35), ("moved_away", 40), ("declined", 25))),
    "children": (0.1, (("ineligible", 60), ("moved_away", 40))),
    "other": (0.15, (("moved_away", 60), ("declined", 25), ("ineligible", 15))),
}
EXIT_GROUP = {
    **dict.fromkeys(("old_alone", "old_empty_nest", "old"), "old"),
    **dict.fromkeys(("living_alone", "empty_nest", "elderly_alone", "bereaved"), "elderly"),
    **dict.fromkeys(
        ("subsistence", "marginal", "extreme_poverty", "difficult_family"), "low income"
    ),
    "disabled": "disabled",
    **dict.fromkeys(("child_in_difficulty", "left_behind"), "children"),
    **dict.fromkeys(("migrant", "at_risk_youth", "other"), "other"),
}
# The status an exit leaves a record in (recipients.models.EXIT_STATUS).
EXIT_STATUS = {
    "deceased": RecipientStatus.DECEASED.value,
    "moved_away": RecipientStatus.MOVED.value,
    "ineligible": RecipientStatus.INACTIVE.value,
    "declined": RecipientStatus.INACTIVE.value,
}
# Of the people on 低保 or 低边 for more than a year, the share who held the other one first.
CATEGORY_SWITCH_SHARE = 0.2
# People drawn city-wide besides the two exact places below (with the spouses registered beside
# some of them and the two places, about 30,000 recipients in all), at scale 1: ``demo --scale N``
# draws N times as many.
RECIPIENTS_DRAWN = 28_400
# Recipients written per bulk insert (and held as model instances at once).
RECIPIENT_CHUNK = 20_000

ZHAOBAOSHAN = "330211001000"  # 招宝山街道, 镇海区
HOUDAJIE_NAME = "后大街社区"
ZHOUXIANG = "330282121000"  # 周巷镇, 慈溪市
HOUDAJIE_LIVING_ALONE = 143
HOUDAJIE_EMPTY_NEST = 398
HOUDAJIE_EMPTY_NEST_COUPLES = 120  # both spouses registered: 240 of the 398
HOUDAJIE_BEREAVED_FAMILIES = 14
HOUDAJIE_BEREAVED_COUPLES = 10  # 10 couples and 4 widowed parents: 24 people
HOUDAJIE_OTHERS = 24  # a few low-income and disabled residents besides the elders
ZHOUXIANG_CHILDREN = 35
ZHOUXIANG_UNSUPPORTED = 11  # of the 35, also de facto unsupported (事实无人抚养)

# code: (name, group, order), as recipients/migrations/0002_seed_categories.py seeds them; the
# demo only adds the ones that are missing (so that it also runs before that migration exists).
CATEGORIES: dict[str, tuple[str, str, int]] = {
    "difficult_family": ("困难家庭", "family", 10),
    "extreme_poverty": ("特困", "family", 20),
    "subsistence_allowance": ("低保", "family", 30),
    "marginal_subsistence": ("低边", "family", 40),
    "bereaved_only_child": ("失独家庭", "family", 50),
    "elderly_alone": ("孤寡老人", "elderly", 60),
    "elderly_living_alone": ("独居老人", "elderly", 70),
    "empty_nest_elderly": ("空巢老人", "elderly", 80),
    "advanced_age": ("高龄老人", "elderly", 90),
    "child_in_difficulty": ("困境儿童", "child", 100),
    "de_facto_unsupported_child": ("事实无人抚养儿童", "child", 110),
    "left_behind_child": ("留守儿童", "child", 120),
    "at_risk_youth": ("问题青少年", "child", 130),
    "disabled": ("残疾人", "disability", 140),
    "migrant": ("流动人口", "other", 150),
    "other": ("其他", "other", 160),
}
# How the demo reports its mix (by a person's first category): elders (with 失独 parents), low
# income, disability, children, others.
MIX = {
    "elderly": (
        "elderly_alone",
        "elderly_living_alone",
        "empty_nest_elderly",
        "advanced_age",
        "bereaved_only_child",
    ),
    "low income": (
        "difficult_family",
        "extreme_poverty",
        "subsistence_allowance",
        "marginal_subsistence",
    ),
    "disabled": ("disabled",),
    "children": ("child_in_difficulty", "de_facto_unsupported_child", "left_behind_child"),
    "other": ("migrant", "at_risk_youth", "other"),
}
MIX_OF = {code: group for group, codes in MIX.items() for code in codes}


@dataclass(frozen=True)
class Profile:
    key: str
    weight: float
    ages: tuple[int, int]
    female_share: float


# Who is registered, by weight: elderly categories most common, then low income, disability,
# children, others (about 46 / 23 / 12 / 6 / 6 %).
PROFILES: tuple[Profile, ...] = (
    Profile("old_alone", 8, (80, 99), 0.68),
    Profile("old_empty_nest", 10, (80, 97), 0.55),
    Profile("old", 6, (80, 101), 0.6),
    Profile("living_alone", 8, (65, 79), 0.62),
    Profile("empty_nest", 10, (60, 79), 0.52),
    Profile("elderly_alone", 3, (65, 95), 0.5),
    Profile("bereaved", 1.5, (55, 79), 0.55),
    Profile("subsistence", 9, (22, 75), 0.5),
    Profile("marginal", 5, (22, 75), 0.5),
    Profile("extreme_poverty", 3, (40, 90), 0.4),
    Profile("difficult_family", 6, (25, 65), 0.5),
    Profile("disabled", 12, (8, 85), 0.42),
    Profile("child_in_difficulty", 3, (2, 16), 0.48),
    Profile("left_behind", 3, (3, 15), 0.48),
    Profile("migrant", 3, (20, 55), 0.45),
    Profile("at_risk_youth", 1.5, (14, 24), 0.3),
    Profile("other", 1.5, (18, 80), 0.5),
)
PROFILE_KEYS = tuple(p.key for p in PROFILES)
ELDER_PROFILES = frozenset(PROFILE_KEYS[:7])
SWITCHED = {
    "subsistence_allowance": "marginal_subsistence",
    "marginal_subsistence": "subsistence_allowance",
}

DISEASES = (
    "高血压",
    "糖尿病",
    "冠心病",
    "慢性支气管炎",
    "骨质疏松",
    "白内障",
    "关节炎",
    "脑梗后遗症",
    "轻度认知障碍",
    "慢性胃炎",
)
CHILD_SITUATIONS = (
    "父母外出务工,随祖辈生活",
    "父亲服刑,母亲离家失联",
    "父母离异后均未履行抚养义务",
    "父亲因病去世,母亲患重病",
    "母亲重度残疾,家庭经济困难",
    "父母均在外地务工,由亲属照料",
    "患先天性心脏病,家庭医疗负担重",
    "父母双方重残,无力抚养",
)
UNSUPPORTED_SITUATIONS = (
    "父亲去世,母亲失联满两年",
    "父母均服刑,由祖母照料",
    "父亲重度残疾,母亲失联",
    "父母均失联,由外祖父母照料",
)


@dataclass(frozen=True)
class Village:
    """A village or community of a township with a station (the inputs of the plan)."""

    code: str
    name: str
    township_code: str
    township_name: str
    station_opened_on: date


@dataclass
class PlannedHousehold:
    key: int
    village_code: str
    address: str
    head_name: str
    size: int
    note: str = ""


@dataclass
class PlannedRecipient:
    village_code: str
    name: str
    sex: str
    birth_date: date
    categories: tuple[str, ...]
    id_number: str = ""
    phone: str = ""
    address: str = ""
    household: int | None = None
    relation_to_head: str = ""
    disability_type: str = ""
    disability_grade: int | None = None
    health_notes: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    consent_on: date | None = None
    status: str = RecipientStatus.ACTIVE.value
    registered_on: date = REFERENCE_DATE
    exited_on: date | None = None
    exit_reason: str = ""
    # (category, valid from, valid to): the categories held over the years, ``categories``
    # being those held today.
    category_periods: list[tuple[str, date, date | None]] = field(default_factory=list)
    document_type: str = DocumentType.RESIDENT_ID.value
    no_document_reason: str = ""
    note: str = ""


@dataclass
class Plan:
    households: list[PlannedHousehold] = field(default_factory=list)
    recipients: list[PlannedRecipient] = field(default_factory=list)
    drawn: int = 0  # profiles drawn city-wide (the spouses registered beside some come on top)


def mask_phone(phone: str) -> str:
    """138****5678: the middle four digits masked (spec/identifiers.md)."""
    return f"{phone[:3]}****{phone[7:]}" if len(phone) == 11 else "*" * len(phone)


def _weighted_shares(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each at least
    ``minimum``."""
    free = total - minimum * len(weights)
    whole = sum(weights)
    exact = [free * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for index in order[: free - sum(shares)]:
        shares[index] += 1
    return [s + minimum for s in shares]


class _Identities:
    """Valid, unique 18-digit identity numbers: county code, birth date, a sequence whose last
    digit is odd for men and even for women, and the GB 11643-1999 check character.

    A number already given is drawn again, so numbers never repeat however many people are
    planned; each county, birth date and sex has 500 sequences (at scale 10 the fullest has 8
    taken), and running out of them is an error rather than an endless loop."""

    SEQUENCES = 500  # per county, birth date and sex

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.taken: Counter[tuple[str, date, str]] = Counter()

    def number(self, county: str, birth: date, sex: str) -> str:
        slot = (county, birth, sex)
        if self.taken[slot] >= self.SEQUENCES:
            raise ValueError(f"No identity number left for {county} {birth} {sex}")
        self.taken[slot] += 1
        while True:
            sequence = self.rng.randrange(100) * 10 + self.rng.randrange(5) * 2
            if sex == Sex.MALE:
                sequence += 1
            first17 = f"{county}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_character(first17)
            if number not in self.used:
                self.used.add(number)
                return number


class _Planner:
    def __init__(self, rng: random.Random, end: date) -> None:
        self.rng = rng
        self.end = end
        self.plan = Plan()
        self.ids = _Identities(rng)

    # -- small draws -------------------------------------------------------------------------

    def birth(self, low: int, high: int) -> date:
        """A birth date of someone aged ``low``..``high`` on the reference date."""
        age = self.rng.randint(low, high)
        earliest = add_years(REFERENCE_DATE, -age - 1)
        return random_day(
            self.rng, date.fromordinal(earliest.toordinal() + 1), add_years(REFERENCE_DATE, -age)
        )

    def address(self, village: Village) -> str:
        place = village.name.removesuffix("委会").removesuffix("居委会")
        if village.code[9] == "0":  # a community (社区 / 居委会): a flat
            road = self.rng.choice(ROADS.split())
            return (
                f"{village.township_name}{place}{road}路{self.rng.randint(1, 199)}弄"
                f"{self.rng.randint(1, 30)}号{self.rng.randint(1, 6)}0{self.rng.randint(1, 4)}室"
            )
        return f"{village.township_name}{place}{self.rng.randint(1, 400)}号"

    def registration(self, village: Village, earliest: date, before_end: int = 7) -> date:
        """The day a person of ``village`` was registered: after the station opened (and
        ``earliest``), :data:`FIRST_YEAR_REGISTERED` of them in its first year, the others
        evenly since, up to ``before_end`` days before the end. One draw, whatever the end, so
        that the same people are drawn on any day."""
        share = self.rng.random()
        start = max(village.station_opened_on + timedelta(days=7), earliest)
        last = self.end - timedelta(days=before_end)
        if start >= last:
            return last
        first_year_end = min(start + timedelta(days=365), last)
        if share < FIRST_YEAR_REGISTERED:
            span = (first_year_end - start).days
            return start + timedelta(days=int(share / FIRST_YEAR_REGISTERED * span))
        span = (last - first_year_end).days
        rest = (share - FIRST_YEAR_REGISTERED) / (1 - FIRST_YEAR_REGISTERED)
        return first_year_end + timedelta(days=int(rest * span))

    def exit(self, person: PlannedRecipient, group: str) -> None:
        """Perhaps an exit of ``person`` (``group`` of :data:`EXITS`), between a month after the
        registration and the day before the end. Three draws whatever happens."""
        chance, reasons = EXITS[group]
        leaves, share = self.rng.random() < chance, self.rng.random()
        reason = self.rng.choices([r for r, _w in reasons], [w for _r, w in reasons])[0]
        first = person.registered_on + timedelta(days=30)
        last = self.end - timedelta(days=1)
        if not leaves or first > last:
            return
        person.exited_on = first + timedelta(days=int(share * (last - first).days))
        person.exit_reason = reason
        person.status = EXIT_STATUS[reason]

    def household(
        self, village: Village, address: str, head: str, size: int, note: str = ""
    ) -> int:
        key = len(self.plan.households)
        self.plan.households.append(PlannedHousehold(key, village.code, address, head, size, note))
        return key

    def person(
        self,
        village: Village,
        categories: Sequence[str],
        ages: tuple[int, int],
        *,
        female: bool,
        address: str | None = None,
        phone_share: float = 0.9,
        registered_with: PlannedRecipient | None = None,
        before_end: int = 7,
    ) -> PlannedRecipient:
        """A person of ``village``, registered on a day of their own or on the day of the
        person they are registered with (a spouse)."""
        sex = Sex.FEMALE.value if female else Sex.MALE.value
        birth = self.birth(*ages)
        # Registered as a person in need at the earliest at birth (a child) and, for those
        # registered only for their great age, at 80.
        earliest = birth + timedelta(days=180)
        if tuple(categories) == ("advanced_age",):
            earliest = add_years(birth, 80)
        registered_on = self.registration(village, earliest, before_end)
        if registered_with is not None:
            registered_on = registered_with.registered_on
        person = PlannedRecipient(
            village_code=village.code,
            name=person_name(self.rng, female),
            sex=sex,
            birth_date=birth,
            categories=tuple(categories),
            address=address or self.address(village),
            consent_on=registered_on,
            registered_on=registered_on,
        )
        person.id_number = self.ids.number(village.code[:6], birth, sex)
        if self.rng.random() < phone_share:
            person.phone = phone_number(self.rng)
        self.plan.recipients.append(person)
        return person

    def elder_details(self, person: PlannedRecipient, *, contact: bool = True) -> None:
        if self.rng.random() < 0.6:
            person.health_notes = "、".join(self.rng.sample(DISEASES, self.rng.randint(1, 2)))
        if contact:
            person.emergency_contact_name = person_name(self.rng, self.rng.random() < 0.5)
            person.emergency_contact_phone = phone_number(self.rng)

    def guardian(self, child: PlannedRecipient, relations: Sequence[str]) -> None:
        relation = self.rng.choice(relations)
        female = relation in ("祖母", "外祖母", "母亲", "姑姑", "姨妈")
        child.guardian_name = person_name(self.rng, female)
        child.guardian_relation = relation
        child.guardian_phone = phone_number(self.rng)
        child.phone = ""

    # -- one person of a profile ---------------------------------------------------------------

    def draw(self, village: Village, profile: Profile) -> None:
        rng = self.rng
        female = rng.random() < profile.female_share
        key = profile.key
        if key in ("old_alone", "old_empty_nest", "old"):
            categories = ["advanced_age"]
            if key == "old_alone":
                categories.append("elderly_living_alone")
            elif key == "old_empty_nest":
                categories.append("empty_nest_elderly")
            if rng.random() < 0.08:
                categories.append("subsistence_allowance")
            person = self.person(village, categories, profile.ages, female=female, phone_share=0.5)
            self.elder_details(person, contact=key != "old" or rng.random() < 0.7)
            if key != "old":
                person.household = self.household(
                    village, person.address, person.name, 1 + (key == "old_empty_nest")
                )
                person.relation_to_head = "户主"
        elif key in ("living_alone", "empty_nest", "elderly_alone"):
            categories = {
                "living_alone": ["elderly_living_alone"],
                "empty_nest": ["empty_nest_elderly"],
                "elderly_alone": ["elderly_alone"],
            }[key]
            if key == "elderly_alone" and rng.random() < 0.6:
                categories.append("extreme_poverty")
            elif rng.random() < 0.06:
                categories.append("subsistence_allowance")
            person = self.person(village, categories, profile.ages, female=female, phone_share=0.7)
            self.elder_details(person, contact=key != "elderly_alone")
            if key == "empty_nest" and rng.random() < 0.35:
                # Both spouses registered in one household.
                person.household = self.household(village, person.address, person.name, 2)
                person.relation_to_head = "户主"
                spouse = self.person(
                    village,
                    categories,
                    profile.ages,
                    female=not female,
                    address=person.address,
                    phone_share=0.5,
                    registered_with=person,
                )
                self.elder_details(spouse, contact=False)
                spouse.emergency_contact_name = person.emergency_contact_name
                spouse.emergency_contact_phone = person.emergency_contact_phone
                spouse.household = person.household
                spouse.relation_to_head = "配偶"
        elif key == "bereaved":
            person = self.person(village, ["bereaved_only_child"], profile.ages, female=female)
            self.elder_details(person, contact=False)
            person.household = self.household(
                village, person.address, person.name, 2, "失独家庭,计生特别扶助对象"
            )
            person.relation_to_head = "户主"
        elif key in ("subsistence", "marginal", "difficult_family", "extreme_poverty"):
            categories = {
                "subsistence": ["subsistence_allowance"],
                "marginal": ["marginal_subsistence"],
                "difficult_family": ["difficult_family"],
                "extreme_poverty": ["extreme_poverty"],
            }[key]
            if key in ("subsistence", "marginal") and rng.random() < 0.3:
                categories.insert(0, "difficult_family")
            person = self.person(village, categories, profile.ages, female=female)
            if key != "extreme_poverty":
                size = rng.choices((1, 2, 3, 4, 5), (10, 25, 30, 25, 10))[0]
                person.household = self.household(village, person.address, person.name, size)
                person.relation_to_head = "户主"
            if rng.random() < 0.25:
                person.health_notes = rng.choice(DISEASES)
        elif key == "disabled":
            categories = ["disabled"]
            if rng.random() < 0.3:
                categories.append("subsistence_allowance")
            minor = rng.random() < 0.08
            ages = (8, 17) if minor else (18, 85)
            person = self.person(village, categories, ages, female=female)
            person.disability_type = rng.choices(
                list(DisabilityType.values), (10, 12, 4, 40, 14, 14, 6)
            )[0]
            person.disability_grade = rng.choices((1, 2, 3, 4), (15, 30, 30, 25))[0]
            if minor:
                self.guardian(person, ("母亲", "父亲"))
                person.household = self.household(
                    village, person.address, person.guardian_name, rng.randint(3, 5)
                )
                person.relation_to_head = "子女"
        elif key in ("child_in_difficulty", "left_behind"):
            categories = (
                ["child_in_difficulty"] if key == "child_in_difficulty" else ["left_behind_child"]
            )
            person = self.person(village, categories, profile.ages, female=female)
            if key == "left_behind":
                self.guardian(person, ("祖母", "祖父", "外祖母", "外祖父"))
                person.note = "父母均在外地务工"
            else:
                self.guardian(person, ("祖母", "祖父", "母亲", "父亲", "姑姑", "叔叔"))
                person.note = rng.choice(CHILD_SITUATIONS)
            person.household = self.household(
                village, person.address, person.guardian_name, rng.randint(2, 5)
            )
            person.relation_to_head = (
                "孙子女" if person.guardian_relation.endswith(("祖父", "祖母")) else "子女"
            )
        elif key == "migrant":
            person = self.person(village, ["migrant"], profile.ages, female=female)
            if rng.random() < 0.04:
                person.document_type = DocumentType.NONE.value
                person.no_document_reason = "身份证遗失,正在户籍地补办"
                person.id_number = ""
        elif key == "at_risk_youth":
            person = self.person(village, ["at_risk_youth"], profile.ages, female=female)
            if person.birth_date > add_years(REFERENCE_DATE, -18):
                self.guardian(person, ("母亲", "父亲"))
        else:
            person = self.person(village, ["other"], profile.ages, female=female)
        # Not everyone registered is still being served.
        self.exit(person, EXIT_GROUP[key])
        if key in ("subsistence", "marginal"):
            self.switched_category(person)

    def switched_category(self, person: PlannedRecipient) -> None:
        """Perhaps a person on 低保 who was on 低边 first, or the other way round: the earlier
        category held from the registration to the day before the switch. Two draws."""
        switches, share = self.rng.random() < CATEGORY_SWITCH_SHARE, self.rng.random()
        until = person.exited_on or self.end
        if not switches or (until - person.registered_on).days < 400:
            return
        now = next(c for c in person.categories if c in SWITCHED)
        switched_on = person.registered_on + timedelta(
            days=180 + int(share * ((until - person.registered_on).days - 200))
        )
        person.category_periods.append(
            (SWITCHED[now], person.registered_on, switched_on - timedelta(days=1))
        )
        person.category_periods.append((now, switched_on, None))


def _houdajie(planner: _Planner, village: Village) -> None:
    """后大街社区: 143 + 398 elders over 80, 14 bereaved families, a few others."""
    rng = planner.rng
    for _ in range(HOUDAJIE_LIVING_ALONE):
        person = planner.person(
            village,
            ("advanced_age", "elderly_living_alone"),
            (80, 98),
            female=rng.random() < 0.7,
            phone_share=0.55,
        )
        planner.elder_details(person)
        person.household = planner.household(village, person.address, person.name, 1)
        person.relation_to_head = "户主"
    singles = HOUDAJIE_EMPTY_NEST - 2 * HOUDAJIE_EMPTY_NEST_COUPLES
    for index in range(HOUDAJIE_EMPTY_NEST_COUPLES + singles):
        female = rng.random() < 0.5
        person = planner.person(
            village,
            ("advanced_age", "empty_nest_elderly"),
            (80, 95),
            female=female,
            phone_share=0.6,
        )
        planner.elder_details(person)
        person.household = planner.household(village, person.address, person.name, 2)
        person.relation_to_head = "户主"
        if index < HOUDAJIE_EMPTY_NEST_COUPLES:
            spouse = planner.person(
                village,
                ("advanced_age", "empty_nest_elderly"),
                (80, 95),
                female=not female,
                address=person.address,
                phone_share=0.4,
                registered_with=person,
            )
            planner.elder_details(spouse, contact=False)
            spouse.emergency_contact_name = person.emergency_contact_name
            spouse.emergency_contact_phone = person.emergency_contact_phone
            spouse.household = person.household
            spouse.relation_to_head = "配偶"
    for index in range(HOUDAJIE_BEREAVED_FAMILIES):
        couple = index < HOUDAJIE_BEREAVED_COUPLES
        female = rng.random() < 0.5
        person = planner.person(village, ("bereaved_only_child",), (58, 78), female=female)
        planner.elder_details(person, contact=False)
        person.household = planner.household(
            village, person.address, person.name, 2 if couple else 1, "失独家庭,计生特别扶助对象"
        )
        person.relation_to_head = "户主"
        if couple:
            spouse = planner.person(
                village,
                ("bereaved_only_child",),
                (58, 78),
                female=not female,
                address=person.address,
                registered_with=person,
            )
            planner.elder_details(spouse, contact=False)
            spouse.household = person.household
            spouse.relation_to_head = "配偶"
    others = [p for p in PROFILES if p.key in ("subsistence", "marginal", "disabled", "migrant")]
    for _ in range(HOUDAJIE_OTHERS):
        planner.draw(village, rng.choice(others))


def _zhouxiang_children(planner: _Planner, villages: Sequence[Village]) -> None:
    """周巷镇's 35 children in difficulty, some de facto unsupported, each with a guardian."""
    rng = planner.rng
    chosen = [rng.choice(villages) for _ in range(ZHOUXIANG_CHILDREN)]
    chosen.sort(key=lambda v: v.code)
    unsupported = set(rng.sample(range(ZHOUXIANG_CHILDREN), ZHOUXIANG_UNSUPPORTED))
    for index, village in enumerate(chosen):
        categories: tuple[str, ...] = ("child_in_difficulty",)
        if index in unsupported:
            categories += ("de_facto_unsupported_child",)
        # Registered at least half a year ago: each has had a case and a help plan since.
        person = planner.person(
            village, categories, (3, 14), female=rng.random() < 0.48, before_end=183
        )
        if index in unsupported:
            planner.guardian(person, ("祖母", "祖父", "外祖母", "外祖父", "叔叔", "姑姑"))
            person.note = rng.choice(UNSUPPORTED_SITUATIONS)
        else:
            planner.guardian(person, ("母亲", "父亲", "祖母", "祖父"))
            person.note = rng.choice(CHILD_SITUATIONS)
        person.household = planner.household(
            village, person.address, person.guardian_name, rng.randint(2, 5)
        )
        if person.guardian_relation.endswith(("祖父", "祖母")):
            person.relation_to_head = "孙子女"
        elif person.guardian_relation in ("叔叔", "姑姑"):
            person.relation_to_head = "亲属"
        else:
            person.relation_to_head = "子女"


def plan_recipients(
    villages: Sequence[Village],
    county_population: dict[str, int],
    scale: int = 1,
    *,
    end: date = REFERENCE_DATE,
) -> Plan:
    """Everyone the demo registers up to ``end`` (the build day), in a fixed order, from the
    villages of the township stations and each county's population (pure: the same inputs give
    the same plan; another ``end`` gives the same people with other dates). ``scale``
    multiplies the people drawn city-wide (:data:`RECIPIENTS_DRAWN`), not the two exact
    places, whose people all are in service at the end."""
    rng = random.Random("demo-recipients")
    planner = _Planner(rng, end)
    villages = sorted(villages, key=lambda v: v.code)
    houdajie = next(
        v for v in villages if v.township_code == ZHAOBAOSHAN and v.name == HOUDAJIE_NAME
    )
    zhouxiang = [v for v in villages if v.township_code == ZHOUXIANG]

    by_county: dict[str, list[Village]] = {}
    for village in villages:
        if village is not houdajie:
            by_county.setdefault(village.code[:6], []).append(village)
    counties = sorted(by_county)
    quotas = _weighted_shares(
        RECIPIENTS_DRAWN * check_scale(scale), [county_population[c] for c in counties]
    )
    weights = [p.weight for p in PROFILES]
    no_children = [0.0 if p.key == "child_in_difficulty" else p.weight for p in PROFILES]
    for county, quota in zip(counties, quotas, strict=True):
        members = by_county[county]
        village_weights = [
            (1.5 if v.code[9] == "0" else 1.0) * rng.uniform(0.5, 1.5) for v in members
        ]
        for village, count in zip(
            members, _weighted_shares(quota, village_weights, minimum=2), strict=True
        ):
            rural = village.code[9] != "0"
            local = list(no_children if village.township_code == ZHOUXIANG else weights)
            if rural:
                local[PROFILE_KEYS.index("left_behind")] *= 2
                local[PROFILE_KEYS.index("migrant")] *= 0.5
            else:
                local[PROFILE_KEYS.index("migrant")] *= 1.5
            cumulative = list(accumulate(local))
            for _ in range(count):
                planner.draw(village, rng.choices(PROFILES, cum_weights=cumulative)[0])
            planner.plan.drawn += count
    _houdajie(planner, houdajie)
    _zhouxiang_children(planner, zhouxiang)
    return planner.plan


def demo_villages() -> list[Village]:
    """The villages and communities of every township with a township station."""
    stations = {
        s.region_id: s
        for s in Station.objects.filter(kind=StationKind.TOWNSHIP).select_related("region")
    }
    villages = []
    for village in (
        Region.objects.filter(level="village", parent_id__in=stations)
        .select_related("parent")
        .order_by("code")
    ):
        assert village.parent is not None
        station = stations[village.parent.id]
        assert station.opened_on is not None
        villages.append(
            Village(
                code=village.code,
                name=village.name,
                township_code=village.parent.code,
                township_name=village.parent.name,
                station_opened_on=station.opened_on,
            )
        )
    return villages


def county_populations() -> dict[str, int]:
    return {
        p.region.code[:6]: p.population
        for p in Population.objects.filter(year=2020, region__level="county").select_related(
            "region"
        )
    }


def ensure_categories() -> dict[str, Category]:
    existing = {c.code: c for c in Category.objects.all()}
    missing = [
        Category(code=code, name=name, group=group, order=order)
        for code, (name, group, order) in CATEGORIES.items()
        if code not in existing
    ]
    for category in Category.objects.bulk_create(missing):
        existing[category.code] = category
    if any(c.pk is None for c in existing.values()):  # backends that return no ids
        existing = {c.code: c for c in Category.objects.all()}
    return existing


HOUSEHOLD_COLUMNS = ("region_id", "address", "head_name", "size", "note")
RECIPIENT_COLUMNS = (
    "name",
    "sex",
    "birth_date",
    "document_type",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "id_number_shared",
    "no_document_reason",
    "phone_encrypted",
    "phone_hash",
    "phone_masked",
    "region_id",
    "address",
    "household_id",
    "relation_to_head",
    "station_id",
    "disability_type",
    "disability_grade",
    "health_notes",
    "guardian_name",
    "guardian_relation",
    "guardian_phone_encrypted",
    "guardian_phone_hash",
    "guardian_phone_masked",
    "emergency_contact_name",
    "emergency_contact_phone_encrypted",
    "emergency_contact_phone_hash",
    "emergency_contact_phone_masked",
    "consent_given",
    "consent_on",
    "status",
    "registered_on",
    "exited_on",
    "exit_reason",
    "merged_into_id",
    "note",
)


def build_recipients(log: Callable[[str], None]) -> None:
    categories = ensure_categories()
    scale = demo_scale()
    if Recipient.objects.exists():
        hint = "; --scale applies to an empty database: add --flush" if scale != 1 else ""
        log(f"recipients: already built ({Recipient.objects.count()} recipients{hint})")
        return
    villages = demo_villages()
    end = demo_history().end
    plan = plan_recipients(villages, county_populations(), scale, end=end)
    village_rows = list(
        Region.objects.filter(level="village").values_list("code", "id", "parent_id")
    )
    region_ids = {code: pk for code, pk, _parent in village_rows}
    station_of_township = dict(
        Station.objects.filter(kind=StationKind.TOWNSHIP).values_list("region_id", "id")
    )
    station_ids = {
        code: station_of_township[parent]
        for code, _pk, parent in village_rows
        if parent in station_of_township
    }

    # In chunks, so that a large scale never holds every row at once; one "+" history row each,
    # dated on the day the person was registered (a household: its first member's).
    now = timezone.now()
    household_ids: list[int] = []
    formed: dict[int, date] = {}
    for planned in plan.recipients:
        if planned.household is not None:
            formed.setdefault(planned.household, planned.registered_on)
    for start in range(0, len(plan.households), RECIPIENT_CHUNK):
        households = plan.households[start : start + RECIPIENT_CHUNK]
        household_ids += insert_with_history(
            Household,
            HOUSEHOLD_COLUMNS,
            [
                (region_ids[h.village_code], h.address, h.head_name, h.size, h.note)
                for h in households
            ],
            [registered_at(formed.get(h.key), now) for h in households],
        )
    through = Recipient.categories.through
    periods = 0
    for start in range(0, len(plan.recipients), RECIPIENT_CHUNK):
        chunk = plan.recipients[start : start + RECIPIENT_CHUNK]
        recipient_ids = insert_with_history(
            Recipient,
            RECIPIENT_COLUMNS,
            [
                _recipient_values(
                    planned,
                    region_ids[planned.village_code],
                    station_ids[planned.village_code],
                    household_ids[planned.household] if planned.household is not None else None,
                )
                for planned in chunk
            ],
            [registered_at(p.registered_on, now) for p in chunk],
        )
        period_rows = [
            (recipient_id, categories[code].pk, valid_from, valid_to)
            for recipient_id, planned in zip(recipient_ids, chunk, strict=True)
            for code, valid_from, valid_to in category_periods(planned)
        ]
        insert_with_history(
            CategoryPeriod,
            PERIOD_COLUMNS,
            period_rows,
            [registered_at(row[2], now) for row in period_rows],
        )
        periods += len(period_rows)
        through.objects.bulk_create(
            [
                through(recipient_id=recipient_id, category_id=categories[code].pk)
                for recipient_id, planned in zip(recipient_ids, chunk, strict=True)
                for code in planned.categories
            ],
            batch_size=5 * BATCH,
        )
    mix = Counter(MIX_OF[p.categories[0]] for p in plan.recipients)
    exits = Counter(p.exit_reason for p in plan.recipients if p.exited_on)
    log(
        f"recipients: {len(plan.recipients)} recipients registered since "
        f"{min(p.registered_on for p in plan.recipients).isoformat()} "
        f"({sum(exits.values())} left service: "
        + ", ".join(f"{reason} {exits[reason]}" for reason in sorted(exits))
        + f"; {periods} category periods) in "
        f"{len({p.village_code for p in plan.recipients})} villages and communities, "
        f"{len(household_ids)} households; by first category: "
        + ", ".join(f"{group} {mix[group]}" for group in MIX)
        + f"; {ZHAOBAOSHAN} {HOUDAJIE_NAME}: {HOUDAJIE_LIVING_ALONE} aged 80+ living alone, "
        f"{HOUDAJIE_EMPTY_NEST} aged 80+ empty-nest, "
        f"{HOUDAJIE_BEREAVED_FAMILIES} bereaved families; "
        f"周巷镇: {ZHOUXIANG_CHILDREN} children in difficulty"
        + (f"; scale {scale}: {plan.drawn} people drawn city-wide" if scale != 1 else "")
    )


PERIOD_COLUMNS = ("recipient_id", "category_id", "valid_from", "valid_to")


def registered_at(day: date | None, default: datetime) -> datetime:
    """The moment of a registration on ``day`` in the history: 9 o'clock in the city."""
    if day is None:
        return default
    return datetime.combine(day, time(9, 0), ZoneInfo(settings.TIME_ZONE))


def category_periods(planned: PlannedRecipient) -> list[tuple[str, date, date | None]]:
    """The categories a planned person held over the years: the earlier ones the plan
    recorded, and each category held today from the registration, 高龄 from the 80th
    birthday."""
    periods = list(planned.category_periods)
    dated = {code for code, _start, end in periods if end is None}
    for code in planned.categories:
        if code in dated:
            continue
        start = planned.registered_on
        if code == "advanced_age":
            start = max(start, add_years(planned.birth_date, 80))
        periods.append((code, start, None))
    return periods


def _phone_values(field: str, phone: str) -> dict[str, str]:
    return {
        f"{field}_encrypted": encrypt(phone),
        f"{field}_hash": lookup_hash(phone),
        f"{field}_masked": mask_phone(phone) if phone else "",
    }


def _recipient_values(
    planned: PlannedRecipient, region_id: int, station_id: int, household_id: int | None
) -> tuple[object, ...]:
    """The values of :data:`RECIPIENT_COLUMNS` of a planned recipient: identity and phone
    numbers (the guardian's and emergency contact's too) encrypted, with their lookup hash and
    masked copy."""
    number, phone = planned.id_number, planned.phone
    values = {
        **_phone_values("guardian_phone", planned.guardian_phone),
        **_phone_values("emergency_contact_phone", planned.emergency_contact_phone),
        "name": planned.name,
        "sex": planned.sex,
        "birth_date": planned.birth_date,
        "document_type": planned.document_type,
        "id_number_encrypted": encrypt(number),
        "id_number_hash": lookup_hash(number),
        "id_number_masked": mask_id_number(number) if number else "",
        "id_number_shared": False,  # the demo's numbers are unique
        "no_document_reason": planned.no_document_reason,
        "phone_encrypted": encrypt(phone),
        "phone_hash": lookup_hash(phone),
        "phone_masked": mask_phone(phone) if phone else "",
        "region_id": region_id,
        "address": planned.address,
        "household_id": household_id,
        "relation_to_head": planned.relation_to_head,
        "station_id": station_id,
        "disability_type": planned.disability_type,
        "disability_grade": planned.disability_grade,
        "health_notes": planned.health_notes,
        "guardian_name": planned.guardian_name,
        "guardian_relation": planned.guardian_relation,
        "emergency_contact_name": planned.emergency_contact_name,
        "consent_given": True,
        "consent_on": planned.consent_on,
        "status": planned.status,
        "registered_on": planned.registered_on,
        "exited_on": planned.exited_on,
        "exit_reason": planned.exit_reason,
        "merged_into_id": None,
        "note": planned.note,
    }
    return tuple(values[column] for column in RECIPIENT_COLUMNS)
