"""Scoring an evaluation, as pure functions (spec/station-evaluation.md §2.1, §3, §4, §5): no
database, no settings beyond translation. The callers read the records and pass numbers in.

- ``score_rule``: one indicator's automatic score from its rule type, parameters, points and the
  measured value, rounded half-up to 0.01 (§2.1); ``total_score`` adds the rounded scores.
- ``grade_for``, ``grade_bands_errors``, ``DEFAULT_GRADE_BANDS``: the grade scheme (§3), half-open
  bands on the two-decimal total; a veto makes the grade 不合格 whatever the total.
- ``competition_ranks`` (ties share a rank: 1, 2, 2, 4), ``star_for`` (§3 stars),
  ``below_rectification_threshold`` (§3: < 60 % of the points proposes a rectification item).
- ``survey_sample_size`` and ``home_visit_count`` (§5).
- ``add_working_days``: the objection window (§4: 5 working days) on a calendar of holidays and
  调休 make-up working days, passed in as data.

Choices the spec leaves open, made here:

- ``ratio`` with ``prorate``: only the target is prorated (× days ÷ 365); the floor stays as
  written (the default set prorates count targets only, and they have no floor).
- ``ratio`` with ``target_mode`` ``best``: the target is the best value among the compared units,
  never prorated (it was measured over the same period); no best value (None, or not above 0)
  is treated as an empty denominator (``on_empty``).
- A ``ratio`` whose (prorated) target is not above its floor gives full points from the target
  up, nothing below it.
- A value of None means there is nothing to score: ``ratio`` follows ``on_empty``, every other
  type is scored by hand.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from swstation.evaluation.rules import ON_EMPTY, RULE_TYPES, _number, _shown

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

CENT = Decimal("0.01")
DAYS_IN_YEAR = 365


def rounded(value: Decimal) -> Decimal:
    """An indicator's score as stored: half-up to 0.01 (0.005 → 0.01, 2.345 → 2.35)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RuleOutcome:
    """One indicator's automatic score. ``score`` None: the evaluator scores it by hand, and
    ``note`` says why; otherwise ``note`` may explain a detail (the prorated target)."""

    score: Decimal | None
    note: str = ""


def _parameter(params: Mapping[str, Any], key: str, default: Decimal | None = None) -> Decimal:
    """A numeric parameter as a Decimal; a missing or malformed one is a programming error, as
    ``rule_params_errors`` refuses such parameters before an indicator set is published."""
    if key not in params and default is not None:
        return default
    number = _number(params.get(key))
    if number is None:
        raise ValueError(f"rule parameter {key!r} is not a number: {params.get(key)!r}")
    return number


def score_rule(
    rule_type: str,
    params: Mapping[str, Any],
    points: Decimal,
    value: Decimal | None,
    *,
    period_days: int = DAYS_IN_YEAR,
    best: Decimal | None = None,
) -> RuleOutcome:
    """The score of an indicator worth ``points`` whose rule is ``rule_type`` with ``params``
    (the shapes of ``rules.rule_params_errors``) for the measured ``value``; ``period_days``
    is the length of the evaluated period (prorated ratio targets), ``best`` the best value
    among the compared units (ratio with ``target_mode`` ``best``)."""
    if rule_type not in RULE_TYPES:
        raise ValueError(f"unknown rule type {rule_type!r}")
    if rule_type == "manual":
        return RuleOutcome(None, _("Scored by the evaluator."))
    if rule_type == "ratio":
        return _ratio(params, points, value, period_days=period_days, best=best)
    if value is None:
        return RuleOutcome(None, _("No value: the evaluator scores it."))
    if rule_type == "yes_no":
        return RuleOutcome(rounded(points if value else Decimal(0)))
    if rule_type == "each":
        per_item = _parameter(params, "per_item")
        return RuleOutcome(rounded(max(Decimal(0), min(points, per_item * value))))
    return RuleOutcome(rounded(_band_points(params["bands"], value)))


