"""Elderly capability assessment, GB/T 42195-2022 《老年人能力评估规范》, as pure functions.

The rules are those of spec/elderly-assessment-gbt42195.md (cited below as "spec §n"):

- 26 items in four first-level indicators (spec §1): B.1 自理能力 (8 items, 0–32), B.2 基础运动
  能力 (4 items, 0–15), B.3 精神状态 (9 items, 0–28), B.4 感知觉与社会参与 (5 items, 0–15). The item
  scores are added up ("条目加和计分"); the total runs from 0 to 90 and **a higher total means a
  more able elder** — also for 攻击行为 and 抑郁症状 (1 = not present), the opposite of MZ/T 039.
  The indicators have no grades of their own: the report shows their subtotals.
- Table 2 (spec §2): the total gives the preliminary level 0 能力完好 (90) · 1 轻度受损 (66–89) ·
  2 中度受损 (46–65) · 3 重度受损 (30–45) · 4 完全丧失 (0–29).
- C.4/C.5 (spec §3): coma (A.5.11) sets the level to ``coma_level`` directly; a diagnosed
  dementia (F00–F03) or another mental and behavioural disorder diagnosed by a psychiatrist
  (F04–F99) raises the level by one; two or more care-risk events in the last 30 days (A.2.14)
  raise it by one; both together raise by one unless ``cumulative``; level 4 is the ceiling.

Every rule that spec §9 lists as unconfirmed is a field of :class:`Rules` (data, not code): the
band table (§9.11), ``risk_threshold`` and how events are counted (§9.3), ``cumulative`` (§9.2),
``coma_level`` and whether items may be left blank under coma (§9.4), the F-code ranges (§9.5).
The platform reads them from the city's policy (``ElderlyAssessmentPolicy``, valid on the
assessment's date); the defaults here are the spec's. The item list and the maxima are part of
the standard's version (§8) and stay in code.

The functions share no scoring code with :mod:`mzt039` (spec §8): the two standards are
separate instruments and their levels are never compared or added together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from swstation.cases.instruments.mzt039 import ItemError

__all__ = [
    "BASIC_MOBILITY",
    "DEFAULT_RULES",
    "INDICATORS",
    "LEVEL_NAMES",
    "MAX_LEVEL",
    "MAX_TOTAL",
    "MENTAL_STATE",
    "PERCEPTION_SOCIAL",
    "RISK_EVENT_KINDS",
    "SELF_CARE",
    "STANDARD",
    "Assessment",
    "ChangeReason",
    "ItemError",
    "Rules",
    "assess",
    "gbt42195_count_risk_events",
    "gbt42195_f_codes",
    "gbt42195_final_level",
    "gbt42195_preliminary_level",
    "gbt42195_subtotals",
    "gbt42195_total",
    "parse_code_ranges",
    "split_codes",
]

STANDARD = "GB/T 42195-2022"
MAX_TOTAL = 90
MAX_LEVEL = 4
# Spec §2: the five level names (S2, S3, S4, S5).
LEVEL_NAMES = {
    0: "能力完好",
    1: "能力轻度受损（轻度失能）",
    2: "能力中度受损（中度失能）",
    3: "能力重度受损（重度失能）",
    4: "能力完全丧失（完全失能）",
}

# Spec §1, B.1–B.4: each item's allowed scores, highest (most able) first. The order is the
# standard's and the worked examples' (spec §7).
SELF_CARE: dict[str, tuple[int, ...]] = {
    "eating": (4, 3, 2, 1, 0),  # B.1.1 进食
    "grooming": (4, 3, 2, 1, 0),  # B.1.2 修饰
    "bathing": (4, 3, 2, 1, 0),  # B.1.3 洗澡
    "upper_dressing": (4, 3, 2, 1, 0),  # B.1.4 穿/脱上衣
    "lower_dressing": (4, 3, 2, 1, 0),  # B.1.5 穿/脱裤子和鞋袜
    "bladder_control": (4, 3, 2, 1, 0),  # B.1.6 小便控制
    "bowel_control": (4, 3, 2, 1, 0),  # B.1.7 大便控制
    "toileting": (4, 3, 2, 1, 0),  # B.1.8 如厕
}
BASIC_MOBILITY: dict[str, tuple[int, ...]] = {
    "bed_mobility": (4, 3, 2, 1, 0),  # B.2.1 床上体位转移
    "bed_chair_transfer": (4, 3, 2, 1, 0),  # B.2.2 床椅转移
    "walking": (4, 3, 2, 1, 0),  # B.2.3 平地行走
    "stairs": (3, 2, 1, 0),  # B.2.4 上下楼梯 (max 3)
}
MENTAL_STATE: dict[str, tuple[int, ...]] = {
    "time_orientation": (4, 3, 2, 1, 0),  # B.3.1 时间定向
    "space_orientation": (4, 3, 2, 1, 0),  # B.3.2 空间定向
    "people_orientation": (4, 3, 2, 1, 0),  # B.3.3 人物定向
    "memory": (4, 3, 2, 1, 0),  # B.3.4 记忆
    "comprehension": (4, 3, 2, 1, 0),  # B.3.5 理解能力
    "expression": (4, 3, 2, 1, 0),  # B.3.6 表达能力
    "aggression": (1, 0),  # B.3.7 攻击行为: 1 none · 0 in the last month
    "depression": (1, 0),  # B.3.8 抑郁症状: 1 none · 0 in the last month
    "consciousness": (2, 1, 0),  # B.3.9 意识水平: 0 stupor or coma
}
PERCEPTION_SOCIAL: dict[str, tuple[int, ...]] = {
    "vision": (2, 1, 0),  # B.4.1 视力
    "hearing": (2, 1, 0),  # B.4.2 听力
    "daily_affairs": (4, 3, 2, 1, 0),  # B.4.3 执行日常事务
    "transport": (3, 2, 1, 0),  # B.4.4 使用交通工具外出
    "social_interaction": (4, 3, 2, 1, 0),  # B.4.5 社会交往能力
}
INDICATORS: dict[str, dict[str, tuple[int, ...]]] = {
    "self_care": SELF_CARE,
    "basic_mobility": BASIC_MOBILITY,
    "mental_state": MENTAL_STATE,
    "perception_social": PERCEPTION_SOCIAL,
}
# A.2.14 近30天内照护风险事件: five kinds, each 0 无 · 1 · 2 · 3 (3次及以上, counted as 3).
RISK_EVENT_KINDS = ("falls", "getting_lost", "choking", "suicide_self_harm", "other")
RISK_EVENT_CHOICES = (0, 1, 2, 3)
# How the events are counted (spec §3, §9.3): "sum" over the kinds counted (S4, the default), or
# "per_kind": the largest count of any one kind (two events of the same kind).
RISK_COUNT_MODES = ("sum", "per_kind")
# An ICD-10 code: a letter, two digits, an optional subdivision (F00.1, F32, F10.24).
ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")


# What separates the codes of a list typed by a person: commas (half- and full-width), the
# enumeration comma 、, semicolons and white space.
CODE_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_codes(value: Any) -> list[str]:
    """A list of ICD-10 codes as typed (``"F00.1、i10，E11"``) or given (a list), each stripped and
    upper-cased, blanks and repeats left out, in their order. It does not judge a code: the
    callers say which one is not an ICD-10 code (:data:`ICD10`). The one splitter of the form
    and the instrument (it was two, which disagreed on 、)."""
    parts = CODE_SEPARATORS.split(value) if isinstance(value, str) else list(value or ())
    codes: list[str] = []
    for part in parts:
        code = part.strip().upper() if isinstance(part, str) else part
        if code in ("", None) or code in codes:
            continue
        codes.append(code)
    return codes


def parse_code_ranges(text: str) -> tuple[tuple[str, str], ...]:
    """``"F00-F03"`` or ``"F00-F03, F10"`` as ((first, last) three-character categories); a
    ValueError names what is not a code or a range."""
    ranges = []
    for part in re.split(r"[,，;；\s]+", (text or "").strip().upper()):
        if not part:
            continue
        first, _sep, last = part.replace("～", "-").replace("~", "-").partition("-")
        last = last or first
        for code in (first, last):
            if not re.fullmatch(r"[A-Z][0-9]{2}", code):
                raise ValueError(part)
        if last < first:
            raise ValueError(part)
        ranges.append((first, last))
    return tuple(ranges)


@dataclass(frozen=True)
class Rules:
    """The scoring rules spec §9 marks unconfirmed, as data (spec §8 "Data, not code").

    ``bands``: the lowest total of levels 0, 1, 2 and 3 (Table 2: 90, 66, 46, 30); a total below
    the last is level 4. ``risk_threshold``: events that raise the level (2). ``risk_count``:
    "sum" over the kinds in ``risk_kinds`` (S4) or "per_kind" (the largest single kind).
    ``risk_kinds``: the A.2.14 kinds counted (all five by default: the standard's list ends in
    "等", §9.3). ``cumulative``: a diagnosis and risk events together raise by two instead of one
    (False, §9.2). ``coma_level``: the level of a person in a coma (4 by C.4; B.3.9's note says
    3, §9.4). ``coma_items_optional``: the items may be left blank under coma (False, §9.4).
    ``dementia_codes`` / ``disorder_codes``: the ICD-10 ranges of C.4's second item (§9.5):
    dementia counts when diagnosed, other disorders when a psychiatrist diagnosed them.
    """

    bands: tuple[int, int, int, int] = (90, 66, 46, 30)
    risk_threshold: int = 2
    risk_count: str = "sum"
    risk_kinds: tuple[str, ...] = RISK_EVENT_KINDS
    cumulative: bool = False
    coma_level: int = 4
    coma_items_optional: bool = False
    dementia_codes: tuple[tuple[str, str], ...] = (("F00", "F03"),)
    disorder_codes: tuple[tuple[str, str], ...] = (("F04", "F99"),)

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        if len(bands) != 4 or not all(isinstance(b, int) for b in bands):
            raise ValueError("bands")
        if not (MAX_TOTAL >= bands[0] > bands[1] > bands[2] > bands[3] > 0):
            raise ValueError("bands")
        if self.risk_threshold < 1:
            raise ValueError("risk_threshold")
        if self.risk_count not in RISK_COUNT_MODES:
            raise ValueError("risk_count")
        if set(self.risk_kinds) - set(RISK_EVENT_KINDS):
            raise ValueError("risk_kinds")
        if self.coma_level not in range(MAX_LEVEL + 1):
            raise ValueError("coma_level")

    def as_dict(self) -> dict[str, Any]:
        """JSON for the record of the rules an assessment was scored by."""
        return {
            "bands": list(self.bands),
            "risk_threshold": self.risk_threshold,
            "risk_count": self.risk_count,
            "risk_kinds": list(self.risk_kinds),
            "cumulative": self.cumulative,
            "coma_level": self.coma_level,
            "coma_items_optional": self.coma_items_optional,
            "dementia_codes": [list(r) for r in self.dementia_codes],
            "disorder_codes": [list(r) for r in self.disorder_codes],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Rules:
        """The rules stored by :meth:`as_dict` (missing keys take the defaults)."""
        data = dict(data or {})
        kwargs: dict[str, Any] = {}
        if "bands" in data:
            kwargs["bands"] = tuple(data["bands"])
        for name in ("risk_threshold", "risk_count", "cumulative", "coma_level"):
            if name in data:
                kwargs[name] = data[name]
        if "coma_items_optional" in data:
            kwargs["coma_items_optional"] = data["coma_items_optional"]
        if "risk_kinds" in data:
            kwargs["risk_kinds"] = tuple(data["risk_kinds"])
        for name in ("dementia_codes", "disorder_codes"):
            if name in data:
                kwargs[name] = tuple(tuple(r) for r in data[name])
        return cls(**kwargs)


DEFAULT_RULES = Rules()


def _category(code: str) -> str:
    return code[:3]


def _in_ranges(code: str, ranges: Sequence[tuple[str, str]]) -> bool:
    return any(first <= _category(code) <= last for first, last in ranges)


# --- items → subtotals → total -----------------------------------------------------------


def _check_items(
    items: Mapping[str, Mapping[str, Any]], *, allow_blank: bool = False
) -> dict[str, dict[str, int]]:
    """Every indicator and item known, every score allowed (a JSON true is not a score of 1);
    a missing item is an error unless ``allow_blank`` (coma, when the rules allow it)."""
    if not isinstance(items, Mapping):
        raise ItemError("items", items)
    for key, given in items.items():
        if key not in INDICATORS or not isinstance(given, Mapping):
            raise ItemError(key, given)
        for name in given:
            if name not in INDICATORS[key]:
                raise ItemError(name, given[name])
    checked: dict[str, dict[str, int]] = {}
    for key, allowed in INDICATORS.items():
        given = items.get(key) or {}
        checked[key] = {}
        for name, choices in allowed.items():
            value = given.get(name)
            if value is None and allow_blank:
                continue
            if isinstance(value, bool) or value not in choices:
                raise ItemError(name, value)
            checked[key][name] = int(value)
    return checked


def gbt42195_subtotals(items: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """C.1 一级指标: the subtotal of each first-level indicator (self_care 0–32, basic_mobility
    0–15, mental_state 0–28, perception_social 0–15); ItemError for a missing or disallowed
    item (spec §8)."""
    checked = _check_items(items)
    return {key: sum(scores.values()) for key, scores in checked.items()}


def gbt42195_total(items: Mapping[str, Mapping[str, Any]]) -> int:
    """C.2 初步等级得分: the 26 item scores added up, 0–90 (spec §1)."""
    return sum(gbt42195_subtotals(items).values())


def gbt42195_preliminary_level(total: int, rules: Rules = DEFAULT_RULES) -> int:
    """C.3 能力初步等级 by Table 2 (spec §2; the bands are ``rules.bands``)."""
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= MAX_TOTAL:
        raise ItemError("total", total)
    for level, lowest in enumerate(rules.bands):
        if total >= lowest:
            return level
    return MAX_LEVEL


# --- the base information the adjustments read (Annex A) ---------------------------------


def gbt42195_count_risk_events(events: Mapping[str, Any], rules: Rules = DEFAULT_RULES) -> int:
    """``risk_events_30d`` from the A.2.14 counts by kind (each 0–3, 3 = "3次及以上"): their sum
    over ``rules.risk_kinds`` (spec §3: one fall and one choking make 2), or the largest single
    kind's count when ``rules.risk_count`` is "per_kind" (spec §9.3). ItemError for an unknown
    kind, a negative count or one above 3."""
    for kind, value in events.items():
        if kind not in RISK_EVENT_KINDS:
            raise ItemError(kind, value)
        if isinstance(value, bool) or value not in RISK_EVENT_CHOICES:
            raise ItemError(kind, value)
    counted = [int(events.get(kind) or 0) for kind in rules.risk_kinds]
    if rules.risk_count == "per_kind":
        return max(counted, default=0)
    return sum(counted)


def gbt42195_f_codes(
    diagnoses: Sequence[str], *, by_psychiatrist: bool, rules: Rules = DEFAULT_RULES
) -> tuple[str, ...]:
    """The diagnoses (A.4.1, ICD-10 codes) that meet C.4's second item (spec §3.2, §9.5): a
    diagnosed dementia in ``rules.dementia_codes`` (F00–F03), or another mental and behavioural
    disorder in ``rules.disorder_codes`` (F04–F99) when a psychiatrist (精神科专科医生) diagnosed
    it. Other codes are recorded but change nothing. ItemError for a malformed code."""
    found = []
    for code in diagnoses:
        if not isinstance(code, str) or not ICD10.match(code):
            raise ItemError("diagnoses", code)
        if _in_ranges(code, rules.dementia_codes) or (
            by_psychiatrist and _in_ranges(code, rules.disorder_codes)
        ):
            found.append(code)
    return tuple(found)


# --- preliminary → final ------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeReason:
    """One ticked item of C.4 能力等级变更依据: ``key`` is "coma", "f_diagnosis" or
    "risk_events"; ``detail`` is what it was read from (the codes, the event count)."""

    key: str
    detail: str = ""


def gbt42195_final_level(
    preliminary: int,
    *,
    coma: bool,
    f_diagnosis: bool,
    risk_events_30d: int,
    rules: Rules = DEFAULT_RULES,
) -> tuple[int, tuple[str, ...]]:
    """C.5 老年人能力最终等级 (spec §3, the SWStation rule):

    coma → ``coma_level`` whatever else; otherwise each of "an F-code diagnosis" and "events in
    the last 30 days ≥ ``risk_threshold``" that holds raises by one, both together by one only
    unless ``cumulative``, never past level 4. Returns the level and every reason that held —
    also one that changed nothing (the level was already 4, or coma overrode it).
    """
    if preliminary not in range(MAX_LEVEL + 1) or isinstance(preliminary, bool):
        raise ItemError("preliminary_level", preliminary)
    if isinstance(risk_events_30d, bool) or risk_events_30d < 0:
        raise ItemError("risk_events_30d", risk_events_30d)
    reasons: list[str] = []
    if coma:
        reasons.append("coma")
    if f_diagnosis:
        reasons.append("f_diagnosis")
    if risk_events_30d >= rules.risk_threshold:
        reasons.append("risk_events")
    if coma:
        return rules.coma_level, tuple(reasons)
    raising = sum(1 for r in reasons if r in ("f_diagnosis", "risk_events"))
    step = raising if rules.cumulative else min(raising, 1)
    return min(MAX_LEVEL, preliminary + step), tuple(reasons)


@dataclass(frozen=True)
class Assessment:
    """The whole assessment: subtotals and total (None when items were left blank under coma),
    the preliminary and final levels, and the C.4 reasons with their details."""

    subtotals: dict[str, int] | None
    total: int | None
    preliminary_level: int
    level: int
    coma: bool
    reasons: tuple[ChangeReason, ...] = field(default=())
    risk_events_30d: int = 0

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


def assess(
    items: Mapping[str, Mapping[str, Any]],
    *,
    coma: bool = False,
    diagnoses: Sequence[str] = (),
    by_psychiatrist: bool = False,
    risk_events: Mapping[str, Any] | None = None,
    rules: Rules = DEFAULT_RULES,
) -> Assessment:
    """Items and the base information (A.5.11 coma, A.4.1 diagnoses, A.2.14 events) → the
    levels. Refused (ItemError): an item missing or out of its range, a malformed code, an
    event count outside 0–3, and coma with 意识水平 (B.3.9) other than 0 (spec §8: score 0 covers
    stupor and coma, so a comatose person cannot score 1 or 2). Under coma the items may be
    blank only when ``rules.coma_items_optional``; the level is then ``coma_level`` and there is
    no total.
    """
    if not isinstance(coma, bool):
        raise ItemError("coma", coma)
    blank_allowed = coma and rules.coma_items_optional
    checked = _check_items(items, allow_blank=blank_allowed)
    consciousness = checked["mental_state"].get("consciousness")
    if coma and consciousness not in (None, 0):
        raise ItemError("consciousness", consciousness, code="coma_consciousness")
    events = gbt42195_count_risk_events(risk_events or {}, rules)
    codes = gbt42195_f_codes(diagnoses, by_psychiatrist=by_psychiatrist, rules=rules)
    complete = all(len(checked[key]) == len(INDICATORS[key]) for key in INDICATORS)
    if complete:
        subtotals = {key: sum(scores.values()) for key, scores in checked.items()}
        total: int | None = sum(subtotals.values())
        preliminary = gbt42195_preliminary_level(total, rules)  # type: ignore[arg-type]
    else:  # coma with items left blank: no total, rated directly
        subtotals, total, preliminary = None, None, rules.coma_level
    level, keys = gbt42195_final_level(
        preliminary, coma=coma, f_diagnosis=bool(codes), risk_events_30d=events, rules=rules
    )
    details = {
        "coma": "A.5.11",
        "f_diagnosis": ", ".join(codes),
        "risk_events": str(events),
    }
    return Assessment(
        subtotals=subtotals,
        total=total,
        preliminary_level=preliminary,
        level=level,
        coma=coma,
        reasons=tuple(ChangeReason(key, details[key]) for key in keys),
        risk_events_30d=events,
    )
