"""``{% partner_panels object %}``: the panels the apps above linkage add to a partner's page
(linkage/partner_panels.py)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from swstation.linkage.partner_panels import partner_panels as panels_of

register = template.Library()


@register.simple_tag(takes_context=True)
def partner_panels(context: Any, partner: Any) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")
    # Each panel is rendered by its app's template (escaped there): joined as it is.
    return mark_safe("".join(panels_of(request, partner)))