def _band_points(bands: Sequence[Mapping[str, Any]], value: Decimal) -> Decimal:
    """The points of the first band ``[min, max)`` (``[min, max]`` with ``max_included``, no
    upper end with ``max`` null) holding ``value``; 0 when none does."""
    for band in bands:
        if _holds(band, value):
            return _parameter(band, "points")
    return Decimal(0)


def _holds(band: Mapping[str, Any], value: Decimal) -> bool:
    if value < _parameter(band, "min"):
        return False
    if band.get("max") is None:
        return True
    high = _parameter(band, "max")
    return value <= high if band.get("max_included", False) else value < high


def _ratio(
    params: Mapping[str, Any],
    points: Decimal,
    value: Decimal | None,
    *,
    period_days: int,
    best: Decimal | None,
) -> RuleOutcome:
    floor = _parameter(params, "floor", Decimal(0))
    note = ""
    if value is None:
        return _on_empty(params, points, _("The denominator is 0"))
    if params.get("target_mode", "fixed") == "best":
        if best is None or best <= 0:
            return _on_empty(params, points, _("No unit has a value to compare with"))
        target = best
        note = _("Target: the best unit's %(best)s.") % {"best": _shown(rounded(best))}
    else:
        target = _parameter(params, "target")
        if params.get("prorate", False):
            if period_days <= 0:
                raise ValueError(f"period_days must be above 0, not {period_days}")
            target = target * period_days / DAYS_IN_YEAR
            note = _("Target prorated to %(days)s days: %(target)s.") % {
                "days": period_days,
                "target": _shown(rounded(target)),
            }
    if target <= floor:
        share = Decimal(1) if value >= target else Decimal(0)
    else:
        share = min(Decimal(1), max(Decimal(0), (value - floor) / (target - floor)))
    return RuleOutcome(rounded(points * share), note)


def _on_empty(params: Mapping[str, Any], points: Decimal, reason: str) -> RuleOutcome:
    """What a ratio without a value gives, by its ``on_empty`` parameter."""
    on_empty = params.get("on_empty", "manual")
    if on_empty not in ON_EMPTY:
        raise ValueError(f"rule parameter 'on_empty' is not one of {ON_EMPTY}: {on_empty!r}")
    if on_empty == "full":
        return RuleOutcome(rounded(points), _("%(reason)s: full points.") % {"reason": reason})
    if on_empty == "zero":
        return RuleOutcome(rounded(Decimal(0)), _("%(reason)s: 0 points.") % {"reason": reason})
    return RuleOutcome(None, _("%(reason)s: the evaluator scores it.") % {"reason": reason})


def total_score(scores: Iterable[Decimal]) -> Decimal:
    """The total of an evaluation: the sum of the indicators' rounded scores (§2.1)."""
    return sum((rounded(score) for score in scores), start=Decimal("0.00"))


def below_rectification_threshold(
    score: Decimal, points: Decimal, share: Decimal = Decimal("0.6")
) -> bool:
    """Whether an indicator's final score proposes a rectification item: below ``share`` (60 %)
    of its points (§3)."""
    return score < points * share


# ---------------------------------------------------------------------------------------------
# Grades (§3)

GRADE_CODES = ("excellent", "good", "pass", "fail")
GRADE_KEYS = frozenset({"code", "min", "max", "max_included"})
_GRADE_LABELS = {
    "excellent": pgettext_lazy("grade", "Excellent"),
    "good": pgettext_lazy("grade", "Good"),
    "pass": pgettext_lazy("grade", "Pass"),
    "fail": pgettext_lazy("grade", "Fail"),
}
# 优秀 [90, 100], 良好 [80, 90), 合格 [60, 80), 不合格 [0, 60) (Shenzhen 2021), on the total.
DEFAULT_GRADE_BANDS: Sequence[Mapping[str, Any]] = (
    {"code": "excellent", "min": 90, "max": 100, "max_included": True},
    {"code": "good", "min": 80, "max": 90, "max_included": False},
    {"code": "pass", "min": 60, "max": 80, "max_included": False},
    {"code": "fail", "min": 0, "max": 60, "max_included": False},
)


