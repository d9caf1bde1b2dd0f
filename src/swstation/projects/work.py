"""The work done under projects, as the projects app needs it: a port filled from above.

Service records, visit plans and elderly capability assessments are recorded by the ``cases``
app, which sits *above* this one (docs/architecture.md: apps depend downward only; a service
record names its project, not the reverse). So projects declare here what they read of that
work — the counts behind a project's indicators, its service records on its page, the
standards of the elderly capability assessment and the service types — and the cases app
supplies it once, from its ``AppConfig.ready()``, with :func:`register_work_source`. Until
something is registered, projects have no recorded work (every count is 0, the list empty).

Every count is read for many projects at once (a handful of grouped queries, whatever their
number), so that the project page, the list's "behind schedule" flag and the cockpit's figures
stay flat as records grow (docs/performance.md).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from swstation.core.actors import Actor


@dataclass(frozen=True)
class ProjectWindow:
    """One project as its counts are asked for: its id, its station's region prefix and the
    days its work is counted in (its start to its end, its termination or ``until``)."""

    pk: int
    prefix: str
    start: date
    end: date
    assessments: bool = False  # count its elders assessed (an indicator asks for it)
    visits: bool = True  # count its visits planned and done (an indicator asks for it)
    services: bool = True  # count its services, people and minutes (False: the caller does)


@dataclass
class WorkCounts:
    """What the records say a project did, within its window."""

    services: int = 0
    people_served: int = 0
    minutes: int = 0
    # By service type: (services, people served, minutes).
    by_type: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    visits_planned: int = 0
    visits_done: int = 0
    # Enrolled people assessed, by standard: {standard: {level: people}} (their latest
    # assessment under that standard in the window). Levels of two standards are never added.
    assessed: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


WorkCounter = Callable[[Sequence[ProjectWindow]], dict[int, WorkCounts]]
"""Counts the work of each project (by its pk) in its window."""


@dataclass(frozen=True)
class WorkSource:
    """What the app recording the work (``cases``) supplies."""

    counts: WorkCounter
    """The counts of each project (by its pk) in its window."""
    services: Callable[[Actor, int], Any]
    """``(actor, project pk)`` → the project's service records the actor may see, newest
    first (a queryset: the page slices it)."""
    services_url: Callable[[int], str]
    """The service records list filtered to the project (its pk)."""
    schedules_url: Callable[[int], str]
    """The visit plans list filtered to the project."""
    service_types: Callable[[], list[tuple[str, str]]]
    """The service types, as (code, label)."""
    elderly_standards: Callable[[], list[tuple[str, str]]]
    """The elderly capability assessment standards, as (code, label)."""
    elderly_levels: Callable[[str], list[tuple[int, str]]]
    """The levels of a standard, as (level, "<standard> · <level> <name>")."""


_source: WorkSource | None = None
_summed: WorkCounter | None = None


def register_work_source(source: WorkSource) -> None:
    """Called once by the app that records the work (``cases``) in its ``ready()``."""
    global _source
    _source = source


def register_summed_counter(counter: WorkCounter) -> None:
    """Called once by the app that keeps the work summed by month (``dashboard``'s tallies)."""
    global _summed
    _summed = counter


def summed_work_counts(windows: Sequence[ProjectWindow]) -> dict[int, WorkCounts]:
    """The same counts as :func:`work_counts`, read from sums kept by month where an app keeps
    them (the cockpit's tallies: flat in the number of records), else from the records. For
    many projects at once: the projects list's "behind schedule" and the cockpit."""
    return (_summed or work_counts)(windows)


def work_counts(windows: Sequence[ProjectWindow]) -> dict[int, WorkCounts]:
    if _source is None or not windows:
        return {window.pk: WorkCounts() for window in windows}
    found = _source.counts(windows)
    return {window.pk: found.get(window.pk, WorkCounts()) for window in windows}


def project_services(actor: Actor, project_pk: int) -> Any:
    return _source.services(actor, project_pk) if _source else []


def services_url(project_pk: int) -> str:
    return _source.services_url(project_pk) if _source else ""


def schedules_url(project_pk: int) -> str:
    return _source.schedules_url(project_pk) if _source else ""


def service_type_choices() -> list[tuple[str, str]]:
    return _source.service_types() if _source else []


def elderly_standard_choices() -> list[tuple[str, str]]:
    return _source.elderly_standards() if _source else []


def elderly_level_choices(standard: str) -> list[tuple[int, str]]:
    return _source.elderly_levels(standard) if _source else []
