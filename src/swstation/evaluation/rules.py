"""The rule types of an indicator and the shape of their parameters (spec/station-evaluation.md
§2.1), as pure functions: what a valid ``rule_params`` holds for each type, and how a rule reads
to a person. Scoring itself comes with the rounds; the shapes are fixed here so that every
version the city publishes can be scored.

| type     | parameters                                                                          |
| -------- | ----------------------------------------------------------------------------------- |
| yes_no   | optional ``condition`` (text)                                                       |
| each     | ``per_item`` (> 0, ≤ points); optional ``items`` (texts; per_item × items ≥ points) |
| ratio    | ``target`` (> 0) unless ``target_mode`` is ``best``; ``floor`` (≥ 0, < target,      |
|          | default 0); ``prorate`` (bool); ``target_mode`` (``fixed``/``best``); ``unit``;     |
|          | ``on_empty`` (``manual``/``full``/``zero``: what a denominator of 0 gives)          |
| band     | ``bands``: [{``min``, ``max`` (null: no upper end), ``max_included``, ``points``}]; |
|          | intervals ``[min, max)`` (``[min, max]`` when ``max_included``), not overlapping,    |
|          | points 0 … the indicator's, the highest equal to them; optional ``unit``            |
| manual   | none (the evaluator scores 0 … points in steps of 0.5)                              |
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

RULE_TYPES = ("band", "ratio", "each", "yes_no", "manual")
TARGET_MODES = ("fixed", "best")
ON_EMPTY = ("manual", "full", "zero")

ALLOWED_KEYS: dict[str, frozenset[str]] = {
    "yes_no": frozenset({"condition"}),
    "each": frozenset({"per_item", "items"}),
    "ratio": frozenset({"target", "floor", "prorate", "target_mode", "unit", "on_empty"}),
    "band": frozenset({"bands", "unit"}),
    "manual": frozenset(),
}
BAND_KEYS = frozenset({"min", "max", "max_included", "points"})
TEXT_LIMIT = 200


def _number(value: Any) -> Decimal | None:
    """A JSON number as a Decimal; None for anything else (a yes/no is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= TEXT_LIMIT


def rule_params_errors(rule_type: str, params: Any, points: Decimal | None) -> list[str]:
    """What is wrong with ``params`` for a rule of ``rule_type`` on an indicator worth
    ``points`` (None: not known yet, the checks against the points are left out); [] if
    nothing. Each message names the parameter it is about."""
    if rule_type not in RULE_TYPES:
        return []  # the rule type's own field says so
    if not isinstance(params, Mapping):
        return [_('The rule parameters are a JSON object, such as {"target": 30}.')]
    unknown = sorted(set(params) - ALLOWED_KEYS[rule_type])
    if unknown:
        if rule_type == "manual":
            return [
                _("A rule scored by hand takes no parameters: remove %(keys)s.") % _keys(unknown)
            ]
        return [
            _("Unknown parameters for this rule: %(keys)s (allowed: %(allowed)s).")
            % {**_keys(unknown), "allowed": ", ".join(sorted(ALLOWED_KEYS[rule_type]))}
        ]
    checker = {
        "yes_no": _yes_no_errors,
        "each": _each_errors,
        "ratio": _ratio_errors,
        "band": _band_errors,
        "manual": lambda params, points: [],
    }[rule_type]
    errors: list[str] = checker(params, points)
    return errors


def _keys(keys: list[str]) -> dict[str, str]:
    return {"keys": ", ".join(f"“{key}”" for key in keys)}


def _yes_no_errors(params: Mapping[str, Any], points: Decimal | None) -> list[str]:
    if "condition" in params and not _text(params["condition"]):
        return [_("“condition” is the condition in words (at most 200 characters).")]
    return []


def _each_errors(params: Mapping[str, Any], points: Decimal | None) -> list[str]:
    errors = []
    per_item = _number(params.get("per_item"))
    if per_item is None or per_item <= 0:
        errors.append(_("An “each” rule needs “per_item”, the points per item, a number above 0."))
    elif points is not None and per_item > points:
        errors.append(
            _("“per_item” (%(per_item)s) is more than the indicator's %(points)s points.")
            % {"per_item": _shown(per_item), "points": _shown(points)}
        )
    items = params.get("items")
    if items is not None:
        if not isinstance(items, list) or not items or not all(_text(item) for item in items):
            errors.append(
                _("“items” lists the items counted, each in words (at most 200 characters).")
            )
        elif len({item.strip() for item in items}) != len(items):
            errors.append(_("“items” names an item twice."))
        elif per_item is not None and per_item > 0 and points is not None:
            reachable = per_item * len(items)
            if reachable < points:
                errors.append(
                    _(
                        "“items”: %(count)s items at %(per_item)s points each give at most "
                        "%(reachable)s, less than the indicator's %(points)s points."
                    )
                    % {
                        "count": len(items),
                        "per_item": _shown(per_item),
                        "reachable": _shown(reachable),
                        "points": _shown(points),
                    }
                )
    return errors


def _ratio_errors(params: Mapping[str, Any], points: Decimal | None) -> list[str]:
    errors = []
    mode = params.get("target_mode", "fixed")
    if mode not in TARGET_MODES:
        errors.append(
            _("“target_mode” is “fixed” (a target of its own) or “best” (the best unit).")
        )
    target = _number(params.get("target"))
    if ("target" in params or mode != "best") and (target is None or target <= 0):
        errors.append(_("A ratio rule needs “target”, the value that earns full points, above 0."))
        target = None
    floor = Decimal(0)
    if "floor" in params:
        given = _number(params["floor"])
        if given is None or given < 0:
            errors.append(_("“floor”, the value that earns nothing, is a number of 0 or more."))
        else:
            floor = given
    if target is not None and floor >= target:
        errors.append(
            _("“floor” (%(floor)s) must be below “target” (%(target)s).")
            % {"floor": _shown(floor), "target": _shown(target)}
        )
    if "prorate" in params and not isinstance(params["prorate"], bool):
        errors.append(_("“prorate” is true or false (an annual target prorated to the period)."))
    if "unit" in params and not _text(params["unit"]):
        errors.append(
            _("“unit” is the unit in words, such as “%” or “小时” (at most 200 characters).")
        )
    if "on_empty" in params and params["on_empty"] not in ON_EMPTY:
        errors.append(
            _("“on_empty” says what a denominator of 0 gives: “manual”, “full” or “zero”.")
        )
    return errors


def _band_errors(params: Mapping[str, Any], points: Decimal | None) -> list[str]:
    bands = params.get("bands")
    if not isinstance(bands, list) or not bands:
        return [
            _(
                "A band rule needs “bands”, a list such as "
                '[{"min": 3, "max": null, "points": 3}, {"min": 2, "max": 3, "points": 1.5}].'
            )
        ]
    errors: list[str] = []
    if "unit" in params and not _text(params["unit"]):
        errors.append(
            _("“unit” is the unit in words, such as “%” or “小时” (at most 200 characters).")
        )
    intervals: list[tuple[Decimal, Decimal | None, bool, int]] = []
    best = Decimal(0)
    for number, band in enumerate(bands, start=1):
        where = {"n": number}
        if not isinstance(band, Mapping):
            errors.append(
                _("“bands” no. %(n)s is an object with “min”, “max” and “points”.") % where
            )
            continue
        unknown = sorted(set(band) - BAND_KEYS)
        if unknown:
            errors.append(
                _("“bands” no. %(n)s: unknown keys %(keys)s (allowed: %(allowed)s).")
                % {**where, **_keys(unknown), "allowed": ", ".join(sorted(BAND_KEYS))}
            )
            continue
        low = _number(band.get("min"))
        high = None if band.get("max") is None else _number(band.get("max"))
        band_points = _number(band.get("points"))
        if low is None:
            errors.append(_("“bands” no. %(n)s needs “min”, a number.") % where)
        if band.get("max") is not None and high is None:
            errors.append(
                _("“bands” no. %(n)s: “max” is a number, or null for no upper end.") % where
            )
        included = band.get("max_included", False)
        if not isinstance(included, bool):
            errors.append(_("“bands” no. %(n)s: “max_included” is true or false.") % where)
            included = False
        if band_points is None or band_points < 0:
            errors.append(_("“bands” no. %(n)s needs “points”, a number of 0 or more.") % where)
        elif points is not None and band_points > points:
            errors.append(
                _("“bands” no. %(n)s gives %(band)s points, more than the indicator's %(points)s.")
                % {**where, "band": _shown(band_points), "points": _shown(points)}
            )
        else:
            best = max(best, band_points)
        if low is not None and high is not None and (high < low or (high == low and not included)):
            errors.append(
                _("“bands” no. %(n)s: “max” (%(max)s) must be above “min” (%(min)s).")
                % {**where, "max": _shown(high), "min": _shown(low)}
            )
            continue
        if low is not None and (band.get("max") is None or high is not None):
            intervals.append((low, high, bool(included), number))
    if errors:
        return errors
    ordered = sorted(intervals, key=lambda interval: interval[0])
    for (_low1, high1, included1, n1), (low2, _high2, _included2, n2) in pairwise(ordered):
        if high1 is None or high1 > low2 or (high1 == low2 and included1):
            errors.append(
                _("“bands” no. %(first)s and no. %(second)s overlap: a value falls in one band.")
                % {"first": min(n1, n2), "second": max(n1, n2)}
            )
    if points is not None and not errors and best != points:
        errors.append(
            _("No band gives the indicator's full %(points)s points (the highest gives %(best)s).")
            % {"points": _shown(points), "best": _shown(best)}
        )
    return errors


def _shown(value: Decimal | None) -> str:
    """A number as a person writes it: 3, 1.5, 0.25 (no trailing zeros)."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return text


def rule_summary(rule_type: str, params: Any) -> str:
    """The rule in a few words, for the version's page: "≥ 3 → 3；[2, 3) → 1.5", "目标 24 小时
    （按期折算）". Parameters that do not fit the shape read as they are."""
    if not isinstance(params, Mapping) or rule_params_errors(rule_type, params, None):
        return ""
    try:
        if rule_type == "band":
            return _band_summary(params)
        if rule_type == "ratio":
            return _ratio_summary(params)
        if rule_type == "each":
            text = _("%(per_item)s per item") % {"per_item": _shown(_number(params["per_item"]))}
            items = params.get("items")
            if isinstance(items, list) and items:
                text += f"（{'、'.join(str(item) for item in items)}）"
            return text
        if rule_type == "yes_no":
            return str(params.get("condition", ""))
    except (KeyError, TypeError, AttributeError):
        pass
    return ""


def _band_summary(params: Mapping[str, Any]) -> str:
    unit = str(params.get("unit", ""))
    parts = []
    for band in params["bands"]:
        low, high = _shown(_number(band["min"])), band.get("max")
        if high is None:
            interval = f"≥ {low}{unit}"
        else:
            closing = "]" if band.get("max_included") else ")"
            interval = f"[{low}, {_shown(_number(high))}{closing}{unit}"
        parts.append(f"{interval} → {_shown(_number(band['points']))}")
    return "；".join(parts) + "；" + str(_("otherwise 0"))


def _ratio_summary(params: Mapping[str, Any]) -> str:
    unit = str(params.get("unit", ""))
    if params.get("target_mode") == "best":
        text = str(_("target: the best unit"))
    else:
        text = _("target %(target)s") % {"target": f"{_shown(_number(params['target']))}{unit}"}
    floor = _number(params.get("floor", 0))
    if floor:
        text += "，" + _("floor %(floor)s") % {"floor": f"{_shown(floor)}{unit}"}
    if params.get("prorate"):
        text += "，" + str(_("prorated to the period"))
    return text
