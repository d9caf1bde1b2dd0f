"""Scoring as pure functions (spec/station-evaluation.md §2.1, §3, §4, §5), table-driven: every
rule type with its edges, the whole default set at perfect values (100 points), grades, ranks,
stars, survey sample sizes and working days."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

import swstation.evaluation
from swstation.evaluation.scoring import (
    DEFAULT_GRADE_BANDS,
    GRADE_CODES,
    RuleOutcome,
    add_working_days,
    below_rectification_threshold,
    competition_ranks,
    grade_bands_errors,
    grade_for,
    grade_label,
    home_visit_count,
    score_rule,
    star_for,
    survey_sample_size,
    total_score,
)

DATA = Path(swstation.evaluation.__file__).parent / "data" / "default_indicator_set_v1.json"
D = Decimal

B1_BANDS = {"bands": [{"min": 3, "max": None, "points": 3}, {"min": 2, "max": 3, "points": 1.5}]}
G1_BANDS = {
    "bands": [
        {"min": 90, "max": 105, "max_included": True, "points": 3},
        {"min": 80, "max": 90, "points": 2},
        {"min": 70, "max": 80, "points": 1},
    ]
}
H5_BANDS = {"bands": [{"min": 0, "max": 1, "points": 2}, {"min": 1, "max": 2, "points": 1}]}
ZERO_ONLY = {"bands": [{"min": 0, "max": 0, "max_included": True, "points": 2}]}

# (rule, params, points, value, keyword arguments, expected score)
SCORED: list[tuple[str, dict[str, Any], str, str | None, dict[str, Any], str]] = [
    # yes_no: non-zero is yes
    ("yes_no", {}, "1", "1", {}, "1.00"),
    ("yes_no", {"condition": "设有标识牌"}, "1", "0", {}, "0.00"),
    ("yes_no", {}, "2", "3", {}, "2.00"),
    # each: per item, capped at the points, never below 0
    ("each", {"per_item": 1}, "5", "3", {}, "3.00"),
    ("each", {"per_item": 1}, "5", "5", {}, "5.00"),
    ("each", {"per_item": 1}, "5", "7", {}, "5.00"),
    ("each", {"per_item": 0.6}, "3", "5", {}, "3.00"),
    ("each", {"per_item": 0.6}, "3", "4", {}, "2.40"),
    ("each", {"per_item": 0.5}, "2", "0", {}, "0.00"),
    ("each", {"per_item": 0.5}, "2", "-1", {}, "0.00"),
    # rounding half-up at the end, not half-even: 0.005 → 0.01, 2.345 → 2.35, 0.004 → 0
    ("each", {"per_item": 0.005}, "1", "1", {}, "0.01"),
    ("each", {"per_item": 0.469}, "3", "5", {}, "2.35"),
    ("ratio", {"target": 200}, "1", "1", {}, "0.01"),
    ("ratio", {"target": 250}, "1", "1", {}, "0.00"),
    # ratio: pts × clamp((v − floor) / (target − floor), 0, 1)
    ("ratio", {"target": 30}, "4", "15", {}, "2.00"),
    ("ratio", {"target": 30}, "4", "30", {}, "4.00"),
    ("ratio", {"target": 30}, "4", "45", {}, "4.00"),
    ("ratio", {"target": 30}, "4", "0", {}, "0.00"),
    ("ratio", {"target": 24}, "3", "7", {}, "0.88"),
    ("ratio", {"target": 100, "floor": 50}, "3", "75", {}, "1.50"),
    ("ratio", {"target": 100, "floor": 50}, "3", "50", {}, "0.00"),
    ("ratio", {"target": 100, "floor": 50}, "3", "40", {}, "0.00"),
    ("ratio", {"target": 100, "floor": 50}, "3", "100", {}, "3.00"),
    ("ratio", {"target": 95, "floor": 50}, "1", "72.5", {}, "0.50"),
    ("ratio", {"target": 90, "floor": 60}, "4", "87.5", {}, "3.67"),
    # prorate: the annual target × days ÷ 365 (30 × 182 ÷ 365 = 14.9589…); the floor is not
    ("ratio", {"target": 30, "prorate": True}, "4", "15", {"period_days": 182}, "4.00"),
    ("ratio", {"target": 30, "prorate": True}, "4", "14.9", {"period_days": 182}, "3.98"),
    ("ratio", {"target": 30, "prorate": True}, "4", "7", {"period_days": 182}, "1.87"),
    ("ratio", {"target": 30, "prorate": True}, "4", "15", {}, "2.00"),
    ("ratio", {"target": 30, "prorate": True}, "4", "60", {"period_days": 730}, "4.00"),
    ("ratio", {"target": 30}, "4", "15", {"period_days": 182}, "2.00"),
    ("ratio", {"target": 10, "floor": 4, "prorate": True}, "2", "5", {"period_days": 146}, "2.00"),
    ("ratio", {"target": 10, "floor": 4, "prorate": True}, "2", "3", {"period_days": 146}, "0.00"),
    # best: the best unit's value is the target, not prorated
    ("ratio", {"target_mode": "best"}, "10", "48", {"best": D(48)}, "10.00"),
    ("ratio", {"target_mode": "best"}, "10", "20", {"best": D(48)}, "4.17"),
    (
        "ratio",
        {"target_mode": "best", "prorate": True},
        "10",
        "24",
        {"best": D(48), "period_days": 182},
        "5.00",
    ),
    ("ratio", {"target_mode": "best", "floor": 10}, "10", "30", {"best": D(50)}, "5.00"),
    # on_empty when there is no value (a denominator of 0) or no best unit
    ("ratio", {"target": 100, "on_empty": "full"}, "3", None, {}, "3.00"),
    ("ratio", {"target": 100, "on_empty": "zero"}, "3", None, {}, "0.00"),
    ("ratio", {"target_mode": "best", "on_empty": "full"}, "10", "5", {"best": D(0)}, "10.00"),
    ("ratio", {"target_mode": "best", "on_empty": "zero"}, "10", "5", {}, "0.00"),
    # band: the first interval [min, max) holding v ([min, max] with max_included); none → 0
    ("band", B1_BANDS, "3", "3", {}, "3.00"),
    ("band", B1_BANDS, "3", "12", {}, "3.00"),
    ("band", B1_BANDS, "3", "2", {}, "1.50"),
    ("band", B1_BANDS, "3", "2.99", {}, "1.50"),
    ("band", B1_BANDS, "3", "1", {}, "0.00"),
    ("band", G1_BANDS, "3", "105", {}, "3.00"),
    ("band", G1_BANDS, "3", "105.01", {}, "0.00"),
    ("band", G1_BANDS, "3", "90", {}, "3.00"),
    ("band", G1_BANDS, "3", "89.99", {}, "2.00"),
    ("band", G1_BANDS, "3", "80", {}, "2.00"),
    ("band", G1_BANDS, "3", "70", {}, "1.00"),
    ("band", G1_BANDS, "3", "69.99", {}, "0.00"),
    ("band", H5_BANDS, "2", "0", {}, "2.00"),
    ("band", H5_BANDS, "2", "1", {}, "1.00"),
    ("band", H5_BANDS, "2", "2", {}, "0.00"),
    ("band", ZERO_ONLY, "2", "0", {}, "2.00"),
    ("band", ZERO_ONLY, "2", "0.5", {}, "0.00"),
    ("band", {"bands": [{"min": 0, "max": 10, "points": 0.5}]}, "1", "5", {}, "0.50"),
]


@pytest.mark.parametrize(("rule", "params", "points", "value", "kwargs", "expected"), SCORED)
def test_score_rule(
    rule: str,
    params: dict[str, Any],
    points: str,
    value: str | None,
    kwargs: dict[str, Any],
    expected: str,
) -> None:
    outcome = score_rule(rule, params, D(points), None if value is None else D(value), **kwargs)
    assert outcome.score == D(expected)
    assert outcome.score is not None and outcome.score.as_tuple().exponent == -2


# (rule, params, value, keyword arguments, words in the Chinese note)
BY_HAND: list[tuple[str, dict[str, Any], str | None, dict[str, Any], str]] = [
    ("manual", {}, None, {}, "由评估人员评分"),
    ("manual", {}, "2", {}, "由评估人员评分"),
    ("yes_no", {}, None, {}, "由评估人员评分"),
    ("each", {"per_item": 1}, None, {}, "由评估人员评分"),
    ("band", B1_BANDS, None, {}, "由评估人员评分"),
    ("ratio", {"target": 100}, None, {}, "分母为0，由评估人员评分"),
    ("ratio", {"target": 100, "on_empty": "manual"}, None, {}, "分母为0，由评估人员评分"),
    ("ratio", {"target_mode": "best"}, "5", {}, "由评估人员评分"),
    ("ratio", {"target_mode": "best"}, "5", {"best": D(0)}, "由评估人员评分"),
    ("ratio", {"target_mode": "best"}, None, {"best": D(40)}, "分母为0"),
]


@pytest.mark.parametrize(("rule", "params", "value", "kwargs", "note"), BY_HAND)
def test_scored_by_hand_with_a_chinese_note(
    rule: str, params: dict[str, Any], value: str | None, kwargs: dict[str, Any], note: str
) -> None:
    with translation.override("zh-hans"):
        outcome = score_rule(rule, params, D(2), None if value is None else D(value), **kwargs)
    assert outcome.score is None
    assert note in outcome.note, outcome.note


@pytest.mark.parametrize(
    ("params", "value", "kwargs", "note"),
    [
        ({"target": 100, "on_empty": "full"}, None, {}, "分母为0，计满分"),
        ({"target": 100, "on_empty": "zero"}, None, {}, "分母为0，计0分"),
        ({"target": 30, "prorate": True}, "7", {"period_days": 182}, "目标按182天折算为14.96"),
        ({"target_mode": "best"}, "20", {"best": D(48)}, "48"),
        ({"target": 30}, "7", {}, ""),
    ],
)
def test_ratio_notes(params: dict[str, Any], value: str | None, kwargs: Any, note: str) -> None:
    with translation.override("zh-hans"):
        outcome = score_rule("ratio", params, D(4), None if value is None else D(value), **kwargs)
    assert outcome.score is not None
    if note:
        assert note in outcome.note, outcome.note
    else:
        assert outcome.note == ""


@pytest.mark.parametrize(
    ("rule", "params", "kwargs"),
    [
        ("colour", {}, {}),
        ("ratio", {"target": "x"}, {}),
        ("ratio", {"target": 30, "prorate": True}, {"period_days": 0}),
        ("ratio", {"target": 30, "on_empty": "maybe"}, {"value": None}),
        ("each", {}, {}),
    ],
)
def test_malformed_rules_are_errors(rule: str, params: dict[str, Any], kwargs: Any) -> None:
    value = kwargs.pop("value", D(1))
    with pytest.raises(ValueError):
        score_rule(rule, params, D(3), value, **kwargs)


def test_outcome_is_frozen() -> None:
    outcome = RuleOutcome(D("1.00"))
    assert outcome.note == ""
    with pytest.raises(AttributeError):
        outcome.score = D(2)  # type: ignore[misc]


def _perfect(indicator: dict[str, Any], period_days: int) -> Decimal | None:
    """The value that earns the indicator's full points."""
    params, points = indicator["rule_params"], D(str(indicator["points"]))
    rule = indicator["rule_type"]
    if rule == "yes_no":
        return D(1)
    if rule == "each":
        return points / D(str(params["per_item"]))
    if rule == "ratio":
        target = D(str(params["target"]))
        return target * period_days / 365 if params.get("prorate") else target
    if rule == "band":
        return next(D(str(b["min"])) for b in params["bands"] if D(str(b["points"])) == points)
    return None


