"""GB/T 42195-2022: every rule of spec/elderly-assessment-gbt42195.md and every worked example
of its §7 as a table row (pure functions, no database)."""

from dataclasses import replace
from typing import Any

import pytest

from swstation.cases.instruments import gbt42195
from swstation.cases.instruments.gbt42195 import ItemError, Rules
from swstation.cases.instruments.gbt42195_items import INSTRUMENT


def items_of(self_care: str, mobility: str, mental: str, perception: str) -> dict[str, Any]:
    """The item scores in the order of the spec's tables (§7)."""
    parts = zip(gbt42195.INDICATORS.items(), (self_care, mobility, mental, perception), strict=True)
    return {
        key: dict(zip(allowed, map(int, scores.split()), strict=True))
        for (key, allowed), scores in parts
    }


TOP = items_of("4 4 4 4 4 4 4 4", "4 4 4 3", "4 4 4 4 4 4 1 1 2", "2 2 4 3 4")
W3 = items_of("4 3 2 3 2 3 3 3", "3 3 3 1", "3 3 4 3 4 4 1 1 2", "2 1 2 1 2")
W5 = items_of("3 2 1 2 1 2 3 2", "3 2 2 0", "2 1 3 2 3 3 1 1 2", "1 1 1 0 2")
W7 = items_of("2 1 0 1 0 1 2 1", "2 1 1 0", "1 1 3 1 3 3 1 0 2", "1 1 0 0 1")
W10 = items_of("4 4 3 4 4 4 4 4", "4 4 3 1", "4 4 4 4 4 4 1 1 2", "2 2 3 1 4")


# (id, items, base information, subtotals, total, preliminary, final, final if cumulative)
WORKED = [
    ("W1 all top scores", TOP, {}, (32, 15, 28, 15), 90, 0, 0, 0),
    (
        "W2 one point lost on stairs",
        items_of("4 4 4 4 4 4 4 4", "4 4 4 2", "4 4 4 4 4 4 1 1 2", "2 2 4 3 4"),
        {},
        (32, 14, 28, 15),
        89,
        1,
        1,
        1,
    ),
    ("W3 lower edge of level 1", W3, {}, (23, 10, 25, 8), 66, 1, 1, 1),
    (
        "W4 W3 with eating 4 -> 3",
        items_of("3 3 2 3 2 3 3 3", "3 3 3 1", "3 3 4 3 4 4 1 1 2", "2 1 2 1 2"),
        {},
        (22, 10, 25, 8),
        65,
        2,
        2,
        2,
    ),
    ("W5 lower edge of level 2", W5, {}, (16, 7, 18, 5), 46, 2, 2, 2),
    (
        "W6 W5 with hearing 1 -> 0",
        items_of("3 2 1 2 1 2 3 2", "3 2 2 0", "2 1 3 2 3 3 1 1 2", "1 0 1 0 2"),
        {},
        (16, 7, 18, 4),
        45,
        3,
        3,
        3,
    ),
    ("W7 lower edge of level 3", W7, {}, (8, 4, 15, 3), 30, 3, 3, 3),
    (
        "W8 W7 with bowel 2 -> 1",
        items_of("2 1 0 1 0 1 1 1", "2 1 1 0", "1 1 3 1 3 3 1 0 2", "1 1 0 0 1"),
        {},
        (7, 4, 15, 3),
        29,
        4,
        4,
        4,
    ),
    (
        "W9 Alzheimer's F00",
        items_of("4 3 3 4 4 4 4 4", "4 4 4 3", "2 2 4 2 4 4 1 1 2", "2 2 2 1 3"),
        {"diagnoses": ["F00"]},
        (30, 15, 22, 10),
        77,
        1,
        2,
        2,
    ),
    ("W10a two falls", W10, {"falls": 2}, (31, 12, 28, 12), 83, 1, 2, 2),
    ("W10b one fall", W10, {"falls": 1}, (31, 12, 28, 12), 83, 1, 1, 1),
    (
        "W11 F32 by a psychiatrist, one self-harm and one fall",
        items_of("4 4 4 4 4 4 4 4", "4 4 4 3", "4 4 4 4 4 4 1 0 2", "2 2 3 3 2"),
        {
            "diagnoses": ["F32"],
            "by_psychiatrist": True,
            "suicide_self_harm": 1,
            "falls": 1,
        },
        (32, 15, 27, 12),
        86,
        1,
        2,
        3,
    ),
    (
        "W12 coma, items scored before it",
        items_of("3 3 2 3 2 2 3 2", "1 0 0 0", "3 3 4 3 3 2 1 1 0", "2 1 1 0 1"),
        {"coma": True},
        (20, 1, 20, 5),
        46,
        2,
        4,
        4,
    ),
    (
        "W13 bedbound, dementia and two falls: the ceiling",
        items_of("2 1 0 1 0 1 2 0", "2 1 0 0", "2 0 3 2 3 3 1 1 2", "1 0 0 0 1"),
        {"diagnoses": ["F00"], "falls": 2},
        (7, 3, 17, 2),
        29,
        4,
        4,
        4,
    ),
    (
        "W14 stupor without a coma record",
        items_of("2 1 1 1 1 2 2 1", "2 1 1 0", "1 1 2 1 2 1 1 1 0", "2 2 0 0 1"),
        {},
        (11, 4, 10, 5),
        30,
        3,
        3,
        3,
    ),
]


