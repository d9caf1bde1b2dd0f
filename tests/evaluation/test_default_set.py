"""The default indicator set ships as data (migration 0002; spec/station-evaluation.md §2):
version 1, published, 100 points, every dimension and indicator of the spec's tables."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

import swstation.evaluation
from swstation.evaluation.models import Indicator, IndicatorSet, SetStatus
from swstation.evaluation.rules import rule_params_errors
from swstation.evaluation.services import indicator_set_publish_errors
from tests.concurrency import load_reference_data
from tests.evaluation.helpers import DEFAULT_NAME

DATA = Path(swstation.evaluation.__file__).parent / "data" / "default_indicator_set_v1.json"

# spec §2.2: code → (dimension, points, indicators' points)
SPEC = {
    "A": ("阵地建设", 8, [5, 1, 2]),
    "B": ("队伍建设", 15, [3, 3, 3, 3, 2, 1]),
    "C": ("制度管理", 8, [3, 3, 1, 1]),
    "D": ("服务开展", 22, [4, 3, 3, 4, 3, 3, 2]),
    "E": ("项目运作", 10, [3, 2, 3, 2]),
    "F": ("资源联动", 10, [3, 2, 3, 1, 1]),
    "G": ("资金管理", 7, [3, 2, 2]),
    "H": ("服务成效与满意度", 20, [8, 4, 4, 2, 2]),
}
# spec §2.3: rule types of each indicator.
RULES = {
    "A1": "each", "A2": "yes_no", "A3": "manual",
    "B1": "band", "B2": "band", "B3": "ratio", "B4": "ratio", "B5": "ratio", "B6": "yes_no",
    "C1": "each", "C2": "ratio", "C3": "each", "C4": "ratio",
    "D1": "ratio", "D2": "ratio", "D3": "ratio", "D4": "ratio", "D5": "ratio", "D6": "ratio",
    "D7": "band",
    "E1": "each", "E2": "ratio", "E3": "ratio", "E4": "manual",
    "F1": "each", "F2": "ratio", "F3": "band", "F4": "ratio", "F5": "manual",
    "G1": "band", "G2": "each", "G3": "manual",
    "H1": "band", "H2": "ratio", "H3": "ratio", "H4": "ratio", "H5": "band",
}  # fmt: skip
# Scored by hand: the site-visit and judgement indicators, and those whose records are not
# kept on the platform yet (spec §2.3: B5, C1, C3). H1–H3 and H5 are computed from the
# evaluation's own inputs (the survey, the stakeholders' forms, complaints: migration 0004).
BY_HAND = {"A3", "B5", "C1", "C3", "E4", "F5", "G3"}


def test_the_file_adds_up_to_100_and_every_rule_has_its_shape() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["name"] == DEFAULT_NAME
    assert sum(Decimal(str(d["points"])) for d in data["dimensions"]) == 100
    for dimension in data["dimensions"]:
        name, points, parts = SPEC[dimension["code"]]
        assert (dimension["name"], dimension["points"]) == (name, points)
        assert [i["points"] for i in dimension["indicators"]] == parts
        for indicator in dimension["indicators"]:
            assert indicator["rule_type"] == RULES[indicator["code"]]
            errors = rule_params_errors(
                indicator["rule_type"], indicator["rule_params"], Decimal(str(indicator["points"]))
            )
            assert errors == [], indicator["code"]


@pytest.mark.django_db
def test_the_migration_ships_version_1_published() -> None:
    default = IndicatorSet.objects.get(name=DEFAULT_NAME, version=1)
    assert default.status == SetStatus.PUBLISHED and default.published_on is not None
    assert default.total_points == Decimal(100)
    assert indicator_set_publish_errors(default) == []
    dimensions = list(default.dimensions.order_by("order"))
    assert [d.code for d in dimensions] == list(SPEC)
    for dimension in dimensions:
        assert dimension.points == SPEC[dimension.code][1]
        assert [i.points for i in dimension.indicators.order_by("order")] == SPEC[dimension.code][2]
    indicators = Indicator.objects.filter(dimension__indicator_set=default)
    assert {i.code: i.rule_type for i in indicators} == RULES
    assert {i.code for i in indicators if not i.source} == BY_HAND
    for indicator in indicators:
        indicator.full_clean()


@pytest.mark.django_db
def test_a_flushed_database_gets_the_default_back() -> None:
    """tests/concurrency.py puts the migrations' seeds back after a flush: this one too."""
    IndicatorSet.objects.all().delete()
    load_reference_data()
    default = IndicatorSet.objects.get(name=DEFAULT_NAME, version=1)
    assert Indicator.objects.filter(dimension__indicator_set=default).count() == len(RULES)
