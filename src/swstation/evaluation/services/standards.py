"""Writes on the indicator sets (issue 15; spec/station-evaluation.md §2 and §7).

Rules every writer (page, API, migration-free tooling) shares:

- **Only the city bureau** writes a standard (``models.CITY_POLICY``); every role reads it.
- **A published version never changes** (spec §7: "a version in use is read-only"): no edit or
  delete of it, nor of its dimensions and indicators; a new standard is a copy, the next
  version (:func:`indicator_set_copy`), edited as a draft beside the published one.
- **Publishing needs the points to add up** (spec §7: "activation refused unless indicators
  sum to their dimension and dimensions to 100"): :func:`indicator_set_publish` names each
  dimension that is off and by how much.
- Every write of a dimension or an indicator locks its version's row first, so that an edit
  and a publication sent together take turns: the edit either lands before the checks of the
  publication or is refused after it.

Every function is atomic; every refusal is a Chinese message (naming its field where it has
one); the history names the author.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.evaluation.models import (
    SET_TOTAL,
    Dimension,
    Indicator,
    IndicatorSet,
    SetStatus,
)

__all__ = [
    "DIMENSION_FIELDS",
    "INDICATOR_FIELDS",
    "SET_FIELDS",
    "dimension_create",
    "dimension_delete",
    "dimension_update",
    "indicator_create",
    "indicator_delete",
    "indicator_set_copy",
    "indicator_set_create",
    "indicator_set_delete",
    "indicator_set_publish",
    "indicator_set_publish_errors",
    "indicator_set_update",
    "indicator_update",
]

# What each form (in this order) and the API write.
SET_FIELDS = ("name", "note", "bonus_cap")
DIMENSION_FIELDS = ("indicator_set", "code", "order", "name", "points", "is_bonus")
INDICATOR_FIELDS = (
    "dimension",
    "code",
    "order",
    "name",
    "points",
    "rule_type",
    "rule_params",
    "evidence",
    "source",
    "note",
)


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Only the city bureau keeps the evaluation standards."))


def _apply(obj: Any, values: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__}: not writable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


def _points(value: Decimal) -> str:
    """Points as a person writes them: 8, 1.5."""
    return format(Decimal(value).normalize(), "f")


def _lock_draft(indicator_set: IndicatorSet) -> IndicatorSet:
    """Lock the version's row for the rest of the transaction and refuse unless it is a draft
    (a state, hence StateConflict: 409 in the API, a message on the page)."""
    lock_for_transition(indicator_set)
    if indicator_set.status != SetStatus.DRAFT:
        raise StateConflict(
            _(
                "“%(set)s” is published and never changes: copy it to a new version to "
                "change the standard."
            )
            % {"set": indicator_set}
        )
    return indicator_set


def _refresh_total(indicator_set: IndicatorSet, actor: Actor) -> None:
    """The version's totals: the sum of its dimensions' points, and apart the sum of its bonus
    dimensions' (recorded in its history when they change)."""
    sums = indicator_set.dimensions.aggregate(
        total=Sum("points", filter=Q(is_bonus=False)),
        bonus=Sum("points", filter=Q(is_bonus=True)),
    )
    total, bonus = sums["total"] or Decimal(0), sums["bonus"] or Decimal(0)
    if (total, bonus) != (indicator_set.total_points, indicator_set.bonus_points):
        indicator_set.total_points = total
        indicator_set.bonus_points = bonus
        save_with_history(indicator_set, actor=actor)


# --- versions ----------------------------------------------------------------------------------


def _next_version(name: str) -> int:
    latest = IndicatorSet.objects.filter(name=name).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


@transaction.atomic
def indicator_set_create(
    *, actor: Actor, name: str, note: str = "", bonus_cap: Decimal | None = None
) -> IndicatorSet:
    """A new, empty draft: the next version of the standard ``name`` (1 for a new name)."""
    _require_role(actor, "add", IndicatorSet)
    indicator_set = IndicatorSet(name=name, note=note, status=SetStatus.DRAFT)
    if bonus_cap is not None:
        indicator_set.bonus_cap = bonus_cap
    indicator_set.version = _next_version(name.strip()) if name else 1
    indicator_set.full_clean()
    return save_with_history(indicator_set, actor=actor)


@transaction.atomic
def indicator_set_update(
    *, actor: Actor, indicator_set: IndicatorSet, **changes: Any
) -> IndicatorSet:
    """Change a draft's note. A version keeps its name (its number is counted within it)."""
    _require_role(actor, "change", IndicatorSet)
    _lock_draft(indicator_set)
    if "name" in changes and changes["name"] != indicator_set.name:
        raise ValidationError(
            {
                "name": _(
                    "A version keeps the name of its standard: copy it under another name to "
                    "start a new standard."
                )
            }
        )
    _apply(indicator_set, changes, SET_FIELDS)
    indicator_set.full_clean()
    return save_with_history(indicator_set, actor=actor)


