"""Where a volunteer's hours come from: a port for the apps above ``volunteers``.

Hours are never typed as a total: each record that a volunteer took part in says how long
(issue 13, "Hours come from records"). This app reads its own record, the service records that
name a volunteer (:class:`~swstation.volunteers.models.ServiceVolunteer`); the apps above it
(``community``: activities and group sessions) record volunteer hours in their own tables,
which this app cannot import. Each of them registers a source here from its
``AppConfig.ready()``::

    from swstation.volunteers.hours import register_hours_source

    def activity_hours(volunteer_ids, period):
        start, end = period
        rows = (
            ActivityVolunteer.objects.filter(
                volunteer_id__in=volunteer_ids,
                activity__held_on__gte=start,
                activity__held_on__lte=end,
            )
            .values("volunteer_id")
            .annotate(total=Sum("hours"))
        )
        return {row["volunteer_id"]: row["total"] for row in rows}

    register_hours_source("activities", _("Community activities"), activity_hours)

A source is ``(volunteer_ids, period) -> {volunteer_id: hours}``:

- ``volunteer_ids``: a collection of ``Volunteer`` primary keys (possibly large: filter with
  ``__in``, one query, never a query per volunteer);
- ``period``: ``(start, end)``, two ``date`` s, both included (a year is
  ``(date(y, 1, 1), date(y, 12, 31))``);
- the answer: the hours (``Decimal``, or anything ``Decimal(str(x))`` takes) each volunteer gave
  in the period; volunteers with none may be left out.

The volunteer's page (hours by year and source), the hours certificate (志愿服务时长证明) and
the figures (``selectors.hours_by_area``) sum over every registered source. The caller has
already limited ``volunteer_ids`` to the volunteers the reader may see; a source counts every
record of those volunteers (the hours are the volunteer's, wherever they were given).
Registering a key again replaces its source (a reload does not count it twice).
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

Period = tuple[date, date]
HoursSource = Callable[[Collection[int], Period], dict[int, Any]]


@dataclass(frozen=True)
class RegisteredHoursSource:
    key: str
    label: Any  # a lazy translation, read when shown
    source: HoursSource
    order: int


_sources: dict[str, RegisteredHoursSource] = {}


def register_hours_source(key: str, label: Any, source: HoursSource, *, order: int = 100) -> None:
    """Add (or replace) the source ``key``, shown as ``label``, by ``order`` (service records,
    this app's own, come first at 10)."""
    _sources[key] = RegisteredHoursSource(key, label, source, order)


def hours_sources() -> list[RegisteredHoursSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def hours_by_source(
    volunteer_ids: Collection[int], period: Period
) -> dict[str, dict[int, Decimal]]:
    """``{source key: {volunteer_id: hours}}`` over every registered source (one call each)."""
    ids = list(volunteer_ids)
    found: dict[str, dict[int, Decimal]] = {}
    for registered in hours_sources():
        answer = registered.source(ids, period) if ids else {}
        found[registered.key] = {
            int(pk): Decimal(str(hours or 0)).quantize(Decimal("0.01"))
            for pk, hours in answer.items()
        }
    return found


def total_hours(volunteer_ids: Collection[int], period: Period) -> dict[int, Decimal]:
    """``{volunteer_id: hours}`` summed over every source."""
    totals: dict[int, Decimal] = {}
    for by_volunteer in hours_by_source(volunteer_ids, period).values():
        for pk, hours in by_volunteer.items():
            totals[pk] = totals.get(pk, Decimal("0.00")) + hours
    return totals