DEFAULT = Rules()


def run(items: dict[str, Any], info: dict[str, Any], rules: Rules = DEFAULT) -> Any:
    return gbt42195.assess(
        items,
        coma=info.get("coma", False),
        diagnoses=info.get("diagnoses", ()),
        by_psychiatrist=info.get("by_psychiatrist", False),
        risk_events={k: v for k, v in info.items() if k in gbt42195.RISK_EVENT_KINDS},
        rules=rules,
    )


@pytest.mark.parametrize(
    ("items", "info", "subtotals", "total", "preliminary", "final", "cumulative"),
    [row[1:] for row in WORKED],
    ids=[row[0] for row in WORKED],
)
def test_worked_examples(
    items: dict[str, Any],
    info: dict[str, Any],
    subtotals: tuple[int, ...],
    total: int,
    preliminary: int,
    final: int,
    cumulative: int,
) -> None:
    assert tuple(gbt42195.gbt42195_subtotals(items).values()) == subtotals
    assert gbt42195.gbt42195_total(items) == total
    assert gbt42195.gbt42195_preliminary_level(total) == preliminary
    result = run(items, info)
    assert (result.total, result.preliminary_level, result.level) == (total, preliminary, final)
    assert run(items, info, Rules(cumulative=True)).level == cumulative


def test_the_instrument_gives_the_same_results_as_the_functions() -> None:
    """The registered instrument (what the service stores) agrees with every worked example."""
    for _name, items, info, subtotals, total, preliminary, final, _cum in WORKED:
        outcome = INSTRUMENT.evaluate(items, info)
        assert tuple(outcome.totals.values()) == subtotals
        assert (outcome.total, outcome.base_level, outcome.level) == (total, preliminary, final)


def test_every_item_maximum_adds_up_to_90() -> None:
    maxima = {
        key: sum(max(s) for s in items.values()) for key, items in gbt42195.INDICATORS.items()
    }
    assert maxima == {
        "self_care": 32,
        "basic_mobility": 15,
        "mental_state": 28,
        "perception_social": 15,
    }
    assert sum(len(items) for items in gbt42195.INDICATORS.values()) == 26


@pytest.mark.parametrize("total", range(0, 91))
def test_table_2_bands_cover_every_total(total: int) -> None:
    expected = (
        0 if total == 90 else 1 if total >= 66 else 2 if total >= 46 else 3 if total >= 30 else 4
    )
    assert gbt42195.gbt42195_preliminary_level(total) == expected


def test_the_bands_are_data() -> None:
    rules = Rules(bands=(88, 70, 50, 20))
    assert [
        gbt42195.gbt42195_preliminary_level(t, rules) for t in (89, 88, 87, 70, 50, 20, 19)
    ] == [
        0,
        0,
        1,
        1,
        2,
        3,
        4,
    ]


