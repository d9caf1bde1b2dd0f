"""Calendar arithmetic the rules share: due dates months later, month ends, ages."""

import calendar
from datetime import date

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), or that month's last day when it is shorter
    (31 Aug + 6 → 28/29 Feb): reassessments and visits fall due this way."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def age_on(birth_date: date, day: date | None = None) -> int:
    """Age in whole years on ``day`` (today by default): a person is one year older on their
    birthday, and someone born on 29 February on 1 March of a common year."""
    day = day or timezone.localdate()
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