@pytest.mark.parametrize("period_days", [365, 182, 90])
def test_the_default_set_at_perfect_values_scores_100(period_days: int) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    scores = []
    for dimension in data["dimensions"]:
        for indicator in dimension["indicators"]:
            points = D(str(indicator["points"]))
            outcome = score_rule(
                indicator["rule_type"],
                indicator["rule_params"],
                points,
                _perfect(indicator, period_days),
                period_days=period_days,
            )
            if indicator["rule_type"] == "manual":
                assert outcome.score is None, indicator["code"]
                scores.append(points)  # the evaluator gives full points
            else:
                assert outcome.score == points, indicator["code"]
                scores.append(outcome.score)
    assert len(scores) == 37
    assert total_score(scores) == D("100.00")


def test_total_is_the_sum_of_rounded_scores() -> None:
    assert total_score([]) == D("0.00")
    assert total_score([D("1.00"), D("2.50"), D("0.01")]) == D("3.51")
    # three thirds of a point: each rounds to 0.33, the total is 0.99, not 1
    assert total_score([D(1) / 3] * 3) == D("0.99")
    assert total_score([D("0.005"), D("0.005")]) == D("0.02")


@pytest.mark.parametrize(
    ("score", "points", "below"),
    [("1.79", "3", True), ("1.80", "3", False), ("0", "1", True), ("2", "2", False)],
)
def test_rectification_threshold(score: str, points: str, below: bool) -> None:
    assert below_rectification_threshold(D(score), D(points)) is below
    assert below_rectification_threshold(D("2.00"), D("3"), share=D("0.7")) is True


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "excellent"),
        ("100.00", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "pass"),
        ("60", "pass"),
        ("59.99", "fail"),
        ("0", "fail"),
    ],
)
def test_grades(total: str, grade: str) -> None:
    assert grade_for(D(total)) == grade
    assert grade_for(D(total), vetoed=True) == "fail"


