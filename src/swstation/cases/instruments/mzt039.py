"""Elderly capability assessment, MZ/T 039-2013 《老年人能力评估》.

The rules are those of spec/elderly-assessment-mzt039.md, with the two readings of issue 11:

- B.2.1 认知功能 scored 2 means 「已确诊为认知障碍」, and C.3 raises the level for
  「有认知障碍/痴呆、精神疾病者」: cognition 2 raises the level as dementia does (see
  :func:`assess` for why it raises rather than refusing the pair as contradictory).
- 表6 names both 轻度失能 and 中度失能 for a daily-living grade of 1 when the other three grades
  mix a 0 or 1 with a 3 (30 combinations). The level is 1, as the judgement card's usage notes
  read (「后三项有一项为0或1，判定为轻度失能」), and the result says the table is ambiguous there
  (:func:`table_ambiguous`) so that a reviewer can confirm.

Item scores → dimension totals → dimension grades → ability level, then the C.3 adjustments.
Every function is pure and every rule of the spec has a row in tests/cases/test_mzt039.py.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

STANDARD = "MZ/T 039-2013"

# B.1: the allowed scores of each activity of daily living.
ADL_ITEMS: dict[str, tuple[int, ...]] = {
    "eating": (10, 5, 0),
    "bathing": (5, 0),
    "grooming": (5, 0),
    "dressing": (10, 5, 0),
    "bowel_control": (10, 5, 0),
    "bladder_control": (10, 5, 0),
    "toileting": (10, 5, 0),
    "bed_chair_transfer": (15, 10, 5, 0),
    "walking": (15, 10, 5, 0),
    "stairs": (10, 5, 0),
}
# B.2: cognition, aggression and depression, each 0–2.
MENTAL_ITEMS: dict[str, tuple[int, ...]] = {
    "cognition": (0, 1, 2),
    "aggression": (0, 1, 2),
    "depression": (0, 1, 2),
}
# B.3: consciousness 0 alert · 1 drowsy · 2 stupor · 3 coma; vision and hearing 0–4;
# communication 0–3.
PERCEPTION_ITEMS: dict[str, tuple[int, ...]] = {
    "consciousness": (0, 1, 2, 3),
    "vision": (0, 1, 2, 3, 4),
    "hearing": (0, 1, 2, 3, 4),
    "communication": (0, 1, 2, 3),
}
# B.4: five items, each 0–4.
SOCIAL_ITEMS: dict[str, tuple[int, ...]] = {
    "living_skills": (0, 1, 2, 3, 4),
    "work_skills": (0, 1, 2, 3, 4),
    "orientation_time_space": (0, 1, 2, 3, 4),
    "orientation_people": (0, 1, 2, 3, 4),
    "social_interaction": (0, 1, 2, 3, 4),
}
ALERT, DROWSY, STUPOR, COMA = 0, 1, 2, 3
DEMENTIA_CHOICES = ("none", "mild", "moderate", "severe")
ACCIDENT_CHOICES = (0, 1, 2, 3)  # none / once / twice / three or more in the last 30 days
LEVEL_NAMES = {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能"}


class ItemError(ValueError):
    """An item is missing or has a score the standard does not allow. ``code`` names a rule
    broken by the combination rather than by the value alone (for the message)."""

    def __init__(self, item: str, value: object, code: str = "") -> None:
        super().__init__(f"{item}={value!r}")
        self.item = item
        self.value = value
        self.code = code


def _check(items: Mapping[str, int], allowed: Mapping[str, tuple[int, ...]]) -> None:
    for name, choices in allowed.items():
        if items.get(name) not in choices:
            raise ItemError(name, items.get(name))


def adl_total(items: Mapping[str, int]) -> int:
    _check(items, ADL_ITEMS)
    return sum(items[name] for name in ADL_ITEMS)


def adl_grade(total: int) -> int:
    """B.1: 0 = 100 · 1 = 65–95 · 2 = 45–60 · 3 = ≤ 40."""
    if total == 100:
        return 0
    if total >= 65:
        return 1
    if total >= 45:
        return 2
    return 3


def mental_total(items: Mapping[str, int]) -> int:
    _check(items, MENTAL_ITEMS)
    return sum(items[name] for name in MENTAL_ITEMS)


def mental_grade(total: int) -> int:
    """B.2: 0 = 0 · 1 = 1 · 2 = 2–3 · 3 = 4–6."""
    if total == 0:
        return 0
    if total == 1:
        return 1
    if total <= 3:
        return 2
    return 3


def perception_grade(items: Mapping[str, int]) -> int:
    """B.3, first match from 3 down."""
    _check(items, PERCEPTION_ITEMS)
    c, v, h, k = items["consciousness"], items["vision"], items["hearing"], items["communication"]
    if c in (STUPOR, COMA) or (c in (ALERT, DROWSY) and (v == 4 or h == 4 or k == 3)):
        return 3
    if (c == ALERT and (v == 3 or h == 3 or k == 2)) or (
        c == DROWSY and v <= 3 and h <= 3 and k <= 2
    ):
        return 2
    if c == ALERT and (v == 2 or h == 2 or k == 1):
        return 1
    return 0  # alert, vision and hearing 0 or 1, communication 0


def social_total(items: Mapping[str, int]) -> int:
    _check(items, SOCIAL_ITEMS)
    return sum(items[name] for name in SOCIAL_ITEMS)


def social_grade(total: int) -> int:
    """B.4: 0 = 0–2 · 1 = 3–7 · 2 = 8–13 · 3 = 14–20."""
    if total <= 2:
        return 0
    if total <= 7:
        return 1
    if total <= 13:
        return 2
    return 3


def table_ambiguous(a: int, m: int, p: int, s: int) -> bool:
    """Whether 表6 names two levels for the grades: a = 1 with the other three mixing a 0 or 1
    (「后三项有一项为0或1」, 轻度失能) with a 3 (「有一项为3」, 中度失能). 30 combinations."""
    others = (m, p, s)
    return a == 1 and 3 in others and any(g <= 1 for g in others)


def ability_level(a: int, m: int, p: int, s: int) -> tuple[int, bool]:
    """C: the ability level from the four grades, and whether a gap rule decided it.

    First match from 3 down as the table reads, except where the table is ambiguous
    (:func:`table_ambiguous`): there the judgement card's usage notes decide, 「后三项有一项为0或1，
    判定为轻度失能」 first, so the level is 1 (as the published implementations that encode the
    notes give, and as the spec's own rule for a = 1 reads). The combinations the table leaves
    unnamed are settled by the usage notes as the spec describes (gap rules).
    """
    others = (m, p, s)
    if a == 3 or (a == m == p == s == 2) or (a == 2 and 3 in others):
        return 3, False
    if table_ambiguous(a, m, p, s):
        return 1, False
    if (a == 1 and (others == (2, 2, 2) or 3 in others)) or (
        a == 2 and 1 <= sum(1 for g in others if g in (1, 2)) <= 2
    ):
        return 2, False
    if (a == 0 and (m >= 1 or p >= 1 or s == 2)) or (a == 1 and any(g <= 1 for g in others)):
        return 1, False
    if a == m == p == 0 and s <= 1:
        return 0, False
    # Gap rules (spec: "The table leaves a few combinations unnamed").
    if a == 0:
        return 1, True  # (0,0,0,3): social participation impaired, daily living intact
    # a == 1 never gets here: the table names a level for every grade of the other three.
    # a == 2
    return (3 if others == (2, 2, 2) or 3 in others else 2), True


@dataclass(frozen=True)
class Adjustments:
    """C.3 conditions recorded beside the items."""

    dementia: str = "none"
    mental_illness: bool = False
    falls: int = 0
    choking: int = 0
    suicide_attempts: int = 0
    getting_lost: int = 0

    def raises(self) -> list[str]:
        reasons = []
        if self.dementia not in DEMENTIA_CHOICES:
            raise ItemError("dementia", self.dementia)
        for name in ("falls", "choking", "suicide_attempts", "getting_lost"):
            if getattr(self, name) not in ACCIDENT_CHOICES:
                raise ItemError(name, getattr(self, name))
        if self.dementia != "none":
            reasons.append("dementia")
        if self.mental_illness:
            reasons.append("mental_illness")
        if self.falls + self.choking + self.suicide_attempts + self.getting_lost >= 2:
            reasons.append("accidents")
        return reasons


@dataclass(frozen=True)
class Result:
    adl_total: int | None
    mental_total: int | None
    social_total: int | None
    adl_grade: int | None
    mental_grade: int | None
    perception_grade: int | None
    social_grade: int | None
    base_level: int
    level: int
    rule_gap_resolved: bool
    coma: bool
    raised_by: list[str] = field(default_factory=list)
    table_ambiguous: bool = False

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


def assess(
    adl: Mapping[str, int] | None,
    mental: Mapping[str, int] | None,
    perception: Mapping[str, int],
    social: Mapping[str, int] | None,
    adjustments: Adjustments | None = None,
) -> Result:
    """The whole assessment. A person in a coma is rated 3 directly (the other items may be
    left blank); otherwise every item is required.

    Cognition (B.2.1) scored 2 raises the level by one like the C.3 conditions (reason
    "cognition"), even when dementia is recorded as none. Raising rather than refusing the pair
    as contradictory, because the two say different things: score 2 is defined as
    「已确诊为认知障碍」 (a diagnosed cognitive impairment) and C.3's first condition is
    「有认知障碍/痴呆」, so the item alone meets the condition by the standard's own words;
    the separate dementia field grades dementia (none/mild/moderate/severe), and a diagnosed
    cognitive impairment that is not (or not yet) classed as dementia is no contradiction.
    Refusing would also make records entered before this rule impossible to correct without
    inventing a dementia grade."""
    adjustments = adjustments or Adjustments()
    if perception.get("consciousness") == COMA:
        return Result(None, None, None, None, None, 3, None, 3, 3, False, True, [])
    if adl is None or mental is None or social is None:
        raise ItemError("items", None)
    totals = adl_total(adl), mental_total(mental), social_total(social)
    grades = (
        adl_grade(totals[0]),
        mental_grade(totals[1]),
        perception_grade(perception),
        social_grade(totals[2]),
    )
    base, gap = ability_level(*grades)
    reasons = (["cognition"] if mental["cognition"] == 2 else []) + adjustments.raises()
    level = min(base + 1, 3) if reasons else base
    return Result(
        adl_total=totals[0],
        mental_total=totals[1],
        social_total=totals[2],
        adl_grade=grades[0],
        mental_grade=grades[1],
        perception_grade=grades[2],
        social_grade=grades[3],
        base_level=base,
        level=level,
        rule_gap_resolved=gap,
        coma=False,
        raised_by=reasons if level != base else [],
        table_ambiguous=table_ambiguous(*grades),
    )
