"""Reads of the indicator sets (issue 15). Every role reads every version (city-wide policy
data); the city bureau alone writes, and only drafts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet, SetStatus
from swstation.evaluation.rules import rule_summary

__all__ = [
    "DimensionRow",
    "SetActions",
    "dimension_list",
    "draft_dimension_choices",
    "draft_set_choices",
    "indicator_list",
    "indicator_set_actions",
    "indicator_set_detail",
    "indicator_set_list",
    "indicator_set_tree",
    "published_indicator_sets",
]


def indicator_set_list(*, actor: Actor) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.visible_to(actor).annotate(
        dimension_count=Count("dimensions", distinct=True),
        indicator_count=Count("dimensions__indicators", distinct=True),
    )


def indicator_set_detail(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions with their tree loaded in two queries (the API's detail)."""
    indicators = Indicator.objects.order_by("order", "code")
    dimensions = Dimension.objects.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return IndicatorSet.objects.visible_to(actor).prefetch_related(
        Prefetch("dimensions", queryset=dimensions)
    )


def published_indicator_sets(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions a round may score against."""
    return IndicatorSet.objects.visible_to(actor).filter(status=SetStatus.PUBLISHED)


def dimension_list(*, actor: Actor) -> QuerySet[Dimension]:
    return (
        Dimension.objects.visible_to(actor)
        .select_related("indicator_set")
        .annotate(indicator_count=Count("indicators"))
    )


def indicator_list(*, actor: Actor) -> QuerySet[Indicator]:
    return Indicator.objects.visible_to(actor).select_related("dimension__indicator_set")


def draft_set_choices(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions a dimension may be added to: drafts the actor may write."""
    return IndicatorSet.objects.visible_to(actor, for_write=True).filter(status=SetStatus.DRAFT)


def draft_dimension_choices(*, actor: Actor) -> QuerySet[Dimension]:
    """The dimensions an indicator may be added to: those of drafts."""
    return (
        Dimension.objects.visible_to(actor, for_write=True)
        .filter(indicator_set__status=SetStatus.DRAFT)
        .select_related("indicator_set")
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    rule: str


@dataclass
class DimensionRow:
    """A dimension of the tree with its indicators and whether their points add up."""

    dimension: Dimension
    indicators: list[IndicatorRow] = field(default_factory=list)
    indicator_total: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal:
        """Indicators' points less the dimension's: 0 when they add up."""
        return self.indicator_total - self.dimension.points


def indicator_set_tree(indicator_set: IndicatorSet) -> list[DimensionRow]:
    """The version's dimensions → indicators, in order, each rule in words (two queries)."""
    rows = []
    indicators = Indicator.objects.order_by("order", "code")
    dimensions = indicator_set.dimensions.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    for dimension in dimensions:
        row = DimensionRow(dimension=dimension)
        for indicator in dimension.indicators.all():
            row.indicators.append(
                IndicatorRow(indicator, rule_summary(indicator.rule_type, indicator.rule_params))
            )
            row.indicator_total += indicator.points
        rows.append(row)
    return rows


@dataclass(frozen=True)
class SetActions:
    """What the user may do with a version now (the page offers only these)."""

    copy: bool
    publish: bool
    edit_tree: bool


def indicator_set_actions(*, actor: Actor, indicator_set: IndicatorSet) -> SetActions:
    draft = indicator_set.status == SetStatus.DRAFT
    return SetActions(
        copy=user_can(actor, "add", IndicatorSet),
        publish=draft and user_can(actor, "change", IndicatorSet),
        edit_tree=draft and user_can(actor, "change", Dimension),
    )
