"""Dates a person could have meant (issue 16: a case opened on 0001-01-01, a service on
1800-01-01, a birth in 1800, a visit plan starting in year 1 were all accepted).

Every date a model stores has a plausible range, checked in the model's ``clean()`` so that
pages, the API and the importers — which all run ``full_clean()`` — share it. The bounds:

- **records of the stations' work** (services, cases, assessments, payments...): not before the
  station opened, or ``RECORD_DATE_FLOOR`` when there is no station or it has no opening date;
  not after today plus ``RECORD_DATE_AHEAD_DAYS`` (a small margin);
- **plans** (a visit schedule's start, a class, a station's planned opening): up to
  ``PLAN_START_AHEAD_DAYS`` ahead; their ends and due dates up to ``PLAN_HORIZON_YEARS`` ahead;
- **dates of birth**: within a human life span, ``MAX_AGE_YEARS`` back, and not in the future;
- **facts older than the platform** (an agency founded, a worker hired): not before
  :data:`HISTORY_FLOOR`.

:func:`date_errors` turns the bounds of a record's fields into one message per field, naming
the field, the date and the bound in Chinese.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# The founding of the People's Republic: no agency, station or career the platform records
# began before it.
HISTORY_FLOOR = date(1949, 10, 1)


@dataclass(frozen=True)
class Limit:
    """A bound of a date and, for the message, why it is there."""

    day: date
    reason: str | Promise


def today() -> date:
    return timezone.localdate()


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def record_floor(opened_on: date | None = None) -> Limit:
    """The earliest day of a record of a station's work: the day the station opened, or the
    platform's floor when it has no opening date."""
    if opened_on is not None:
        return Limit(opened_on, _("the day the station opened"))
    return Limit(settings.RECORD_DATE_FLOOR, _("the earliest date a record may carry"))


def station_floor(station: Any) -> Limit:
    """:func:`record_floor` of ``station`` (None: the platform's floor)."""
    return record_floor(getattr(station, "opened_on", None) if station is not None else None)


def latest_record_day() -> Limit:
    return Limit(
        today() + timedelta(days=settings.RECORD_DATE_AHEAD_DAYS),
        _("records are not dated ahead"),
    )


def latest_plan_start() -> Limit:
    return Limit(
        today() + timedelta(days=settings.PLAN_START_AHEAD_DAYS),
        _("plans start at most a year ahead"),
    )


def latest_plan_end() -> Limit:
    return Limit(
        add_years(today(), settings.PLAN_HORIZON_YEARS),
        _("%(years)d years ahead at most") % {"years": settings.PLAN_HORIZON_YEARS},
    )


def earliest_birth_date() -> Limit:
    return Limit(
        add_years(today(), -settings.MAX_AGE_YEARS),
        _("no one is older than %(years)d") % {"years": settings.MAX_AGE_YEARS},
    )


def latest_birth_date() -> Limit:
    return Limit(today(), _("a date of birth is not in the future"))


def history_floor() -> Limit:
    return Limit(HISTORY_FLOOR, _("the founding of the People's Republic"))


def not_before(day: date | None, reason: str | Promise) -> Limit | None:
    """A bound set by another date of the record (a case's opening day...), if it has one."""
    return Limit(day, reason) if day is not None else None


Bounds = tuple[Limit | None, Limit | None]


def date_errors(obj: Any, bounds: Mapping[str, Bounds]) -> dict[str, str]:
    """For each field of ``obj`` named in ``bounds`` (earliest, latest), a message if its date
    falls outside them; fields without a value are left to their own rules."""
    errors: dict[str, str] = {}
    for name, (earliest, latest) in bounds.items():
        value = getattr(obj, name, None)
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            continue
        label = capfirst(obj._meta.get_field(name).verbose_name)
        if earliest is not None and value < earliest.day:
            errors[name] = _("%(field)s %(value)s is before %(limit)s (%(reason)s).") % {
                "field": label,
                "value": value.isoformat(),
                "limit": earliest.day.isoformat(),
                "reason": earliest.reason,
            }
        elif latest is not None and value > latest.day:
            errors[name] = _("%(field)s %(value)s is after %(limit)s (%(reason)s).") % {
                "field": label,
                "value": value.isoformat(),
                "limit": latest.day.isoformat(),
                "reason": latest.reason,
            }
    return errors


def check_dates(obj: Any, bounds: Mapping[str, Bounds], **more: str) -> None:
    """Raise one ValidationError with the date errors of ``obj`` and ``more`` (other errors of
    the same ``clean()``, by field), if there are any."""
    errors = {**more, **date_errors(obj, bounds)}
    if errors:
        raise ValidationError(errors)
