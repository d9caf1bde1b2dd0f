"""Panels that the apps above ``cases`` add to a service record's page (a port: ``cases``
never imports them).

``volunteers`` shows the volunteers named on the record with their hours, and the way to name
one (the free text ``ServiceRecord.volunteers`` is no longer offered: those names became its
``ServiceVolunteer`` rows). An app registers, from its ``AppConfig.ready()``::

    register_service_record_panel("volunteers", panel)

where ``panel(request, record) -> str`` answers the panel's HTML (rendered with the request,
so it reads the user's roles and jurisdiction itself; "" for nothing). Panels are shown in the
order of ``order``, below the record's details; registering a key again replaces its panel.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ServiceRecordPanel = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class _Panel:
    key: str
    order: int
    render: ServiceRecordPanel


_panels: dict[str, _Panel] = {}


def register_service_record_panel(key: str, panel: ServiceRecordPanel, *, order: int = 100) -> None:
    _panels[key] = _Panel(key, order, panel)


def service_record_panels(request: HttpRequest, record: Any) -> list[str]:
    """The HTML of every registered panel for ``record`` (empty ones left out)."""
    found = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        html = panel.render(request, record)
        if html:
            found.append(html)
    return found