def test_grade_outside_the_scheme_is_an_error() -> None:
    with pytest.raises(ValueError):
        grade_for(D("100.01"))
    with pytest.raises(ValueError):
        grade_for(D("-1"))


def test_grades_under_another_scheme() -> None:
    bands = [
        {"code": "excellent", "min": 85, "max": 100, "max_included": True},
        {"code": "good", "min": 75, "max": 85},
        {"code": "pass", "min": 60, "max": 75},
        {"code": "fail", "min": 0, "max": 60},
    ]
    assert grade_bands_errors(bands) == []
    assert grade_for(D(85), bands) == "excellent"
    assert grade_for(D("84.99"), bands) == "good"


def test_grade_labels_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert [str(grade_label(code)) for code in GRADE_CODES] == [
            "优秀",
            "良好",
            "合格",
            "不合格",
        ]
    with translation.override("en"):
        assert str(grade_label("pass")) == "Pass"


def _scheme(*changes: tuple[int, dict[str, Any]]) -> list[dict[str, Any]]:
    bands = [dict(band) for band in DEFAULT_GRADE_BANDS]
    for index, change in changes:
        bands[index].update(change)
    return bands


# (scheme, words the Chinese error names)
BAD_SCHEMES: list[tuple[Any, str]] = [
    ([], "等级"),
    ({"excellent": 90}, "等级"),
    ([*_scheme()[:3], "fail"], "第4"),
    (_scheme((0, {"colour": "gold"})), "colour"),
    (_scheme((0, {"code": "superb"})), "code"),
    (_scheme((3, {"code": "pass"})), "合格"),
    (_scheme((3, {"code": "pass"})), "不合格"),
    (_scheme()[:3], "不合格"),
    (_scheme((3, {"min": None})), "min"),
    (_scheme((3, {"max": "60"})), "max"),
    (_scheme((1, {"max_included": "yes"})), "max_included"),
    (_scheme((1, {"min": 90})), "max"),
    (_scheme((3, {"min": 10})), "从0开始"),
    (_scheme((0, {"max_included": False})), "max_included"),
    (_scheme((0, {"max": 110})), "100"),
    (_scheme((1, {"min": 81})), "80"),
    (_scheme((1, {"min": 79})), "重叠"),
    (_scheme((1, {"max_included": True})), "重叠"),
    (
        _scheme(
            (0, {"min": 0, "max": 60}),
            (3, {"min": 90, "max": 100, "max_included": True}),
        ),
        "优秀",
    ),
]


