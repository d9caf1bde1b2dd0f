"""Needs assessment of a child in difficulty (困境儿童需求评估), "swstation-child-needs-1".

The stations assess each child in difficulty across six domains and write a personalised help
plan (一人一案, domain.md §3). No national standard fixes the scoring, so this is the
platform's own instrument, versioned by name so that a later one can stand beside it:

- six domains — safety 安全保护, health 健康医疗, education 教育, family care 家庭监护照料,
  psychology 心理情绪, social support 社会支持 — each scored 0 no need · 1 mild need ·
  2 marked need · 3 severe or urgent need;
- risk level (first match from 3 down), child protection first:
  **3 high**: safety is 3, or two or more domains are 3;
  **2 medium**: one domain is 3, or safety is 2, or the total is 9 or more;
  **1 low**: any domain is 2, or the total is 4 or more;
  **0 none**: otherwise (every domain 0 or 1 and a total of 3 or less);
- reassessment after 6 months, or after 3 months when the risk level is 2 or more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from swstation.cases.instruments.mzt039 import ItemError
from swstation.cases.instruments.registry import (
    ChildOutcome,
    Item,
    register_child_instrument,
    scored_choices,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "DOMAINS",
    "INSTRUMENT",
    "NAME",
    "ChildNeeds",
    "ItemError",
    "reassess_months",
    "risk_level",
]

NAME = "swstation-child-needs-1"
DOMAINS = ("safety", "health", "education", "family_care", "psychology", "social_support")
SCORES = (0, 1, 2, 3)
HIGH_RISK_REASSESS_MONTHS = 3
ROUTINE_REASSESS_MONTHS = 6


def _scores(*meanings: Any) -> tuple[tuple[int, Any], ...]:
    return scored_choices(*zip(SCORES, meanings, strict=True))


_NEED_SCALE = (_("No need"), _("Mild need"), _("Marked need"), _("Severe or urgent need"))

DOMAIN_ITEMS = (
    # Translators: 安全保护
    Item("safety", _("Safety and protection"), _scores(*_NEED_SCALE)),
    # Translators: 健康医疗
    Item("health", _("Health and medical care"), _scores(*_NEED_SCALE)),
    # Translators: 教育
    Item("education", _("Education"), _scores(*_NEED_SCALE)),
    # Translators: 家庭监护照料
    Item("family_care", _("Family care and guardianship"), _scores(*_NEED_SCALE)),
    # Translators: 心理情绪
    Item("psychology", _("Psychology and emotions"), _scores(*_NEED_SCALE)),
    # Translators: 社会支持
    Item("social_support", _("Social support"), _scores(*_NEED_SCALE)),
)


def check(scores: Mapping[str, Any]) -> dict[str, int]:
    """Every domain present with a score 0–3 (a JSON true is not a score)."""
    for name in scores:
        if name not in DOMAINS:
            raise ItemError(name, scores[name])
    result = {}
    for name in DOMAINS:
        value = scores.get(name)
        if isinstance(value, bool) or value not in SCORES:
            raise ItemError(name, value)
        result[name] = int(value)
    return result


def risk_level(scores: Mapping[str, Any]) -> int:
    """The risk level 0–3 by the rule in the module docstring."""
    checked = check(scores)
    total = sum(checked.values())
    severe = sum(1 for score in checked.values() if score == 3)
    if checked["safety"] == 3 or severe >= 2:
        return 3
    if severe == 1 or checked["safety"] == 2 or total >= 9:
        return 2
    if any(score == 2 for score in checked.values()) or total >= 4:
        return 1
    return 0


def reassess_months(level: int) -> int:
    return HIGH_RISK_REASSESS_MONTHS if level >= 2 else ROUTINE_REASSESS_MONTHS


class ChildNeeds:
    name: str = NAME
    domains: tuple[Item, ...] = DOMAIN_ITEMS
    risk_names: Mapping[int, StrOrPromise] = {
        0: _("No identified risk"),
        1: _("Low risk"),
        2: _("Medium risk"),
        3: _("High risk"),
    }

    def normalise(self, needs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """Accept ``{domain: score}`` or ``{domain: {"score": n, "note": "..."}}`` and store
        the second form."""
        if not isinstance(needs, Mapping):
            raise ItemError("needs", needs)
        scores: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for name, value in needs.items():
            if isinstance(value, Mapping):
                unknown = set(value) - {"score", "note"}
                if unknown:
                    raise ItemError(name, value)
                scores[name] = value.get("score")
                note = value.get("note") or ""
                if not isinstance(note, str):
                    raise ItemError(name, value)
                notes[name] = note.strip()
            else:
                scores[name] = value
        checked = check(scores)
        return {name: {"score": checked[name], "note": notes.get(name, "")} for name in DOMAINS}

    def evaluate(self, needs: Mapping[str, Any]) -> ChildOutcome:
        normalised = self.normalise(needs)
        scores = {name: entry["score"] for name, entry in normalised.items()}
        level = risk_level(scores)
        return ChildOutcome(
            scores=scores,
            total=sum(scores.values()),
            risk_level=level,
            reassess_months=reassess_months(level),
            severe_domains=tuple(name for name in DOMAINS if scores[name] == 3),
        )


INSTRUMENT = ChildNeeds()
register_child_instrument(INSTRUMENT)
