"""The registry of assessment instruments: each stored assessment names its instrument
(``ElderlyAssessment.standard``, ``ChildNeedsAssessment.instrument``) and is scored, shown and
edited by the instrument of that name. A newer standard (GB/T 42195-2022) is added as another
entry and old records keep being read by their own one.

Instrument modules register themselves here on import; the package (``__init__.py``) imports
each of them, so that this module never imports an instrument.

An instrument describes its items (for forms and pages) and evaluates them with its pure
functions; it raises :class:`ItemError` naming the item that is missing or not allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from swstation.cases.instruments.mzt039 import ItemError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "ChildInstrument",
    "ChildOutcome",
    "Condition",
    "Dimension",
    "ElderlyInstrument",
    "ElderlyOutcome",
    "Item",
    "ItemError",
    "child_instrument",
    "child_instrument_names",
    "elderly_instrument",
    "elderly_standards",
    "register_child_instrument",
    "register_elderly_instrument",
]


@dataclass(frozen=True)
class Item:
    """One scored item: its key in the stored JSON, its label and its allowed scores with
    what each means."""

    name: str
    label: StrOrPromise
    choices: tuple[tuple[int, StrOrPromise], ...]

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(score for score, _label in self.choices)

    def meaning(self, score: Any) -> StrOrPromise | None:
        return dict(self.choices).get(score)


@dataclass(frozen=True)
class Dimension:
    """A group of items scored together (日常生活活动, 精神状态...), with the model field that
    stores its grade (empty when the dimension has none)."""

    key: str
    label: StrOrPromise
    items: tuple[Item, ...]
    grade_field: str = ""
    # How the total maps to a grade, shown beside the total on the assessment page.
    grade_rule: StrOrPromise = ""


@dataclass(frozen=True)
class Condition:
    """A condition recorded beside the items that can change the outcome (C.3)."""

    name: str
    label: StrOrPromise
    choices: tuple[tuple[Any, StrOrPromise], ...]
    default: Any

    def meaning(self, value: Any) -> StrOrPromise | None:
        return dict(self.choices).get(value)


@dataclass(frozen=True)
class ElderlyOutcome:
    """What an elderly instrument computes from the items and conditions."""

    totals: dict[str, int | None]
    grades: dict[str, int | None]
    base_level: int
    level: int
    rule_gap_resolved: bool
    coma: bool
    raised_by: tuple[str, ...] = ()


class ElderlyInstrument(Protocol):
    standard: str
    dimensions: tuple[Dimension, ...]
    conditions: tuple[Condition, ...]
    level_names: Mapping[int, StrOrPromise]
    reassess_months: int

    def optional_items(self, items: Mapping[str, Mapping[str, Any]]) -> bool:
        """Whether the items given allow the others to be left blank (a person in a coma)."""
        ...

    def evaluate(
        self, items: Mapping[str, Mapping[str, Any]], adjustments: Mapping[str, Any]
    ) -> ElderlyOutcome:
        """Grades and level; raises ItemError naming a missing or disallowed item."""
        ...

    def normalise_adjustments(self, adjustments: Mapping[str, Any] | None) -> dict[str, Any]:
        """The conditions with defaults filled in; raises ItemError for a disallowed value."""
        ...


@dataclass(frozen=True)
class ChildOutcome:
    scores: dict[str, int]
    total: int
    risk_level: int
    reassess_months: int
    severe_domains: tuple[str, ...] = field(default=())


class ChildInstrument(Protocol):
    name: str
    domains: tuple[Item, ...]
    risk_names: Mapping[int, StrOrPromise]

    def normalise(self, needs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """``{domain: {"score": n, "note": str}}``; raises ItemError for a bad domain score."""
        ...

    def evaluate(self, needs: Mapping[str, Any]) -> ChildOutcome: ...


_ELDERLY: dict[str, ElderlyInstrument] = {}
_CHILD: dict[str, ChildInstrument] = {}


def register_elderly_instrument(instrument: ElderlyInstrument) -> None:
    _ELDERLY[instrument.standard] = instrument


def register_child_instrument(instrument: ChildInstrument) -> None:
    _CHILD[instrument.name] = instrument


def elderly_instrument(standard: str) -> ElderlyInstrument:
    """The instrument of ``standard``; KeyError for an unknown one."""
    return _ELDERLY[standard]


def elderly_standards() -> list[str]:
    return list(_ELDERLY)


def child_instrument(name: str) -> ChildInstrument:
    return _CHILD[name]


def child_instrument_names() -> list[str]:
    return list(_CHILD)