@pytest.mark.parametrize(("bands", "named"), BAD_SCHEMES)
def test_grade_scheme_errors_name_the_problem_in_chinese(bands: Any, named: str) -> None:
    with translation.override("zh-hans"):
        errors = grade_bands_errors(bands)
    assert errors, bands
    assert any(named in error for error in errors), errors
    assert all(any("\u4e00" <= c <= "\u9fff" for c in error) for error in errors), errors


def test_the_default_scheme_is_valid() -> None:
    assert grade_bands_errors(list(DEFAULT_GRADE_BANDS)) == []
    assert grade_bands_errors(list(reversed(DEFAULT_GRADE_BANDS))) == []


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([], []),
        (["95", "90", "90", "80"], [1, 2, 2, 4]),
        (["80", "90", "95", "90"], [4, 2, 1, 2]),
        (["70", None, "70.00", "71"], [2, None, 2, 1]),
        ([None, None], [None, None]),
        (["88.5"], [1]),
        (["60", "60", "60"], [1, 1, 1]),
    ],
)
def test_competition_ranks(values: list[str | None], ranks: list[int | None]) -> None:
    assert competition_ranks([None if v is None else D(v) for v in values]) == ranks


@pytest.mark.parametrize(
    ("total", "kwargs", "star"),
    [
        ("85", {}, 5),
        ("115", {}, 5),
        ("84.99", {}, 4),
        ("77", {}, 4),
        ("76.99", {}, None),
        ("0", {}, None),
        ("95", {"blocked": True}, None),
        ("80", {"five": D(80), "four": D(70)}, 5),
        ("70", {"five": D(80), "four": D(70)}, 4),
    ],
)
def test_stars(total: str, kwargs: dict[str, Any], star: int | None) -> None:
    assert star_for(D(total), **kwargs) == star


