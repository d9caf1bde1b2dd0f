"""The demo's time line (issue 18): the city's activity starts when each station opened (45 in
2020, 50 in 2021, 61 in 2022) and runs up to the day the demo is built.

People are registered over the years, a station's villages mostly in its first year, and some
leave service (they die, move away, are no longer eligible or decline); services, cases, visits
and assessments follow the people in service and the stations' staff. A station does less in
its first year than later (:func:`maturity`).

The volume of the city's services over the whole history is several times that of the last
year. By default (``demo``) the current and the previous calendar year are built in full and the
years before them are **sampled**: each service record of those years is kept with the chance
:data:`SAMPLED_SHARE`, so that older years are thinner but never empty and the README's first
command stays within its few minutes. ``demo --full-history`` builds every year in full.
Everything that is counted per person or plan (registrations and exits, cases and their stages,
visit plans and their visits, assessments) is built in full either way: only the anonymous
city-wide service records are sampled.

:func:`~swstation.demo.builder.build_demo` sets the time line for the build with
:func:`history`; the steps read it with :func:`demo_history`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

# The first station opened in 2020: nothing of the stations' work is older.
HISTORY_START = date(2020, 1, 1)
# The share of the service records kept in the sampled years (the default build).
SAMPLED_SHARE = 0.1
# A station's first year: it starts at this share of its later activity and grows to all of it.
FIRST_YEAR_SHARE = 0.4


@dataclass(frozen=True)
class History:
    """The demo's time line: from :data:`HISTORY_START` to ``end`` (the build day)."""

    end: date
    full: bool = False

    @property
    def full_from(self) -> date:
        """The first day built in full: 1 January of the previous year (every day with
        ``full``)."""
        return HISTORY_START if self.full else date(self.end.year - 1, 1, 1)

    @property
    def last_year(self) -> date:
        """The first day of the last 12 months (365 days up to ``end``)."""
        return self.end - timedelta(days=364)

    def kept_share(self, day: date) -> float:
        """The chance a service record of ``day`` is built."""
        return 1.0 if day >= self.full_from else SAMPLED_SHARE

    def describe(self) -> str:
        if self.full:
            return f"{HISTORY_START.isoformat()}..{self.end.isoformat()}, every year in full"
        return (
            f"{HISTORY_START.isoformat()}..{self.end.isoformat()}, in full from "
            f"{self.full_from.isoformat()}, {SAMPLED_SHARE:.0%} of the service records before"
        )


def maturity(opened_on: date, day: date) -> float:
    """How much of its later activity a station opened on ``opened_on`` does on ``day``: from
    :data:`FIRST_YEAR_SHARE` on the day it opens to all of it a year later."""
    days = (day - opened_on).days
    if days >= 365:
        return 1.0
    return FIRST_YEAR_SHARE + (1 - FIRST_YEAR_SHARE) * max(days, 0) / 365


def maturity_days(opened_on: date, start: date, end: date) -> float:
    """The sum of :func:`maturity` over the days ``start`` to ``end`` (excluded): the expected
    activity of a station over them, in days at full activity."""
    if end <= start:
        return 0.0
    ramp_end = opened_on + timedelta(days=365)
    total = 0.0
    if start < ramp_end:
        first, last = (start - opened_on).days, (min(end, ramp_end) - opened_on).days
        # The ramp is linear: its mean over [first, last) is its value at the middle.
        middle = (first + last - 1) / 2
        total += (last - first) * (FIRST_YEAR_SHARE + (1 - FIRST_YEAR_SHARE) * middle / 365)
    if end > ramp_end:
        total += (end - max(start, ramp_end)).days
    return total


_history: ContextVar[History | None] = ContextVar("demo_history", default=None)


def demo_history() -> History:
    """The time line of the demo being built: up to today, recent years in full, outside
    :func:`history`."""
    current = _history.get()
    return current if current is not None else History(end=timezone.localdate())


@contextmanager
def history(*, full: bool = False, end: date | None = None) -> Iterator[History]:
    """Build with this time line inside the block (restored on the way out)."""
    line = History(end=end or timezone.localdate(), full=full)
    token = _history.set(line)
    try:
        yield line
    finally:
        _history.reset(token)