@transaction.atomic
def indicator_set_delete(*, actor: Actor, indicator_set: IndicatorSet) -> None:
    """Delete a draft with its dimensions and indicators (each deletion in its history); a
    published version is kept for good."""
    _require_role(actor, "delete", IndicatorSet)
    _lock_draft(indicator_set)
    for indicator in Indicator.objects.filter(dimension__indicator_set=indicator_set):
        record_author(indicator, actor)
        indicator.delete()
    for dimension in indicator_set.dimensions.all():
        record_author(dimension, actor)
        dimension.delete()
    record_author(indicator_set, actor)
    indicator_set.delete()


@transaction.atomic
def indicator_set_copy(
    *, actor: Actor, source: IndicatorSet, name: str | None = None
) -> IndicatorSet:
    """A new draft with every dimension and indicator of ``source``: the next version of its
    standard (or version 1 of ``name``, a new standard), to be edited and published in turn
    (spec §4: "editing means copy to a new draft")."""
    _require_role(actor, "add", IndicatorSet)
    lock_for_transition(source)  # copies of one version are numbered one after the other
    copy_name = (name or source.name).strip()
    copy = IndicatorSet(
        name=copy_name,
        version=_next_version(copy_name),
        status=SetStatus.DRAFT,
        total_points=source.total_points,
        bonus_cap=source.bonus_cap,
        bonus_points=source.bonus_points,
        note=source.note,
        copied_from=source,
    )
    copy.full_clean()
    save_with_history(copy, actor=actor, reason=_("Copied from %(source)s") % {"source": source})
    dimensions = source.dimensions.prefetch_related("indicators").order_by("order", "code")
    for dimension in dimensions:
        indicators = list(dimension.indicators.all())
        dimension.pk = None
        dimension._state.adding = True
        dimension.indicator_set = copy
        dimension.full_clean()
        save_with_history(dimension, actor=actor)
        for indicator in indicators:
            indicator.pk = None
            indicator._state.adding = True
            indicator.dimension = dimension
            indicator.full_clean()
            save_with_history(indicator, actor=actor)
    return copy


def indicator_set_publish_errors(indicator_set: IndicatorSet) -> list[str]:
    """Why ``indicator_set`` may not be published yet, in Chinese; [] if it may (spec §7):
    each dimension has indicators whose points add up to its own, every indicator's rule has
    the shape of its type, the dimensions add up to 100 and the bonus dimensions (a star
    version's, spec §3) to no more than the version's bonus cap."""
    errors: list[str] = []
    dimensions = list(
        indicator_set.dimensions.prefetch_related("indicators").order_by("order", "code")
    )
    if not dimensions:
        return [_("This version has no dimensions yet.")]
    for dimension in dimensions:
        indicators = list(dimension.indicators.all())
        if not indicators:
            errors.append(
                _("Dimension “%(dimension)s” has no indicators yet.") % {"dimension": dimension}
            )
            continue
        total = sum((indicator.points for indicator in indicators), Decimal(0))
        if total != dimension.points:
            errors.append(_dimension_off(dimension, total))
        for indicator in indicators:
            try:
                indicator.full_clean(exclude=["dimension"])
            except ValidationError as exc:
                for message in exc.messages:
                    errors.append(
                        _("Indicator “%(indicator)s”: %(message)s")
                        % {"indicator": indicator, "message": message}
                    )
    total = sum(
        (dimension.points for dimension in dimensions if not dimension.is_bonus), Decimal(0)
    )
    bonus = sum((dimension.points for dimension in dimensions if dimension.is_bonus), Decimal(0))
    if bonus > indicator_set.bonus_cap:
        errors.append(
            _(
                "The bonus dimensions add up to %(bonus)s points, more than the bonus cap of "
                "%(cap)s: %(by)s points too many."
            )
            % {
                "bonus": _points(bonus),
                "cap": _points(indicator_set.bonus_cap),
                "by": _points(bonus - indicator_set.bonus_cap),
            }
        )
    if total != SET_TOTAL:
        values = {
            "total": _points(total),
            "expected": _points(SET_TOTAL),
            "by": _points(abs(total - SET_TOTAL)),
        }
        if total > SET_TOTAL:
            errors.append(
                _(
                    "The dimensions add up to %(total)s points, not %(expected)s: %(by)s "
                    "points too many."
                )
                % values
            )
        else:
            errors.append(
                _(
                    "The dimensions add up to %(total)s points, not %(expected)s: %(by)s "
                    "points missing."
                )
                % values
            )
    return errors


def _dimension_off(dimension: Dimension, total: Decimal) -> str:
    values = {
        "dimension": dimension,
        "points": _points(dimension.points),
        "total": _points(total),
        "by": _points(abs(total - dimension.points)),
    }
    if total > dimension.points:
        return (
            _(
                "Dimension “%(dimension)s” is worth %(points)s points but its indicators add up "
                "to %(total)s: %(by)s points too many."
            )
            % values
        )
    return (
        _(
            "Dimension “%(dimension)s” is worth %(points)s points but its indicators add up to "
            "%(total)s: %(by)s points missing."
        )
        % values
    )


