"""The registry of assessment instruments: each stored assessment names its instrument
(``ElderlyAssessment.standard``, ``ChildNeedsAssessment.instrument``) and is scored, shown and
edited by the instrument of that name. A newer standard (GB/T 42195-2022) is added as another
entry and old records keep being read by their own one.

Instrument modules register themselves here on import; the package (``__init__.py``) imports
each of them, so that this module never imports an instrument.

An instrument describes its items (for forms and pages) and evaluates them with its pure
functions; it raises :class:`ItemError` naming the item that is missing or not allowed.

Two elderly instruments stand side by side: MZ/T 039-2013 (levels 0–3, ``mzt039_items``) and
GB/T 42195-2022 (levels 0–4, ``gbt42195_items``). The same level number does not mean the same
thing across them (spec/elderly-assessment-gbt42195.md §8): whatever shows or counts a level
shows the standard beside it and never adds levels of two standards together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.text import format_lazy

from swstation.cases.instruments.mzt039 import ItemError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def scored_choices(*pairs: tuple[int, Any]) -> tuple[tuple[int, Any], ...]:
    """An item's choices, each labelled "4 · meaning", so that a score is read with its meaning
    (on the form, the page and the printed report alike)."""
    return tuple((score, format_lazy("{} · {}", score, meaning)) for score, meaning in pairs)


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
    "elderly_level_label",
    "elderly_standards",
    "register_child_instrument",
    "register_elderly_instrument",
    "scored_choices",
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
    """A condition recorded beside the items that can change the outcome (MZ/T 039 C.3; the
    Annex A base information of GB/T 42195 that C.4 reads).

    ``kind``: "choice" (one of ``choices``), "flag" (a yes/no, stored as a boolean) or "codes"
    (a list of ICD-10 codes, stored as a list of strings).

    ``private``: the value is personal health data (a diagnosis: spec/elderly-assessment-
    gbt42195.md §4, "identifiers.md applies"). It is stored encrypted, apart from the other
    conditions (``ElderlyAssessment.health_data_encrypted``), hidden from the roles that may not
    read health data, and shown to the others only through a logged view."""

    name: str
    label: StrOrPromise
    choices: tuple[tuple[Any, StrOrPromise], ...]
    default: Any
    kind: str = "choice"
    help_text: StrOrPromise = ""
    private: bool = False

    def meaning(self, value: Any) -> StrOrPromise | None:
        if self.kind == "codes":
            return "、".join(value or ()) or None
        return dict(self.choices).get(value)

    def empty(self) -> Any:
        """The value meaning "nothing recorded"."""
        return [] if self.kind == "codes" else self.default

    def present(self, value: Any) -> bool:
        """Whether the value differs from "nothing to report"."""
        if self.kind == "codes":
            return bool(value)
        return bool(value != self.default)


@dataclass(frozen=True)
class ElderlyOutcome:
    """What an elderly instrument computes from the items and conditions.

    ``totals``: each dimension's (indicator's) total; ``grades``: each dimension's grade (MZ/T
    039 only); ``total``: the whole score (GB/T 42195 only); ``base_level`` the level before
    the adjustments; ``raised_by``: the adjustments that changed it; ``change_reasons``: every
    adjustment that held, with what it was read from (GB/T 42195 C.4: stored, shown on the
    report); ``table_ambiguous``: the standard's table names two levels for the grades and the
    level follows its usage notes (MZ/T 039 表6); ``rules``: the configurable rules applied."""

    totals: dict[str, int | None]
    grades: dict[str, int | None]
    base_level: int
    level: int
    rule_gap_resolved: bool
    coma: bool
    raised_by: tuple[str, ...] = ()
    total: int | None = None
    table_ambiguous: bool = False
    change_reasons: tuple[dict[str, str], ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)


class ElderlyInstrument(Protocol):
    standard: str
    dimensions: tuple[Dimension, ...]
    conditions: tuple[Condition, ...]
    level_names: Mapping[int, StrOrPromise]
    raise_reasons: Mapping[str, StrOrPromise]
    # The highest level (MZ/T 039: 3, GB/T 42195: 4) and the A.1.3 reasons it knows.
    max_level: int
    reasons: tuple[str, ...]
    reassess_months: int

    def optional_items(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any] | None = None,
        rules: Mapping[str, Any] | None = None,
    ) -> bool:
        """Whether the items and conditions given allow the other items to be left blank (a
        person in a coma)."""
        ...

    def evaluate(
        self,
        items: Mapping[str, Mapping[str, Any]],
        adjustments: Mapping[str, Any],
        rules: Mapping[str, Any] | None = None,
    ) -> ElderlyOutcome:
        """Grades and level; raises ItemError naming a missing or disallowed item. ``rules``:
        the configurable rules of the standard (the city's policy; None: the spec's)."""
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


def elderly_level_label(standard: str, level: int | None) -> str:
    """ "GB/T 42195-2022 · 2 能力中度受损（中度失能）": a level never shown without its standard,
    since the same number means different things under the two."""
    if level is None:
        return ""
    instrument = _ELDERLY.get(standard)
    name = instrument.level_names.get(level, "") if instrument is not None else ""
    return f"{standard} · {level} {name}".strip()


def elderly_standards() -> list[str]:
    return list(_ELDERLY)


def child_instrument(name: str) -> ChildInstrument:
    return _CHILD[name]


def child_instrument_names() -> list[str]:
    return list(_CHILD)
