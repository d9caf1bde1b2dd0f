"""The main navigation, filled by each app in its AppConfig.ready(); core stays app-agnostic."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from swstation.core.permissions import user_can, user_has_role


@dataclass(frozen=True)
class MenuItem:
    group: str | Promise
    label: str | Promise
    url_name: str
    icon: str
    model: type[Any] | None = None
    order: int = 100
    # For pages that show no one model (the cockpit): the roles that may open them.
    roles: frozenset[str] | None = None


_MENU: list[MenuItem] = []


def register_menu_item(item: MenuItem) -> None:
    if item not in _MENU:
        _MENU.append(item)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """Menu groups with the items ``user``'s role may open, in declared order."""
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(_MENU, key=lambda i: i.order):
        if item.model is not None and not user_can(user, "view", item.model):
            continue
        if item.roles is not None and not user_has_role(user, item.roles):
            continue
        group = groups.setdefault(str(item.group), {"label": item.group, "items": []})
        group["items"].append(
            {"label": item.label, "url": reverse(item.url_name), "icon": item.icon}
        )
    return list(groups.values())
