"""Records of the indicator sets for the tests: a draft version with a tree whose points add
up (or not), made directly, as the page tests' ``make_object`` does."""

from decimal import Decimal
from typing import Any

from swstation.evaluation.models import Dimension, Indicator, IndicatorSet, SetStatus

DEFAULT_NAME = "宁波市乡镇(街道)社会工作站评估标准（平台默认）"


def make_set(name: str = "测试标准", version: int = 1, **fields: Any) -> IndicatorSet:
    fields.setdefault("status", SetStatus.DRAFT)
    return IndicatorSet.objects.create(name=name, version=version, **fields)


def make_dimension(
    indicator_set: IndicatorSet, code: str = "A", points: str | int = 10, **fields: Any
) -> Dimension:
    fields.setdefault("name", f"维度{code}")
    return Dimension.objects.create(
        indicator_set=indicator_set, code=code, points=Decimal(points), **fields
    )


def make_indicator(
    dimension: Dimension, code: str = "A1", points: str | int = 10, **fields: Any
) -> Indicator:
    fields.setdefault("name", f"指标{code}")
    fields.setdefault("rule_type", "manual")
    fields.setdefault("rule_params", {})
    return Indicator.objects.create(
        dimension=dimension, code=code, points=Decimal(points), **fields
    )


def make_tree(indicator_set: IndicatorSet, spec: dict[str, tuple[int, list[int]]]) -> None:
    """``{"A": (40, [25, 15]), "B": (60, [60])}``: dimensions with their points and their
    indicators' points (A1, A2…)."""
    for order, (code, (points, parts)) in enumerate(spec.items(), start=1):
        dimension = make_dimension(indicator_set, code, points, order=order)
        for number, part in enumerate(parts, start=1):
            make_indicator(dimension, f"{code}{number}", part, order=number)
    indicator_set.total_points = sum(
        (Decimal(points) for points, _parts in spec.values()), Decimal(0)
    )
    indicator_set.save()