@pytest.mark.parametrize(
    ("preliminary", "kwargs", "level", "reasons"),
    [
        (1, {}, 1, ()),
        (1, {"f_diagnosis": True}, 2, ("f_diagnosis",)),
        (1, {"risk_events_30d": 2}, 2, ("risk_events",)),
        (1, {"risk_events_30d": 1}, 1, ()),
        (1, {"f_diagnosis": True, "risk_events_30d": 3}, 2, ("f_diagnosis", "risk_events")),
        (0, {"coma": True}, 4, ("coma",)),
        (3, {"coma": True, "f_diagnosis": True}, 4, ("coma", "f_diagnosis")),
        (4, {"f_diagnosis": True}, 4, ("f_diagnosis",)),  # ceiling: recorded, changes nothing
        (3, {"risk_events_30d": 2}, 4, ("risk_events",)),
    ],
)
def test_final_level_rules(
    preliminary: int, kwargs: dict[str, Any], level: int, reasons: tuple[str, ...]
) -> None:
    given = {"coma": False, "f_diagnosis": False, "risk_events_30d": 0} | kwargs
    assert gbt42195.gbt42195_final_level(preliminary, **given) == (level, reasons)


@pytest.mark.parametrize(
    ("rules", "preliminary", "kwargs", "level"),
    [
        (Rules(cumulative=True), 1, {"f_diagnosis": True, "risk_events_30d": 2}, 3),
        (Rules(cumulative=True), 3, {"f_diagnosis": True, "risk_events_30d": 2}, 4),
        (Rules(coma_level=3), 0, {"coma": True}, 3),
        (Rules(risk_threshold=3), 1, {"risk_events_30d": 2}, 1),
        (Rules(risk_threshold=3), 1, {"risk_events_30d": 3}, 2),
    ],
)
def test_configurable_rules(
    rules: Rules, preliminary: int, kwargs: dict[str, Any], level: int
) -> None:
    given = {"coma": False, "f_diagnosis": False, "risk_events_30d": 0} | kwargs
    assert gbt42195.gbt42195_final_level(preliminary, rules=rules, **given)[0] == level


@pytest.mark.parametrize(
    ("events", "rules", "count"),
    [
        ({"falls": 1, "choking": 1}, Rules(), 2),  # summed over kinds (S4)
        ({"falls": 3, "other": 3}, Rules(), 6),  # "3 or more" counts as 3
        ({"falls": 1, "choking": 1}, Rules(risk_count="per_kind"), 1),
        ({"falls": 2, "choking": 1}, Rules(risk_count="per_kind"), 2),
        ({"falls": 1, "other": 1}, Rules(risk_kinds=("falls", "choking")), 1),  # "other" left out
        ({}, Rules(), 0),
    ],
)
def test_counting_risk_events(events: dict[str, int], rules: Rules, count: int) -> None:
    assert gbt42195.gbt42195_count_risk_events(events, rules) == count


@pytest.mark.parametrize(
    ("codes", "psychiatrist", "found"),
    [
        (["F00"], False, ("F00",)),
        (["F03.9"], False, ("F03.9",)),
        (["F32"], False, ()),  # other disorders need a psychiatrist's diagnosis
        (["F32"], True, ("F32",)),
        (["F99"], True, ("F99",)),
        (["I10", "E11"], True, ()),  # recorded, raise nothing
        (["G30", "F01.1"], False, ("F01.1",)),
    ],
)
def test_f_codes(codes: list[str], psychiatrist: bool, found: tuple[str, ...]) -> None:
    assert gbt42195.gbt42195_f_codes(codes, by_psychiatrist=psychiatrist) == found


def test_the_f_code_ranges_are_data() -> None:
    rules = Rules(dementia_codes=gbt42195.parse_code_ranges("F00-F03, G30"))
    assert gbt42195.gbt42195_f_codes(["G30.1"], by_psychiatrist=False, rules=rules) == ("G30.1",)


def test_coma_with_items_left_blank_only_when_the_rules_allow_it() -> None:
    blank = {"mental_state": {"consciousness": 0}}
    with pytest.raises(ItemError):
        run(blank, {"coma": True})
    result = run(blank, {"coma": True}, Rules(coma_items_optional=True))
    assert (result.total, result.level, result.subtotals) == (None, 4, None)
    with pytest.raises(ItemError):  # not without coma
        run(blank, {}, Rules(coma_items_optional=True))


