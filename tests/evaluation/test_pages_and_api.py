"""Pages and API of the indicator sets, dimensions and indicators (tests/base.py): city-wide
policy data that every role reads and only the city bureau writes (the policy overrides of the
stations' tests: no region, hence no out-of-scope record)."""

from typing import Any

from swstation.evaluation.models import Dimension, Indicator, IndicatorSet
from tests.evaluation.helpers import make_dimension, make_indicator, make_set
from tests.stations.test_pages_and_api import PolicyAPIOverrides, PolicyViewOverrides

# --- versions -----------------------------------------------------------------------------------


class IndicatorSetCases:
    model = IndicatorSet
    list_params = {"q": "测试标准"}

    def make_object(self, code: str, n: int = 0) -> IndicatorSet:
        return make_set(name=f"测试标准{n:03d}", note="测试说明")

    def form_data(self, code: str) -> dict[str, Any]:
        return {"name": "测试标准新", "note": "新的标准"}

    def edit_data(self, obj: IndicatorSet) -> dict[str, Any]:
        return {"name": obj.name, "note": f"{obj.note}改"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "测试标准接口", "note": ""}

    def api_patch(self, obj: IndicatorSet) -> dict[str, Any]:
        return {"note": "接口改"}

    def object_label(self, obj: IndicatorSet) -> str:
        return obj.name


class TestIndicatorSetViews(IndicatorSetCases, PolicyViewOverrides):
    pass


class TestIndicatorSetAPI(IndicatorSetCases, PolicyAPIOverrides):
    pass


# --- dimensions ---------------------------------------------------------------------------------


def _form_set() -> IndicatorSet:
    found = IndicatorSet.objects.filter(name="测试表单标准").first()
    return found or make_set(name="测试表单标准")


class DimensionCases:
    model = Dimension
    list_params = {"q": "测试维度"}

    def make_object(self, code: str, n: int = 0) -> Dimension:
        indicator_set = make_set(name=f"测试维度标准{n:03d}")
        return make_dimension(indicator_set, "A", 10, name=f"测试维度{n:03d}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "indicator_set": _form_set().pk,
            "code": "B",
            "order": 2,
            "name": "测试维度新",
            "points": "15",
        }

    def edit_data(self, obj: Dimension) -> dict[str, Any]:
        return {"code": obj.code, "order": obj.order, "name": f"{obj.name}改", "points": "12"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "indicator_set": _form_set().pk,
            "code": "C",
            "order": 3,
            "name": "测试维度接口",
            "points": "8.00",
        }

    def api_patch(self, obj: Dimension) -> dict[str, Any]:
        return {"points": "9.00"}

    def object_label(self, obj: Dimension) -> str:
        return obj.name


class TestDimensionViews(DimensionCases, PolicyViewOverrides):
    pass


class TestDimensionAPI(DimensionCases, PolicyAPIOverrides):
    pass


# --- indicators ---------------------------------------------------------------------------------


def _form_dimension() -> Dimension:
    indicator_set = _form_set()
    found = indicator_set.dimensions.first()
    return found or make_dimension(indicator_set, "A", 10)


class IndicatorCases:
    model = Indicator
    list_params = {"q": "测试指标"}

    def make_object(self, code: str, n: int = 0) -> Indicator:
        dimension = make_dimension(make_set(name=f"测试指标标准{n:03d}"), "A", 10)
        return make_indicator(
            dimension,
            "A1",
            10,
            name=f"测试指标{n:03d}",
            rule_type="ratio",
            rule_params={"target": 30, "prorate": True},
            evidence="个案档案",
            source="cases_opened",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "dimension": _form_dimension().pk,
            "code": "A9",
            "order": 1,
            "name": "测试指标新",
            "points": "2",
            "rule_type": "ratio",
            "rule_params": '{"target": 30, "prorate": true}',
            "evidence": "签到表",
            "source": "cases_opened",
            "note": "",
        }

    def edit_data(self, obj: Indicator) -> dict[str, Any]:
        return {
            "dimension": obj.dimension_id,
            "code": obj.code,
            "order": obj.order,
            "name": f"{obj.name}改",
            "points": "5",
            "rule_type": obj.rule_type,
            "rule_params": '{"target": 24}',
            "evidence": obj.evidence,
            "source": obj.source,
            "note": "",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "dimension": _form_dimension().pk,
            "code": "A8",
            "order": 2,
            "name": "测试指标接口",
            "points": "1.00",
            "rule_type": "yes_no",
            "rule_params": {},
            "evidence": "照片",
            "source": "rooms_present",
        }

    def api_patch(self, obj: Indicator) -> dict[str, Any]:
        return {"points": "4.00"}

    def object_label(self, obj: Indicator) -> str:
        return obj.name


class TestIndicatorViews(IndicatorCases, PolicyViewOverrides):
    pass


class TestIndicatorAPI(IndicatorCases, PolicyAPIOverrides):
    pass
