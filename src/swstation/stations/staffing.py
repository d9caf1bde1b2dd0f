"""The staff of stations and agencies, as the stations app needs them: a port filled from above.

The people who staff a station are recorded by the ``workforce`` app, which sits *above* this one
(docs/architecture.md: apps depend downward only). Stations must not import it, nor name its
models, fields, reverse relations or URLs. So stations declare here what they need —

- the number of full-time staff still working at a station (the construction standard's minimum,
  domain.md §5 "Station compliance"),
- the number of staff still working for a service agency,
- the staff card on the station page,

— and the workforce app supplies it once, from its ``AppConfig.ready()``, with
:func:`register_staff_source`. Until something is registered, stations have no staff (counts are
0 and the station page has no staff card).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Expression, IntegerField, Value

from swstation.core.actors import Actor
from swstation.stations.models import Station


@dataclass(frozen=True)
class StaffSource:
    """What the app employing the staff supplies.

    The two counts are SQL expressions correlated on ``OuterRef("pk")`` of a ``Station`` or
    ``ServiceAgency`` queryset (usually a ``Coalesce(Subquery(...), 0)``), so that the station
    list can filter and sort on them and compliance stays one query.
    """

    station_fulltime_count: Callable[[date], Expression]
    """Full-time staff of the outer station who have not left by the day."""
    agency_count: Callable[[date], Expression]
    """Staff of the outer agency who have not left by the day."""
    station_panel_template: str
    """Template of the staff card on the station page; it gets ``object`` (the station) and
    ``rows`` (what ``station_staff`` returns)."""
    station_staff: Callable[[Any, Station], Any]
    """``(actor, station)`` → the station's staff the actor may see, in display order."""


_source: StaffSource | None = None


def register_staff_source(source: StaffSource) -> None:
    """Called once by the app that records staff (``workforce``) in its ``ready()``."""
    global _source
    _source = source


def _no_staff(day: date) -> Expression:
    return Value(0, output_field=IntegerField())


def station_fulltime_count(*, day: date) -> Expression:
    return _source.station_fulltime_count(day) if _source else _no_staff(day)


def agency_staff_count(*, day: date) -> Expression:
    return _source.agency_count(day) if _source else _no_staff(day)


@dataclass(frozen=True)
class StationPanel:
    """A card of the station page supplied by another app: its template and its rows."""

    template_name: str
    rows: Any


def station_panels(*, actor: Actor, station: Station) -> list[StationPanel]:
    if _source is None:
        return []
    return [StationPanel(_source.station_panel_template, _source.station_staff(actor, station))]
