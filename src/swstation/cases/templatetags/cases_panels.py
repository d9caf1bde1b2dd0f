"""``{% service_record_panels object %}``: the panels the apps above cases add to a service
record's page (cases/record_panels.py)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from swstation.cases.record_panels import service_record_panels as panels_of

register = template.Library()


@register.simple_tag(takes_context=True)
def service_record_panels(context: Any, record: Any) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")
    # Each panel is rendered by its app's template (escaped there): joined as it is.
    return mark_safe("".join(panels_of(request, record)))