def grade_label(code: str) -> "StrPromise":
    """The grade's name (zh: 优秀, 良好, 合格, 不合格), translated when shown."""
    return _GRADE_LABELS[code]


def grade_for(
    total: Decimal,
    bands: Sequence[Mapping[str, Any]] = DEFAULT_GRADE_BANDS,
    *,
    vetoed: bool = False,
) -> str:
    """The grade code of ``total`` under the scheme ``bands`` (the first band holding it);
    ``fail`` with a confirmed veto, whatever the total. A total outside every band is an error
    (a valid scheme covers 0 … 100, and scores never leave that range)."""
    if vetoed:
        return "fail"
    for band in bands:
        if _holds(band, total):
            return str(band["code"])
    raise ValueError(f"no grade band holds the total {total}")


def grade_bands_errors(bands: Any) -> list[str]:
    """What is wrong with a grade scheme; [] if nothing. A scheme is a list of bands
    ``{"code", "min", "max", "max_included"}``, one per grade of ``GRADE_CODES``, rising from
    不合格 to 优秀, next to each other without gap or overlap, from 0 to 100 included."""
    if not isinstance(bands, list | tuple) or not bands:
        return [
            _(
                "The grade scheme is a list of bands, such as "
                '[{"code": "excellent", "min": 90, "max": 100, "max_included": true}, …].'
            )
        ]
    errors: list[str] = []
    intervals: list[tuple[Decimal, Decimal, bool, str, int]] = []
    seen: set[str] = set()
    for number, band in enumerate(bands, start=1):
        where: dict[str, Any] = {"n": number}
        if not isinstance(band, Mapping):
            errors.append(
                _("Grade band no. %(n)s is an object with “code”, “min”, “max” and “max_included”.")
                % where
            )
            continue
        unknown = sorted(set(band) - GRADE_KEYS)
        if unknown:
            errors.append(
                _("Grade band no. %(n)s: unknown keys %(keys)s (allowed: %(allowed)s).")
                % {
                    **where,
                    "keys": ", ".join(f"“{key}”" for key in unknown),
                    "allowed": ", ".join(sorted(GRADE_KEYS)),
                }
            )
            continue
        code = band.get("code")
        if code not in GRADE_CODES:
            errors.append(
                _("Grade band no. %(n)s: “code” is one of %(codes)s.")
                % {**where, "codes": ", ".join(GRADE_CODES)}
            )
        elif code in seen:
            errors.append(
                _("The grade “%(grade)s” has more than one band.") % {"grade": grade_label(code)}
            )
        else:
            seen.add(code)
        low, high = _number(band.get("min")), _number(band.get("max"))
        if low is None or high is None:
            errors.append(_("Grade band no. %(n)s needs “min” and “max”, numbers.") % where)
        included = band.get("max_included", False)
        if not isinstance(included, bool):
            errors.append(_("Grade band no. %(n)s: “max_included” is true or false.") % where)
            included = False
        if low is not None and high is not None:
            if high <= low:
                errors.append(
                    _("Grade band no. %(n)s: “max” (%(max)s) must be above “min” (%(min)s).")
                    % {**where, "max": _shown(high), "min": _shown(low)}
                )
            elif code in GRADE_CODES:
                intervals.append((low, high, included, str(code), number))
    for code in GRADE_CODES:
        if code not in seen:
            errors.append(_("The grade “%(grade)s” has no band.") % {"grade": grade_label(code)})
    if errors:
        return errors
    ordered = sorted(intervals, key=lambda interval: interval[0])
    if ordered[0][0] != 0:
        errors.append(
            _("The lowest grade band must start at 0 (it starts at %(min)s).")
            % {"min": _shown(ordered[0][0])}
        )
    _low, top, top_included, _code, _n = ordered[-1]
    if top != 100:
        errors.append(
            _("The highest grade band must end at 100 (it ends at %(max)s).") % {"max": _shown(top)}
        )
    elif not top_included:
        errors.append(_("The highest grade band must include 100: set its “max_included” to true."))
    for (_l1, high1, included1, _c1, n1), (low2, _h2, _i2, _c2, n2) in pairwise(ordered):
        if high1 < low2:
            errors.append(
                _("No grade between %(max)s and %(min)s (bands no. %(first)s and no. %(second)s).")
                % {"max": _shown(high1), "min": _shown(low2), "first": n1, "second": n2}
            )
        elif high1 > low2 or included1:
            errors.append(
                _("Grade bands no. %(first)s and no. %(second)s overlap: a total has one grade.")
                % {"first": min(n1, n2), "second": max(n1, n2)}
            )
    rising = tuple(reversed(GRADE_CODES))
    if tuple(interval[3] for interval in ordered) != rising:
        errors.append(
            _("The grades must rise with the total: %(order)s.")
            % {"order": " < ".join(str(grade_label(code)) for code in rising)}
        )
    return errors


