"""The shapes of a rule's parameters (spec/station-evaluation.md §2.1), table-driven: each
accepted shape, each refusal with the parameter it names; and the rule in words."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from swstation.evaluation.rules import rule_params_errors, rule_summary

ACCEPTED: list[tuple[str, Any, int]] = [
    ("yes_no", {}, 1),
    ("yes_no", {"condition": "站点外设有标识牌"}, 1),
    ("manual", {}, 2),
    ("each", {"per_item": 0.5}, 3),
    ("each", {"per_item": 1, "items": ["个案室", "档案室", "办公室"]}, 3),
    ("each", {"per_item": 0.6, "items": ["a", "b", "c", "d", "e"]}, 3),
    ("ratio", {"target": 30, "prorate": True}, 4),
    ("ratio", {"target": 100, "floor": 50, "unit": "%", "on_empty": "full"}, 3),
    ("ratio", {"target_mode": "best"}, 10),
    (
        "band",
        {"bands": [{"min": 3, "max": None, "points": 3}, {"min": 2, "max": 3, "points": 1.5}]},
        3,
    ),
    (
        "band",
        {
            "bands": [
                {"min": 90, "max": 105, "max_included": True, "points": 3},
                {"min": 80, "max": 90, "points": 2},
                {"min": 70, "max": 80, "points": 1},
            ],
            "unit": "%",
        },
        3,
    ),
    ("band", {"bands": [{"min": 0, "max": 0, "max_included": True, "points": 2}]}, 2),
]


@pytest.mark.parametrize(("rule", "params", "points"), ACCEPTED)
def test_accepted_shapes(rule: str, params: Any, points: int) -> None:
    assert rule_params_errors(rule, params, Decimal(points)) == []


REFUSED: list[tuple[str, Any, int, str]] = [
    ("ratio", [], 3, "JSON 对象"),
    ("ratio", {}, 3, "target"),
    ("ratio", {"target": 0}, 3, "target"),
    ("ratio", {"target": "30"}, 3, "target"),
    ("ratio", {"target": True}, 3, "target"),
    ("ratio", {"target": 30, "floor": 30}, 3, "floor"),
    ("ratio", {"target": 30, "floor": -1}, 3, "floor"),
    ("ratio", {"target": 30, "prorate": "yes"}, 3, "prorate"),
    ("ratio", {"target": 30, "target_mode": "worst"}, 3, "target_mode"),
    ("ratio", {"target": 30, "on_empty": "maybe"}, 3, "on_empty"),
    ("ratio", {"target": 30, "bands": []}, 3, "bands"),
    ("each", {}, 3, "per_item"),
    ("each", {"per_item": 4}, 3, "per_item"),
    ("each", {"per_item": 0.5, "items": []}, 3, "items"),
    ("each", {"per_item": 0.5, "items": ["a", "a"]}, 3, "items"),
    ("each", {"per_item": 0.5, "items": ["a", "b"]}, 3, "items"),
    ("yes_no", {"condition": ""}, 1, "condition"),
    ("yes_no", {"target": 1}, 1, "target"),
    ("manual", {"target": 1}, 2, "target"),
    ("band", {}, 3, "bands"),
    ("band", {"bands": []}, 3, "bands"),
    ("band", {"bands": [3]}, 3, "bands"),
    ("band", {"bands": [{"max": 3, "points": 3}]}, 3, "min"),
    ("band", {"bands": [{"min": 3, "max": 2, "points": 3}]}, 3, "max"),
    ("band", {"bands": [{"min": 3, "max": "x", "points": 3}]}, 3, "max"),
    ("band", {"bands": [{"min": 3, "points": 5}]}, 3, "points"),
    ("band", {"bands": [{"min": 3, "points": -1}]}, 3, "points"),
    ("band", {"bands": [{"min": 3, "points": 3, "colour": "red"}]}, 3, "colour"),
    ("band", {"bands": [{"min": 3, "points": 3, "max_included": 1}]}, 3, "max_included"),
    (
        "band",
        {"bands": [{"min": 2, "max": None, "points": 3}, {"min": 3, "max": 4, "points": 1}]},
        3,
        "重叠",
    ),
    (
        "band",
        {
            "bands": [
                {"min": 1, "max": 2, "max_included": True, "points": 3},
                {"min": 2, "points": 1},
            ]
        },
        3,
        "重叠",
    ),
    ("band", {"bands": [{"min": 2, "max": None, "points": 1.5}]}, 3, "满分"),
]


@pytest.mark.parametrize(("rule", "params", "points", "named"), REFUSED)
def test_refused_shapes_name_the_parameter_in_chinese(
    rule: str, params: Any, points: int, named: str
) -> None:
    with translation.override("zh-hans"):
        errors = rule_params_errors(rule, params, Decimal(points))
    assert errors, (rule, params)
    assert any(named in error for error in errors), errors
    assert all(any("\u4e00" <= c <= "\u9fff" for c in error) for error in errors), errors


def test_checks_against_the_points_wait_for_them() -> None:
    assert rule_params_errors("each", {"per_item": 4}, None) == []
    assert rule_params_errors("band", {"bands": [{"min": 1, "points": 1}]}, None) == []


@pytest.mark.parametrize(
    ("rule", "params", "expected"),
    [
        (
            "band",
            {"bands": [{"min": 3, "max": None, "points": 3}, {"min": 2, "max": 3, "points": 1.5}]},
            "≥ 3 → 3；[2, 3) → 1.5；其他 0",
        ),
        (
            "band",
            {"bands": [{"min": 90, "max": 105, "max_included": True, "points": 3}], "unit": "%"},
            "[90, 105]% → 3；其他 0",
        ),
        ("ratio", {"target": 24, "prorate": True, "unit": "小时"}, "目标 24小时，按期折算"),
        ("ratio", {"target": 100, "floor": 50, "unit": "%"}, "目标 100%，下限 50%"),
        (
            "each",
            {"per_item": 0.5, "items": ["年度计划", "半年总结"]},
            "每项 0.5（年度计划、半年总结）",
        ),
        ("yes_no", {"condition": "设有标识牌"}, "设有标识牌"),
        ("manual", {}, ""),
        ("ratio", {"target": "x"}, ""),
    ],
)
def test_rule_summary(rule: str, params: Any, expected: str) -> None:
    with translation.override("zh-hans"):
        assert rule_summary(rule, params) == expected
