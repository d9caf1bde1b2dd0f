"""Panels that the apps above ``linkage`` add to a partner's page (a port: ``linkage`` never
imports them).

``community`` shows a residents' self-governance station's council meetings (理事会). An app
registers, from its ``AppConfig.ready()``::

    register_partner_panel("council_meetings", panel)

where ``panel(request, partner) -> str`` answers the panel's HTML (rendered with the request,
so it reads the user's roles and jurisdiction itself; "" for nothing). Panels are shown in the
order of ``order``, below the partner's referrals; registering a key again replaces its panel.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PartnerPanel = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class _Panel:
    key: str
    order: int
    render: PartnerPanel


_panels: dict[str, _Panel] = {}


def register_partner_panel(key: str, panel: PartnerPanel, *, order: int = 100) -> None:
    _panels[key] = _Panel(key, order, panel)


def partner_panels(request: HttpRequest, partner: Any) -> list[str]:
    """The HTML of every registered panel for ``partner`` (empty ones left out)."""
    found = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        html = panel.render(request, partner)
        if html:
            found.append(html)
    return found