# ---------------------------------------------------------------------------------------------
# Ranking and stars (§3)


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """The rank of each value, higher is better, ties sharing a rank and the next rank skipped
    (95, 90, 90, 80 → 1, 2, 2, 4); None is not ranked. In the order given."""
    first: dict[Decimal, int] = {}
    for position, value in enumerate(
        sorted((value for value in values if value is not None), reverse=True), start=1
    ):
        first.setdefault(value, position)
    return [None if value is None else first[value] for value in values]


def star_for(
    total_with_bonus: Decimal,
    *,
    five: Decimal = Decimal(85),
    four: Decimal = Decimal(77),
    blocked: bool = False,
) -> int | None:
    """The star of a star round: 5 from ``five`` up, 4 in [``four``, ``five``), none below or
    when ``blocked`` (a veto or a 不合格 in the latest annual round)."""
    if blocked:
        return None
    if total_with_bonus >= five:
        return 5
    if total_with_bonus >= four:
        return 4
    return None


# ---------------------------------------------------------------------------------------------
# Surveys (§5)


def survey_sample_size(
    population: int,
    *,
    z: Decimal = Decimal("1.96"),
    p: Decimal = Decimal("0.5"),
    e: Decimal = Decimal("0.10"),
    minimum: int = 60,
) -> int:
    """Respondents to draw from ``population`` recipients served:
    n = min(N, max(minimum, ⌈N·z²p(1−p) / ((N−1)e² + z²p(1−p))⌉)); 100 → 60, 500 → 81,
    2,000 → 92, N ≤ 60 → N (everyone)."""
    if population < 0:
        raise ValueError(f"population must be 0 or more, not {population}")
    if population <= minimum:
        return population
    spread = z * z * p * (1 - p)
    needed = population * spread / ((population - 1) * e * e + spread)
    return min(population, max(minimum, int(needed.to_integral_value(rounding=ROUND_CEILING))))


def home_visit_count(sample: int) -> int:
    """Respondents followed up by a home visit rather than by phone: ⌈n / 6⌉ (广州's 10 of 60)."""
    if sample < 0:
        raise ValueError(f"sample must be 0 or more, not {sample}")
    return -(-sample // 6)


# ---------------------------------------------------------------------------------------------
# Working days (§4)


def add_working_days(
    start: date,
    days: int,
    holidays: Collection[date] = (),
    workdays: Collection[date] = (),
) -> date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted; 0 gives
    ``start``): Saturdays, Sundays and ``holidays`` are skipped, and a day in ``workdays`` (调休,
    a weekend worked to make up for a holiday) counts as a working day, even if also listed
    as a holiday."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    off, on = frozenset(holidays), frozenset(workdays)
    day = start
    while days:
        day += timedelta(days=1)
        if day in on or (day.weekday() < 5 and day not in off):
            days -= 1
    return day
