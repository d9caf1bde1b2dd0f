"""The main navigation, filled by each app in its AppConfig.ready(); core stays app-agnostic.

Each role is offered its own work only (issue 10): an entry is shown to a user when their role
may open the page (``user_can(user, "view", model)``) *and* the page is part of that role's
work. An entry says whose work it is with ``roles``; without it, the page is the work of every
role that may view its model, except policy data (``core.models.PolicyModel``: standards,
subsidy and reward rules, which every role may read but only the city bureau keeps): that is
offered to the roles that may change it. A social worker, for instance, reads the construction
standard through their station's compliance, not as a menu entry of their own.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from swstation.core.permissions import model_permissions, user_can, user_has_role


@dataclass(frozen=True)
class MenuItem:
    group: str | Promise
    label: str | Promise
    url_name: str
    icon: str
    model: type[Any] | None = None
    order: int = 100
    # The roles whose work the page is (for a page that shows no one model, such as the
    # cockpit: the roles that may open it). None: see the module's docstring.
    roles: frozenset[str] | None = None
    # A heading inside the group's menu, for a group several apps share (五社联动: groups and
    # community work, volunteers, partners and referrals): one top-level entry instead of
    # three, so that the menu bar of the busiest role fits a desktop's width.
    section: str | Promise = ""


_MENU: list[MenuItem] = []


def register_menu_item(item: MenuItem) -> None:
    if item not in _MENU:
        _MENU.append(item)


def _is_policy(model: type[Any]) -> bool:
    from swstation.core.models import PolicyModel

    return isinstance(model, type) and issubclass(model, PolicyModel)


def offered_to(item: MenuItem, user: Any) -> bool:
    """Whether ``item`` is part of ``user``'s work (and their role may open it)."""
    if item.model is not None and not user_can(user, "view", item.model):
        return False
    if item.roles is not None:
        return user_has_role(user, item.roles)
    if item.model is not None and _is_policy(item.model):
        return user_has_role(user, model_permissions(item.model).roles_for("change"))
    return True


def menu_for(user: Any) -> list[dict[str, Any]]:
    """Menu groups with the items that are ``user``'s work, in declared order."""
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(_MENU, key=lambda i: i.order):
        if not offered_to(item, user):
            continue
        group = groups.setdefault(str(item.group), {"label": item.group, "items": []})
        group["items"].append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "icon": item.icon,
                "section": item.section,
            }
        )
    return list(groups.values())