# spec §5: N served → sample n and home visits ⌈n/6⌉
@pytest.mark.parametrize(
    ("population", "sample", "visits"),
    [
        (0, 0, 0),
        (1, 1, 1),
        (6, 6, 1),
        (7, 7, 2),
        (45, 45, 8),
        (60, 60, 10),
        (61, 60, 10),
        (100, 60, 10),
        (500, 81, 14),
        (2000, 92, 16),
        (1_000_000, 97, 17),
    ],
)
def test_survey_sample_sizes(population: int, sample: int, visits: int) -> None:
    assert survey_sample_size(population) == sample
    assert home_visit_count(sample) == visits


def test_survey_parameters() -> None:
    # a ±5 % margin: 2,000 served → 323
    assert survey_sample_size(2000, e=D("0.05")) == 323
    assert survey_sample_size(100, minimum=30) == 50
    with pytest.raises(ValueError):
        survey_sample_size(-1)
    with pytest.raises(ValueError):
        home_visit_count(-1)


# 2024 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked (调休);
# 2025 Qingming: Friday 4 April off.
HOLIDAYS = {date(2024, 10, d) for d in range(1, 8)} | {date(2025, 4, 4)}
WORKDAYS = {date(2024, 9, 29), date(2024, 10, 12)}


@pytest.mark.parametrize(
    ("start", "days", "calendar", "expected"),
    [
        (date(2025, 3, 3), 5, False, date(2025, 3, 10)),  # Monday → next Monday
        (date(2025, 3, 7), 5, False, date(2025, 3, 14)),  # Friday, across a weekend
        (date(2025, 3, 7), 1, False, date(2025, 3, 10)),
        (date(2025, 3, 8), 1, False, date(2025, 3, 10)),  # from a Saturday
        (date(2025, 3, 7), 0, False, date(2025, 3, 7)),
        (date(2025, 4, 1), 5, True, date(2025, 4, 9)),  # across a holiday and a weekend
        (date(2025, 4, 1), 5, False, date(2025, 4, 8)),
        (date(2024, 9, 27), 5, True, date(2024, 10, 10)),  # Sunday 29 September worked
        (date(2024, 9, 27), 1, True, date(2024, 9, 29)),
        (date(2024, 10, 9), 5, True, date(2024, 10, 15)),  # Saturday 12 October worked
        (date(2024, 10, 9), 5, False, date(2024, 10, 16)),
    ],
)
def test_working_days(start: date, days: int, calendar: bool, expected: date) -> None:
    holidays, workdays = (HOLIDAYS, WORKDAYS) if calendar else ((), ())
    assert add_working_days(start, days, holidays, workdays) == expected


def test_working_days_refuse_a_negative_count() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2025, 3, 3), -1)
