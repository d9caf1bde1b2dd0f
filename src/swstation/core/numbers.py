"""Money and numbers as people read them, the same on every page (issue 10: the cockpit said
¥64,000 and other pages 1544600.00): money in yuan with the sign, thousands separators and two
decimals (¥1,544,600.00), counts with thousands separators (300,000). Tables (their money
columns, :class:`MoneyColumn`), detail pages (core/display.py), the cockpit and the templates
(the ``money`` and ``number`` filters of the ``swstation`` tag library) all go through here.

Exports keep numbers as numbers (core/export.py gives them Excel formats instead).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

import django_tables2 as tables
from django.db import models
from django_tables2.columns import library

CURRENCY = "¥"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_money(value: Any, *, places: int = 2) -> str:
    """``¥1,544,600.00``; ``-¥5.00`` for a negative amount; "" for no amount."""
    amount = _decimal(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    text = f"{abs(amount):,.{places}f}"
    return f"-{CURRENCY}{text}" if amount < 0 else f"{CURRENCY}{text}"


def format_number(value: Any, *, places: int | None = None) -> str:
    """``300,000``; ``1,234.5`` with ``places=1``; a whole number without decimals, a decimal
    with its own (or ``places``); "" for nothing. A change written with its sign (``"+520"``)
    keeps it."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    sign = "+" if isinstance(value, str) and value.strip().startswith("+") and number else ""
    if places is None:
        if number == number.to_integral_value():
            return f"{sign}{number:,.0f}"
        places = max(0, -int(number.as_tuple().exponent))
    return f"{sign}{number:,.{places}f}"


def is_money_field(field: Any) -> bool:
    """Amounts of money are the decimals of two places (every ``amount (yuan)`` field)."""
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


@library.register
class MoneyColumn(tables.Column):
    """A money column: ``¥1,544,600.00`` on the page, right-aligned; its export keeps the
    number (core/export.py formats it ``#,##0.00``). Every money field of a model gets it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = kwargs.pop("attrs", None) or {}
        attrs.setdefault("td", {"class": "text-end text-nowrap"})
        attrs.setdefault("th", {"class": "text-end"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value: Any) -> str:
        return format_money(value)

    def value(self, value: Any) -> Any:
        return value

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> "MoneyColumn | None":
        if is_money_field(field):
            return cls(**kwargs)
        return None


@library.register
class NumberColumn(tables.Column):
    """A decimal that is not money (hours, square metres): its places kept, right-aligned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = kwargs.pop("attrs", None) or {}
        attrs.setdefault("td", {"class": "text-end"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value: Any) -> str:
        return format_number(value)

    def value(self, value: Any) -> Any:
        return value

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> "NumberColumn | None":
        if isinstance(field, models.DecimalField) and not is_money_field(field):
            return cls(**kwargs)
        return None
