"""``{% employment_panel cockpit user %}`` and ``{% employment_areas cockpit user %}``: the
就业帮扶 figures on the cockpit and the district report (dashboard/employment_figures.py), read
for the cockpit's region and period."""

from typing import Any

from django import template

from swstation.dashboard.employment_figures import (
    AreaEmployment,
    employment_by_area,
    employment_counts,
    signed_yuan,
)
from swstation.dashboard.employment_figures import employment_panel as build_panel

register = template.Library()


@register.inclusion_tag("dashboard/inc/employment.html")
def employment_panel(cockpit: Any, user: Any) -> dict[str, Any]:
    return {"panel": build_panel(actor=user, region=cockpit.region, period=cockpit.period)}


@register.inclusion_tag("dashboard/inc/employment_areas.html")
def employment_areas(cockpit: Any, user: Any) -> dict[str, Any]:
    region, period = cockpit.region, cockpit.period
    counts = employment_counts(actor=user, regions=[region], start=period.start, end=period.end)[
        region.code
    ]
    return {
        "areas": employment_by_area(actor=user, region=region, period=period),
        "total": AreaEmployment(region, counts),
    }


register.filter("signed_yuan", signed_yuan)
