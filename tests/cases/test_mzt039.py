"""MZ/T 039-2013, every rule of spec/elderly-assessment-mzt039.md as a table row."""

import itertools

import pytest

from swstation.cases.instruments import mzt039
from swstation.cases.instruments.mzt039 import Adjustments, ItemError

FULL_ADL = dict.fromkeys(mzt039.ADL_ITEMS, 0) | {
    "eating": 10,
    "bathing": 5,
    "grooming": 5,
    "dressing": 10,
    "bowel_control": 10,
    "bladder_control": 10,
    "toileting": 10,
    "bed_chair_transfer": 15,
    "walking": 15,
    "stairs": 10,
}
NO_MENTAL = dict.fromkeys(mzt039.MENTAL_ITEMS, 0)
GOOD_PERCEPTION = {"consciousness": 0, "vision": 0, "hearing": 0, "communication": 0}
NO_SOCIAL = dict.fromkeys(mzt039.SOCIAL_ITEMS, 0)


def test_full_independence_totals_100() -> None:
    assert mzt039.adl_total(FULL_ADL) == 100


@pytest.mark.parametrize(
    ("total", "grade"),
    [(100, 0), (95, 1), (65, 1), (60, 2), (45, 2), (40, 3), (0, 3)],
)
def test_adl_grade(total: int, grade: int) -> None:
    assert mzt039.adl_grade(total) == grade


@pytest.mark.parametrize(("total", "grade"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (6, 3)])
def test_mental_grade(total: int, grade: int) -> None:
    assert mzt039.mental_grade(total) == grade


@pytest.mark.parametrize(
    ("total", "grade"), [(0, 0), (2, 0), (3, 1), (7, 1), (8, 2), (13, 2), (14, 3), (20, 3)]
)
def test_social_grade(total: int, grade: int) -> None:
    assert mzt039.social_grade(total) == grade


@pytest.mark.parametrize(
    ("c", "v", "h", "k", "grade"),
    [
        # 3: alert or drowsy with vision or hearing 4 or communication 3; or stupor / coma
        (0, 4, 0, 0, 3),
        (0, 0, 4, 0, 3),
        (0, 0, 0, 3, 3),
        (1, 4, 0, 0, 3),
        (1, 0, 0, 3, 3),
        (2, 0, 0, 0, 3),
        (3, 0, 0, 0, 3),
        # 2: alert with vision or hearing 3 or communication 2; drowsy with v,h ≤ 3 and k ≤ 2
        (0, 3, 0, 0, 2),
        (0, 0, 3, 0, 2),
        (0, 0, 0, 2, 2),
        (1, 0, 0, 0, 2),
        (1, 3, 3, 2, 2),
        # 1: alert with vision or hearing 2 or communication 1
        (0, 2, 0, 0, 1),
        (0, 0, 2, 0, 1),
        (0, 0, 0, 1, 1),
        (0, 2, 1, 1, 1),
        # 0: alert, vision and hearing 0 or 1, communication 0
        (0, 0, 0, 0, 0),
        (0, 1, 1, 0, 0),
    ],
)
def test_perception_grade(c: int, v: int, h: int, k: int, grade: int) -> None:
    items = {"consciousness": c, "vision": v, "hearing": h, "communication": k}
    assert mzt039.perception_grade(items) == grade


@pytest.mark.parametrize(
    ("grades", "level", "gap"),
    [
        # level 3
        ((3, 0, 0, 0), 3, False),
        ((2, 2, 2, 2), 3, False),
        ((2, 3, 0, 0), 3, False),
        ((2, 0, 0, 3), 3, False),
        # level 2
        ((1, 2, 2, 2), 2, False),
        ((1, 3, 2, 2), 2, False),
        ((1, 2, 3, 3), 2, False),
        ((2, 1, 0, 0), 2, False),
        ((2, 2, 1, 0), 2, False),
        ((2, 0, 0, 2), 2, False),
        # level 1
        ((0, 1, 0, 0), 1, False),
        ((0, 0, 1, 0), 1, False),
        ((0, 0, 0, 2), 1, False),
        ((1, 0, 0, 0), 1, False),
        ((1, 1, 2, 2), 1, False),
        ((1, 2, 2, 0), 1, False),
        # ambiguous in 表6 (a 0 or 1 beside a 3): the judgement card's notes give 1
        ((1, 3, 0, 0), 1, False),
        ((1, 0, 3, 2), 1, False),
        ((1, 1, 1, 3), 1, False),
        # level 0
        ((0, 0, 0, 0), 0, False),
        ((0, 0, 0, 1), 0, False),
        # gaps settled by the judgement card's notes
        ((0, 0, 0, 3), 1, True),
        ((2, 0, 0, 0), 2, True),
        ((2, 1, 2, 1), 2, True),
        ((2, 2, 2, 1), 2, True),
        ((2, 1, 1, 1), 2, True),
    ],
)
def test_ability_level(grades: tuple[int, int, int, int], level: int, gap: bool) -> None:
    assert mzt039.ability_level(*grades) == (level, gap)


def test_every_grade_combination_has_a_level() -> None:
    for grades in itertools.product(range(4), repeat=4):
        level, _ = mzt039.ability_level(*grades)
        assert level in (0, 1, 2, 3)


AMBIGUOUS = [
    grades
    for grades in itertools.product(range(4), repeat=3)
    if 3 in grades and any(g <= 1 for g in grades)
]


