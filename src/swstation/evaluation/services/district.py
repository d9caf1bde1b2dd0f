"""Writes of the district assessment (市对区县考核; issue 15, spec/station-evaluation.md §6).

- A **scheme** is data the city edits: items naming a figure, a rule and points adding up to
  100. A scheme that scored a published assessment is a record and is no longer edited: the
  city writes a scheme for a later year instead.
- An **assessment** is one year's, at a snapshot date in that year, scored with the scheme in
  force that year (the latest scheme of that year or before). While it is a draft the city
  computes it as often as it wants (each county's result is replaced); **publishing freezes
  it**: it is never computed, edited or deleted again.

Every function is atomic, locks what it moves (409 for two at once), and writes the history
with its author; every refusal is a Chinese message, naming the field where it has one.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import SYSTEM, Actor, history_user, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.evaluation import scoring
from swstation.evaluation.district_measures import county_figures
from swstation.evaluation.models import (
    AssessmentStatus,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictFigure,
    DistrictResult,
    RoundKind,
)
from swstation.evaluation.rules import RULE_TYPES, _number, _shown, rule_params_errors
from swstation.evaluation.selectors import district_scheme_used

__all__ = [
    "ASSESSMENT_FIELDS",
    "SCHEME_FIELDS",
    "district_assessment_compute",
    "district_assessment_create",
    "district_assessment_delete",
    "district_assessment_publish",
    "district_assessment_update",
    "district_scheme_create",
    "district_scheme_delete",
    "district_scheme_update",
    "scheme_errors",
    "scheme_for_year",
]

SCHEME_FIELDS = ("name", "year", "items", "note")
ASSESSMENT_FIELDS = ("year", "snapshot_date", "evaluation_round", "note")
SCHEME_TOTAL = Decimal(100)
ITEM_KEYS = frozenset({"code", "name", "figure", "points", "rule_type", "rule_params"})
SCORED_RULES = tuple(rule for rule in RULE_TYPES if rule != "manual")


def _require(actor: Actor, action: Action, model: type[Any], message: str) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(message)


# --- schemes -----------------------------------------------------------------------------------


def scheme_errors(items: Any) -> list[str]:
    """What is wrong with a scheme's items, in words (empty: nothing): a list of items, each
    with a code of its own, a name, a figure of :class:`DistrictFigure`, points above 0 and a
    rule that can be computed (no ``manual``: nobody scores a district by hand), the points
    adding up to 100."""
    if not isinstance(items, list) or not items:
        return [_("The items are a non-empty list.")]
    errors: list[str] = []
    codes: set[str] = set()
    total = Decimal(0)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            errors.append(_("Item %(number)s is not an object.") % {"number": number})
            continue
        label = str(item.get("code") or number)
        unknown = sorted(set(item) - ITEM_KEYS)
        if unknown:
            errors.append(
                _("Item %(item)s: unknown keys %(keys)s.")
                % {"item": label, "keys": ", ".join(unknown)}
            )
        code = item.get("code")
        if not isinstance(code, str) or not code.strip():
            errors.append(_("Item %(item)s has no code.") % {"item": label})
        elif code in codes:
            errors.append(_("Item code %(item)s is used twice.") % {"item": label})
        else:
            codes.add(code)
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            errors.append(_("Item %(item)s has no name.") % {"item": label})
        if item.get("figure") not in DistrictFigure.values:
            errors.append(
                _("Item %(item)s: the figure is one of %(figures)s.")
                % {"item": label, "figures": ", ".join(DistrictFigure.values)}
            )
        points = _number(item.get("points"))
        if points is None or points <= 0:
            errors.append(_("Item %(item)s: the points are a number above 0.") % {"item": label})
        else:
            total += points
        rule_type = item.get("rule_type")
        if rule_type not in SCORED_RULES:
            errors.append(
                _("Item %(item)s: the rule is one of %(rules)s.")
                % {"item": label, "rules": ", ".join(SCORED_RULES)}
            )
        else:
            errors.extend(
                _("Item %(item)s: %(problem)s") % {"item": label, "problem": problem}
                for problem in rule_params_errors(rule_type, item.get("rule_params", {}), points)
            )
    if not errors and total != SCHEME_TOTAL:
        errors.append(
            _("The items add up to %(total)s points, not 100.") % {"total": _shown(total)}
        )
    return errors


def _check_scheme(scheme: DistrictAssessmentScheme) -> None:
    problems = scheme_errors(scheme.items)
    if problems:
        raise ValidationError({"items": " ".join(problems)})


def _refuse_if_used(scheme: DistrictAssessmentScheme) -> None:
    if district_scheme_used(scheme):
        raise StateConflict(
            _(
                "A published assessment was scored with this scheme: it is a record. "
                "Write a scheme for a later year instead."
            )
        )


@transaction.atomic
def district_scheme_create(*, actor: Actor, **values: Any) -> DistrictAssessmentScheme:
    _require(actor, "add", DistrictAssessmentScheme, _("Only the city bureau writes the schemes."))
    scheme = DistrictAssessmentScheme(**{k: v for k, v in values.items() if k in SCHEME_FIELDS})
    scheme.full_clean()
    _check_scheme(scheme)
    return save_with_history(scheme, actor=actor)


@transaction.atomic
def district_scheme_update(
    *, actor: Actor, scheme: DistrictAssessmentScheme, **changes: Any
) -> DistrictAssessmentScheme:
    _require(
        actor, "change", DistrictAssessmentScheme, _("Only the city bureau writes the schemes.")
    )
    lock_for_transition(scheme)
    _refuse_if_used(scheme)
    for name, value in changes.items():
        if name not in SCHEME_FIELDS:
            raise TypeError(f"DistrictAssessmentScheme: not writable here: {name}")
        setattr(scheme, name, value)
    scheme.full_clean()
    _check_scheme(scheme)
    return save_with_history(scheme, actor=actor)


@transaction.atomic
def district_scheme_delete(*, actor: Actor, scheme: DistrictAssessmentScheme) -> None:
    _require(
        actor, "delete", DistrictAssessmentScheme, _("Only the city bureau writes the schemes.")
    )
    lock_for_transition(scheme)
    if scheme.assessments.exists():
        raise StateConflict(_("An assessment was scored with this scheme: it is not deleted."))
    record_author(scheme, actor)
    scheme.delete()


def scheme_for_year(year: int) -> DistrictAssessmentScheme | None:
    """The scheme in force in ``year``: the latest of that year or before."""
    return DistrictAssessmentScheme.objects.filter(year__lte=year).order_by("-year").first()


# --- assessments -------------------------------------------------------------------------------


def _check_assessment(assessment: DistrictAssessment) -> None:
    errors: dict[str, str] = {}
    if assessment.year and assessment.snapshot_date:
        if assessment.snapshot_date.year != assessment.year:
            errors["snapshot_date"] = _("The snapshot date falls in the assessment year.")
        elif assessment.snapshot_date > timezone.localdate():
            errors["snapshot_date"] = _("The snapshot date is not in the future.")
    chosen = assessment.evaluation_round
    if chosen is not None and (
        chosen.kind != RoundKind.ANNUAL or chosen.snapshot_date.year != assessment.year
    ):
        errors["evaluation_round"] = _("Choose the annual evaluation round of the same year.")
    if assessment.year and "snapshot_date" not in errors:
        scheme = scheme_for_year(assessment.year)
        if scheme is None:
            errors["year"] = _("No district assessment scheme is in force in this year.")
        else:
            assessment.scheme = scheme
    if errors:
        raise ValidationError(errors)


def _draft_only(assessment: DistrictAssessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise StateConflict(_("The assessment is published: it is frozen for ever."))


@transaction.atomic
def district_assessment_create(*, actor: Actor, **values: Any) -> DistrictAssessment:
    """A draft assessment of a year, scored with the scheme in force that year."""
    _require(actor, "add", DistrictAssessment, _("Only the city bureau assesses the districts."))
    assessment = DistrictAssessment(**{k: v for k, v in values.items() if k in ASSESSMENT_FIELDS})
    _check_assessment(assessment)
    assessment.full_clean()
    return save_with_history(assessment, actor=actor)


@transaction.atomic
def district_assessment_update(
    *, actor: Actor, assessment: DistrictAssessment, **changes: Any
) -> DistrictAssessment:
    _require(actor, "change", DistrictAssessment, _("Only the city bureau assesses the districts."))
    lock_for_transition(assessment, "status")
    _draft_only(assessment)
    for name, value in changes.items():
        if name not in ASSESSMENT_FIELDS:
            raise TypeError(f"DistrictAssessment: not writable here: {name}")
        setattr(assessment, name, value)
    _check_assessment(assessment)
    assessment.full_clean()
    return save_with_history(assessment, actor=actor)


@transaction.atomic
def district_assessment_delete(*, actor: Actor, assessment: DistrictAssessment) -> None:
    _require(actor, "delete", DistrictAssessment, _("Only the city bureau assesses the districts."))
    lock_for_transition(assessment, "status")
    if assessment.status != AssessmentStatus.DRAFT:
        raise StateConflict(_("A published assessment is a record: it is not deleted."))
    record_author(assessment, actor)
    assessment.delete()


def _score_items(
    items: Sequence[Mapping[str, Any]], measured: Mapping[str, Any], best: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], Decimal]:
    """Each item's points for one county's figures (``scoring.score_rule``), and the total."""
    rows: list[dict[str, Any]] = []
    for item in items:
        figure = measured[item["figure"]]
        points = Decimal(str(item["points"]))
        outcome = scoring.score_rule(
            item["rule_type"],
            item.get("rule_params", {}),
            points,
            figure.value,
            best=best.get(item["figure"]),
        )
        score = outcome.score if outcome.score is not None else Decimal("0.00")
        note = outcome.note
        if outcome.score is None:
            note = _("Nothing to measure: 0 points.")
        rows.append(
            {
                "code": item["code"],
                "name": item["name"],
                "figure": item["figure"],
                "value": _text(figure.value),
                "numerator": _text(figure.numerator),
                "denominator": _text(figure.denominator),
                "points": _text(score),
                "max_points": _text(points),
                "note": note,
            }
        )
    return rows, scoring.total_score(Decimal(row["points"]) for row in rows)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def district_assessment_compute(
    *, actor: Actor, assessment: DistrictAssessment
) -> DistrictAssessment:
    """Compute every county's figures and points as of the snapshot (spec §6) and rank the
    counties (ties share a place); replaces the draft's earlier results."""
    _require(actor, "change", DistrictAssessment, _("Only the city bureau assesses the districts."))
    lock_for_transition(assessment, "status")
    _draft_only(assessment)
    items = assessment.scheme.items
    figures = county_figures(actor=actor, assessment=assessment)
    # A ratio whose target is the best county (K7) compares every county with the best value.
    best: dict[str, Decimal | None] = {}
    for figure in DistrictFigure.values:
        values: list[Decimal] = [
            value for each in figures.values() if (value := each.measured[figure].value) is not None
        ]
        best[figure] = max(values) if values else None
    scored = [(each, *_score_items(items, each.measured, best)) for each in figures.values()]
    ranks = scoring.competition_ranks([total for _each, _rows, total in scored])
    record_author(assessment, actor)
    assessment.results.all().delete()
    DistrictResult.objects.bulk_create(
        [
            DistrictResult(
                assessment=assessment,
                region=each.region,
                total_score=total,
                rank=rank,
                scores=rows,
                figures=each.figures,
            )
            for (each, rows, total), rank in zip(scored, ranks, strict=True)
        ]
    )
    assessment.computed_at = timezone.now()
    return save_with_history(assessment, actor=actor, reason=_("Computed from the records."))


@transaction.atomic
def district_assessment_publish(
    *, actor: Actor, assessment: DistrictAssessment, on: date | None = None
) -> DistrictAssessment:
    """Publish a computed draft: from now on it is frozen (spec §6)."""
    _require(actor, "change", DistrictAssessment, _("Only the city bureau assesses the districts."))
    lock_for_transition(assessment, "status")
    _draft_only(assessment)
    if assessment.computed_at is None or not assessment.results.exists():
        raise ValidationError(_("Compute the assessment before publishing it."))
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_on = on or timezone.localdate()
    assessment.published_by = history_user(actor)
    return save_with_history(assessment, actor=actor)
