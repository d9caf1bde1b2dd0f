"""Writes on stations: the registry. (The subsidies under a policy are grants, written by
``funds.services.subsidies_generate`` and ``grant_mark_paid``: one ledger of money.)

Single-record rules (where a station may stand, what its status implies) live in
``Station.clean()``; the services run them with ``full_clean()`` so that the page, the API and
the demo builder share one set of rules.
"""

from typing import Any

from django.db import transaction

from swstation.core.actors import Actor
from swstation.core.history import save_with_history
from swstation.stations.models import Station


@transaction.atomic
def station_create(*, actor: Actor, **fields: Any) -> Station:
    """Register a station; ``fields`` are Station fields (``region``, ``kind``, ``name``...)."""
    station = Station(**fields)
    station.full_clean()
    save_with_history(station, actor=actor)
    return station


@transaction.atomic
def station_update(*, actor: Actor, station: Station, **changes: Any) -> Station:
    for name, value in changes.items():
        setattr(station, name, value)
    station.full_clean()
    save_with_history(station, actor=actor)
    return station