@transaction.atomic
def indicator_set_publish(*, actor: Actor, indicator_set: IndicatorSet) -> IndicatorSet:
    """Publish a draft: from now on it never changes and rounds may score against it. Refused,
    naming each dimension that is off and by how much, unless its points add up (spec §7)."""
    _require_role(actor, "change", IndicatorSet)
    _lock_draft(indicator_set)
    errors = indicator_set_publish_errors(indicator_set)
    if errors:
        raise ValidationError(errors)
    indicator_set.status = SetStatus.PUBLISHED
    indicator_set.published_on = timezone.localdate()
    indicator_set.total_points = SET_TOTAL
    indicator_set.full_clean()
    return save_with_history(indicator_set, actor=actor, reason=_("Published"))


# --- dimensions ------------------------------------------------------------------------------


def _check_dimension_code(dimension: Dimension) -> None:
    taken = (
        Dimension.objects.filter(
            indicator_set_id=dimension.indicator_set_id, code__iexact=dimension.code
        )
        .exclude(pk=dimension.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {"code": _("This version already has a dimension %(code)s.") % {"code": dimension.code}}
        )


@transaction.atomic
def dimension_create(*, actor: Actor, **fields: Any) -> Dimension:
    _require_role(actor, "add", Dimension)
    dimension = Dimension()
    _apply(dimension, fields, DIMENSION_FIELDS)
    if dimension.indicator_set_id is None:
        raise ValidationError({"indicator_set": _("Choose the version this dimension belongs to.")})
    _lock_draft(dimension.indicator_set)
    _check_dimension_code(dimension)
    dimension.full_clean()
    save_with_history(dimension, actor=actor)
    _refresh_total(dimension.indicator_set, actor)
    return dimension


@transaction.atomic
def dimension_update(*, actor: Actor, dimension: Dimension, **changes: Any) -> Dimension:
    _require_role(actor, "change", Dimension)
    _lock_draft(dimension.indicator_set)
    moved = changes.get("indicator_set")
    if moved is not None and moved.pk != dimension.indicator_set_id:
        raise ValidationError(
            {"indicator_set": _("A dimension stays in its version: copy the version instead.")}
        )
    _apply(dimension, changes, DIMENSION_FIELDS)
    _check_dimension_code(dimension)
    dimension.full_clean()
    save_with_history(dimension, actor=actor)
    _refresh_total(dimension.indicator_set, actor)
    return dimension


@transaction.atomic
def dimension_delete(*, actor: Actor, dimension: Dimension) -> None:
    """Delete a draft's dimension with its indicators."""
    _require_role(actor, "delete", Dimension)
    indicator_set = _lock_draft(dimension.indicator_set)
    for indicator in dimension.indicators.all():
        record_author(indicator, actor)
        indicator.delete()
    record_author(dimension, actor)
    dimension.delete()
    _refresh_total(indicator_set, actor)


# --- indicators ------------------------------------------------------------------------------


def _check_indicator_code(indicator: Indicator) -> None:
    """An indicator's code is unique in its version (A1 once, whatever its dimension)."""
    taken = (
        Indicator.objects.filter(
            dimension__indicator_set_id=indicator.dimension.indicator_set_id,
            code__iexact=indicator.code,
        )
        .exclude(pk=indicator.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {
                "code": _("This version already has an indicator %(code)s.")
                % {"code": indicator.code}
            }
        )


@transaction.atomic
def indicator_create(*, actor: Actor, **fields: Any) -> Indicator:
    _require_role(actor, "add", Indicator)
    indicator = Indicator()
    _apply(indicator, fields, INDICATOR_FIELDS)
    if indicator.dimension_id is None:
        raise ValidationError({"dimension": _("Choose the dimension this indicator belongs to.")})
    _lock_draft(indicator.dimension.indicator_set)
    _check_indicator_code(indicator)
    indicator.full_clean()
    return save_with_history(indicator, actor=actor)


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, **changes: Any) -> Indicator:
    """Change a draft's indicator; it may move to another dimension of the same version."""
    _require_role(actor, "change", Indicator)
    indicator_set = _lock_draft(indicator.dimension.indicator_set)
    moved = changes.get("dimension")
    if moved is not None and moved.indicator_set_id != indicator_set.pk:
        raise ValidationError(
            {"dimension": _("An indicator stays in its version: choose a dimension of it.")}
        )
    _apply(indicator, changes, INDICATOR_FIELDS)
    _check_indicator_code(indicator)
    indicator.full_clean()
    return save_with_history(indicator, actor=actor)


@transaction.atomic
def indicator_delete(*, actor: Actor, indicator: Indicator) -> None:
    _require_role(actor, "delete", Indicator)
    _lock_draft(indicator.dimension.indicator_set)
    record_author(indicator, actor)
    indicator.delete()
