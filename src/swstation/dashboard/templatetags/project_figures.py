"""``{% project_panel cockpit %}``: the projects' figures on the cockpit (dashboard/
project_figures.py), read for the cockpit's region and period."""

from typing import Any

from django import template

from swstation.dashboard.project_figures import project_panel as build_panel

register = template.Library()


@register.inclusion_tag("dashboard/inc/projects.html")
def project_panel(cockpit: Any) -> dict[str, Any]:
    return {"panel": build_panel(region=cockpit.region, period=cockpit.period)}
