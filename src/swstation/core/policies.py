"""Policy data about to lapse (issue 10: the home pages warn of standards, subsidy and reward
rules that end). Domain-free: each app says which of its policies replace one another."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# How far ahead (and back) an ending policy or contract is worth a warning.
NOTICE_DAYS = 60


@dataclass(frozen=True)
class Ending:
    """A policy or contract that ends soon, or has ended."""

    record: Any
    ends_on: date
    on: date

    @property
    def ended(self) -> bool:
        return self.ends_on < self.on

    @property
    def days_left(self) -> int:
        return (self.ends_on - self.on).days

    @property
    def days_ago(self) -> int:
        return (self.on - self.ends_on).days

    @property
    def kind(self) -> str:
        """What the record is (its model's name), for a list of several kinds."""
        return str(self.record._meta.verbose_name)


def policies_ending(
    policies: Iterable[Any],
    *,
    on: date,
    same: Sequence[str] = (),
    within_days: int = NOTICE_DAYS,
) -> list[Ending]:
    """The policies whose validity ends within ``within_days`` of ``on`` (ahead, or already
    past) and that no other policy of the same kind (equal ``same`` fields) carries on from
    the day after: without a new one, the rule lapses. The earliest end first.

    ``policies`` holds every policy of the model that may matter (a handful of rows)."""
    rows = list(policies)
    first, last = on - timedelta(days=within_days), on + timedelta(days=within_days)
    found: list[Ending] = []
    for policy in rows:
        ends = policy.valid_to
        if ends is None or not first <= ends <= last:
            continue
        next_day = ends + timedelta(days=1)
        carried_on = any(
            other.pk != policy.pk
            and all(getattr(other, name) == getattr(policy, name) for name in same)
            and other.valid_from <= next_day
            and (other.valid_to is None or other.valid_to >= next_day)
            for other in rows
        )
        if not carried_on:
            found.append(Ending(policy, ends, on))
    return sorted(found, key=lambda ending: (ending.ends_on, ending.record.pk))
