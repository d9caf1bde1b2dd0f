from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString

from swstation.core.masking import mask_phone, mask_value, user_sees_personal_data
from swstation.core.numbers import format_money, format_number
from swstation.core.tables import row_html

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context: template.Context, row: Any) -> SafeString:
    """A row of a list's table (``core/table.html``), drawn by :func:`core.tables.row_html`."""
    return row_html(row, context)


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def query_without(context: dict[str, Any], keys: Any) -> str:
    """The current query string without ``keys`` (a filter chip's parameters) nor the page:
    the link that removes one filter and keeps the others."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key in [*keys, "page"]:
        params.pop(key, None)
    return "?" + urlencode(params, doseq=True) if params else request.path


@register.simple_tag
def filter_label(filterset: Any, name: str) -> str:
    """A filter's label as its form shows it (an error names the filter, not its parameter)."""
    field = filterset.form.fields.get(name)
    return str(field.label) if field is not None and field.label else str(name)


@register.simple_tag(takes_context=True)
def personal(context: dict[str, Any], value: Any) -> str:
    """Show personal data in full or masked according to the viewer's role."""
    user = context["request"].user
    if value in (None, ""):
        return "—"
    return str(value) if user_sees_personal_data(user) else mask_value(value)


@register.filter
def masked_phone(value: Any) -> str:
    """A phone masked for every role (``138****5678``): shown in full only by a logged reveal
    (a social worker's phone, issue 10 "Auditing"); "" stays ""."""
    return mask_phone(str(value)) if value else ""


@register.filter
def sees_personal_data(user: Any) -> bool:
    """Whether ``user`` reads personal data in full (``{% if request.user|sees_personal_data %}``
    around what only such roles see, e.g. an exact age beside a date of birth)."""
    return user_sees_personal_data(user)


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration (rounded up), for messages such as the lockout page."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.filter
def money(value: Any) -> str:
    """``{{ amount|money }}`` → ¥1,544,600.00 (core/numbers.py: the same on every page)."""
    return format_money(value)


@register.filter
def number(value: Any) -> str:
    """``{{ count|number }}`` → 300,000 (core/numbers.py)."""
    return format_number(value)
