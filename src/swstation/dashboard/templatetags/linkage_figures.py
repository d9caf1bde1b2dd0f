"""``{% linkage_panel cockpit user %}`` and ``{% linkage_areas cockpit %}``: the 五社联动
figures on the cockpit and the district report (dashboard/linkage_figures.py), read for the
cockpit's region and period."""

from typing import Any

from django import template

from swstation.dashboard.linkage_figures import (
    AreaIndex,
    index_by_area,
    kind_switches,
    tallied_counts,
)
from swstation.dashboard.linkage_figures import linkage_panel as build_panel

register = template.Library()


@register.inclusion_tag("dashboard/inc/linkage.html")
def linkage_panel(cockpit: Any, user: Any) -> dict[str, Any]:
    return {"panel": build_panel(actor=user, region=cockpit.region, period=cockpit.period)}


@register.inclusion_tag("dashboard/inc/linkage_areas.html")
def linkage_areas(cockpit: Any) -> dict[str, Any]:
    region, period = cockpit.region, cockpit.period
    counts = tallied_counts(regions=[region], period=period)[region.code]
    total = AreaIndex(region, counts, kind_switches(counts, prefix=region.prefix, period=period))
    return {"areas": index_by_area(region=region, period=period), "total": total}
