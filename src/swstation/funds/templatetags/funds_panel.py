"""``{% funds_panel cockpit %}``: the "four ones" of the cockpit's region and year on the cockpit
(issue 12, "Figures"), each figure linking to its records. The cockpit is read by duck typing
(its ``region`` and its ``period``'s ``as_of`` day), so that funds names no higher app."""

from typing import Any

from django import template

from swstation.funds.selectors import funds_panel

register = template.Library()


@register.inclusion_tag("funds/inc/cockpit_panel.html", takes_context=True, name="funds_panel")
def funds_panel_for(context: dict[str, Any], cockpit: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"panel": funds_panel(actor=user, region=cockpit.region, year=cockpit.period.as_of.year)}
