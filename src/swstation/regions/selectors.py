"""Reads on regions: every function takes the actor and returns only what they may see."""

from typing import Any

from django.db.models import Count, QuerySet

from swstation.core.actors import Actor
from swstation.regions.codes import LEVEL_ORDER
from swstation.regions.models import Population, Region


def region_list(*, actor: Actor) -> QuerySet[Region]:
    queryset: QuerySet[Region] = Region.objects.visible_to(actor)
    # An aggregate query drops Meta.ordering, hence the explicit order.
    return (
        queryset.select_related("parent")
        .annotate(children_count=Count("children"))
        .order_by("code")
    )


def region_children(*, actor: Actor, region: Region) -> QuerySet[Region]:
    return region_list(actor=actor).filter(parent=region)


def region_ancestors(*, actor: Actor, region: Region) -> list[dict[str, Any]]:
    """Breadcrumbs from the city down; ancestors outside the actor's scope carry no link."""
    codes = region.ancestor_codes()
    visible = set(
        Region.objects.visible_to(actor).filter(code__in=codes).values_list("code", flat=True)
    )
    return [
        {"region": ancestor, "visible": ancestor.code in visible}
        for ancestor in Region.objects.filter(code__in=codes).order_by("code")
    ]


def region_population_by_year(*, actor: Actor, region: Region) -> QuerySet[Population]:
    return population_list(actor=actor).filter(region=region).order_by("year")


def population_list(*, actor: Actor) -> QuerySet[Population]:
    queryset: QuerySet[Population] = Population.objects.visible_to(actor)
    return queryset.select_related("region")


def user_home_region(*, actor: Actor) -> Region | None:
    if actor.is_superuser and getattr(actor, "jurisdiction_id", None) is None:
        return Region.objects.filter(level="city").order_by("code").first()
    home: Region | None = getattr(actor, "jurisdiction", None)
    return home


def region_level_counts(*, actor: Actor) -> dict[str, int]:
    """How many regions of each level the actor's jurisdiction holds (development zones apart)."""
    counts = {level: 0 for level in ("city", "county", "township", "village")}
    counts["development_zone"] = 0
    rows = (
        Region.objects.visible_to(actor)
        .values("level", "is_development_zone")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["is_development_zone"]:
            counts["development_zone"] += row["n"]
        else:
            counts[row["level"]] += row["n"]
    return counts


def region_tree_choices(actor: Actor) -> list[tuple[str, str, int]]:
    """The region filters' tree to browse (code, name, depth below the user's own region):
    the user's region and the levels under it down to the towns and streets — and a town's
    villages for a user at a town. Villages of a wider jurisdiction are found by name."""
    home = user_home_region(actor=actor)
    if home is None:
        return []
    top = LEVEL_ORDER.index(home.level)
    deepest = max(LEVEL_ORDER.index("township"), top + 1)
    levels = LEVEL_ORDER[top : deepest + 1]
    regions = Region.objects.visible_to(actor).filter(level__in=levels).order_by("code")
    return [
        (region.code, region.name, LEVEL_ORDER.index(region.level) - top)
        for region in regions.only("code", "name", "level")
    ]