def test_table_6_is_ambiguous_for_30_combinations() -> None:
    """a = 1 with the other three mixing a 0 or 1 (轻度失能) and a 3 (中度失能)."""
    assert len(AMBIGUOUS) == 30
    found = [g for g in itertools.product(range(4), repeat=4) if mzt039.table_ambiguous(*g)]
    assert found == [(1, *others) for others in AMBIGUOUS]


@pytest.mark.parametrize("others", AMBIGUOUS)
def test_ambiguous_combinations_are_level_1_and_reported(others: tuple[int, int, int]) -> None:
    assert mzt039.ability_level(1, *others) == (1, False)


def test_an_ambiguous_assessment_says_so() -> None:
    mental = NO_MENTAL | {"aggression": 2, "depression": 2}  # 4 → grade 3
    adl = FULL_ADL | {"bathing": 0, "stairs": 5}  # 90 → grade 1
    result = mzt039.assess(adl, mental, GOOD_PERCEPTION, NO_SOCIAL)
    assert (result.adl_grade, result.mental_grade, result.perception_grade) == (1, 3, 0)
    assert (result.level, result.table_ambiguous, result.rule_gap_resolved) == (1, True, False)
    plain = mzt039.assess(adl, NO_MENTAL, GOOD_PERCEPTION, NO_SOCIAL)
    assert (plain.level, plain.table_ambiguous) == (1, False)


def test_level_3_rules_win_over_level_2() -> None:
    """First match from 3 down: (2,3,1,1) has a 1 and a 3; the a=2-with-a-3 rule wins."""
    assert mzt039.ability_level(2, 3, 1, 1) == (3, False)


def test_coma_is_level_3_with_items_left_blank() -> None:
    result = mzt039.assess(
        None, None, {"consciousness": 3, "vision": 0, "hearing": 0, "communication": 0}, None
    )
    assert result.level == 3 and result.coma and result.adl_total is None


def test_a_healthy_elder_is_level_0() -> None:
    result = mzt039.assess(FULL_ADL, NO_MENTAL, GOOD_PERCEPTION, NO_SOCIAL)
    assert (
        result.adl_grade,
        result.mental_grade,
        result.perception_grade,
        result.social_grade,
    ) == (0, 0, 0, 0)
    assert result.level == 0 and result.level_name == "能力完好"


@pytest.mark.parametrize(
    ("adjustments", "reasons"),
    [
        (Adjustments(dementia="mild"), ["dementia"]),
        (Adjustments(mental_illness=True), ["mental_illness"]),
        (Adjustments(falls=2), ["accidents"]),
        (Adjustments(falls=1, getting_lost=1), ["accidents"]),  # counted together
        (Adjustments(choking=1), []),
        (
            Adjustments(dementia="severe", mental_illness=True, suicide_attempts=3),
            ["dementia", "mental_illness", "accidents"],
        ),
    ],
)
def test_adjustments_raise_by_one_only(adjustments: Adjustments, reasons: list[str]) -> None:
    result = mzt039.assess(FULL_ADL, NO_MENTAL, GOOD_PERCEPTION, NO_SOCIAL, adjustments)
    assert result.base_level == 0
    assert result.level == (1 if reasons else 0)  # several conditions still raise by one
    assert result.raised_by == reasons


@pytest.mark.parametrize(
    ("cognition", "adjustments", "level", "reasons"),
    [
        (2, Adjustments(), 2, ["cognition"]),  # diagnosed cognitive impairment, dementia "none"
        (2, Adjustments(dementia="mild"), 2, ["cognition", "dementia"]),  # still one step
        (1, Adjustments(), 1, []),
    ],
)
def test_cognition_scored_2_raises_the_level(
    cognition: int, adjustments: Adjustments, level: int, reasons: list[str]
) -> None:
    """B.2.1 score 2 is 「已确诊为认知障碍」, which C.3 names as a condition that raises the level.
    Mental total 2 (grade 2) or 1 (grade 1) with everything else intact: base level 1."""
    mental = NO_MENTAL | {"cognition": cognition}
    result = mzt039.assess(FULL_ADL, mental, GOOD_PERCEPTION, NO_SOCIAL, adjustments)
    assert result.base_level == 1
    assert (result.level, result.raised_by) == (level, reasons)


def test_adjustment_never_passes_level_3() -> None:
    adl = dict.fromkeys(mzt039.ADL_ITEMS, 0)  # total 0 → grade 3 → level 3
    result = mzt039.assess(adl, NO_MENTAL, GOOD_PERCEPTION, NO_SOCIAL, Adjustments(dementia="mild"))
    assert result.base_level == 3 and result.level == 3 and result.raised_by == []


def test_gap_resolution_is_reported() -> None:
    social = dict.fromkeys(mzt039.SOCIAL_ITEMS, 3)  # 15 → grade 3
    result = mzt039.assess(FULL_ADL, NO_MENTAL, GOOD_PERCEPTION, social)
    assert (result.level, result.rule_gap_resolved) == (1, True)


@pytest.mark.parametrize(
    ("group", "item", "value"),
    [
        ("adl", "eating", 7),
        ("adl", "walking", 20),
        ("mental", "cognition", 3),
        ("perception", "vision", 5),
        ("social", "work_skills", -1),
    ],
)
def test_a_score_the_standard_does_not_allow_is_refused(group: str, item: str, value: int) -> None:
    parts = {
        "adl": dict(FULL_ADL),
        "mental": dict(NO_MENTAL),
        "perception": dict(GOOD_PERCEPTION),
        "social": dict(NO_SOCIAL),
    }
    parts[group][item] = value
    with pytest.raises(ItemError) as caught:
        mzt039.assess(parts["adl"], parts["mental"], parts["perception"], parts["social"])
    assert caught.value.item == item