def set_item(items: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    changed = {key: dict(scores) for key, scores in items.items()}
    for scores in changed.values():
        if name in scores:
            scores[name] = value
    return changed


@pytest.mark.parametrize(
    ("items", "info", "item", "code"),
    [
        (set_item(TOP, "stairs", 4), {}, "stairs", ""),  # above its maximum of 3
        (set_item(TOP, "aggression", 2), {}, "aggression", ""),
        (set_item(TOP, "eating", -1), {}, "eating", ""),
        (set_item(TOP, "vision", True), {}, "vision", ""),  # a JSON true is not 1
        (set_item(TOP, "memory", None), {}, "memory", ""),  # missing
        (TOP | {"mental_state": TOP["mental_state"] | {"mood": 1}}, {}, "mood", ""),
        (TOP | {"adl": {}}, {}, "adl", ""),
        (TOP, {"falls": -1}, "falls", ""),
        (TOP, {"choking": 4}, "choking", ""),
        (TOP, {"diagnoses": ["dementia"]}, "diagnoses", ""),
        (TOP, {"coma": True}, "consciousness", "coma_consciousness"),  # 意识水平 2 with coma
    ],
)
def test_refusals_name_the_item(
    items: dict[str, Any], info: dict[str, Any], item: str, code: str
) -> None:
    with pytest.raises(ItemError) as caught:
        run(items, info)
    assert (caught.value.item, caught.value.code) == (item, code)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bands": (90, 66, 66, 30)}, "bands"),
        ({"bands": (91, 66, 46, 30)}, "bands"),
        ({"bands": (90, 66, 46)}, "bands"),
        ({"risk_threshold": 0}, "risk_threshold"),
        ({"risk_count": "max"}, "risk_count"),
        ({"risk_kinds": ("falls", "earthquake")}, "risk_kinds"),
        ({"coma_level": 5}, "coma_level"),
    ],
)
def test_impossible_rules_are_refused(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        replace(Rules(), **change)


def test_rules_round_trip_through_json() -> None:
    rules = Rules(
        bands=(89, 60, 40, 20),
        risk_threshold=3,
        risk_count="per_kind",
        risk_kinds=("falls",),
        cumulative=True,
        coma_level=3,
        coma_items_optional=True,
        dementia_codes=(("F00", "F03"), ("G30", "G30")),
    )
    assert Rules.from_dict(rules.as_dict()) == rules
    assert Rules.from_dict({}) == Rules()


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("F00-F03", (("F00", "F03"),)),
        ("F00～F03，F10", (("F00", "F03"), ("F10", "F10"))),
        ("f04 - f99", None),  # "-" alone is not a code
        ("F03-F00", None),
        ("dementia", None),
    ],
)
def test_parse_code_ranges(text: str, ranges: Any) -> None:
    if ranges is None:
        with pytest.raises(ValueError):
            gbt42195.parse_code_ranges(text)
    else:
        assert gbt42195.parse_code_ranges(text) == ranges


def test_the_instrument_normalises_the_base_information() -> None:
    assert INSTRUMENT.normalise_adjustments({"diagnoses": "f00.1， i10 ,F00.1", "falls": 2}) == {
        "coma": False,
        "diagnoses": ["F00.1", "I10"],
        "by_psychiatrist": False,
        "falls": 2,
        "getting_lost": 0,
        "choking": 0,
        "suicide_self_harm": 0,
        "other": 0,
    }
    for bad in ({"coma": 1}, {"dementia": "mild"}, {"falls": 5}, {"diagnoses": [12]}):
        with pytest.raises(ItemError):
            INSTRUMENT.normalise_adjustments(bad)


def test_the_outcome_records_every_reason_with_its_detail() -> None:
    outcome = INSTRUMENT.evaluate(
        WORKED[11][1], {"diagnoses": ["F32"], "by_psychiatrist": True, "falls": 1, "other": 1}
    )
    assert outcome.change_reasons == (
        {"key": "f_diagnosis", "detail": "F32"},
        {"key": "risk_events", "detail": "2"},
    )
    assert outcome.raised_by == ("f_diagnosis", "risk_events")
    assert outcome.rules == Rules().as_dict()
    ceiling = INSTRUMENT.evaluate(WORKED[13][1], WORKED[13][2])
    assert ceiling.raised_by == () and len(ceiling.change_reasons) == 2
