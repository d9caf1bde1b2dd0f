"""The subsidies of stations, as the stations app needs them: a port filled from above.

A subsidy policy (``SubsidyPolicy``, policy data kept here) says what a station is owed, e.g.
the city's one-time 50,000 yuan per built township station. What is owed and paid under it is
money, and money has one ledger: the grants of the ``funds`` app (issue 12, "the city subsidy
of the stations issue becomes one kind of grant"), which sits *above* this one
(docs/architecture.md: apps depend downward only). Stations must not import it, nor name its
models, reverse relations, URLs or templates. So stations declare here what they show of it —

- the number of subsidies granted under a policy (the policy list's column),
- the card of a policy's subsidies on the policy page (with the form creating those of a year),
- the card of a station's subsidies on the station page,

— and the funds app supplies it once, from its ``AppConfig.ready()``, with
:func:`register_subsidy_source`. Until something is registered, a policy has no subsidies and
the pages show no card.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, IntegerField, Value

from swstation.core.actors import Actor
from swstation.stations.models import Station, SubsidyPolicy
from swstation.stations.staffing import StationPanel


@dataclass(frozen=True)
class SubsidySource:
    policy_count: Callable[[], Expression]
    """The subsidies granted under the outer policy (correlated on ``OuterRef("pk")`` of a
    ``SubsidyPolicy`` queryset)."""
    policy_panel_template: str
    """Template of the subsidies card on the policy page; it gets ``object`` and ``panel``."""
    policy_panel: Callable[[Any, SubsidyPolicy], Any]
    """``(actor, policy)`` → what the card shows, or None when the actor reads no money."""
    station_panel_template: str
    """Template of the subsidies card on the station page; it gets ``object`` and ``rows``."""
    station_subsidies: Callable[[Any, Station], Any]
    """``(actor, station)`` → the station's subsidies the actor may see, or None when the actor
    reads no money."""


_source: SubsidySource | None = None


def register_subsidy_source(source: SubsidySource) -> None:
    """Called once by the app that keeps the money (``funds``) in its ``ready()``."""
    global _source
    _source = source


def policy_subsidy_count() -> Expression:
    return _source.policy_count() if _source else Value(0, output_field=IntegerField())


def policy_panels(*, actor: Actor, policy: SubsidyPolicy) -> list[StationPanel]:
    if _source is None:
        return []
    panel = _source.policy_panel(actor, policy)
    return [] if panel is None else [StationPanel(_source.policy_panel_template, panel)]


def station_panels(*, actor: Actor, station: Station) -> list[StationPanel]:
    if _source is None:
        return []
    rows = _source.station_subsidies(actor, station)
    return [] if rows is None else [StationPanel(_source.station_panel_template, rows)]
