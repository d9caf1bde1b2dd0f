"""What each role may do with each model: declared once on the model, checked everywhere.

A model declares ``role_permissions = RolePermissions(view=..., add=..., change=..., delete=...)``.
Pages, API, exports and imports all ask :func:`user_can`; the *which records* half of the question
is answered by :mod:`swstation.core.scoping`.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from swstation.core.actors import Actor
from swstation.core.roles import ALL_ROLES, Role

Action = Literal["view", "add", "change", "delete", "history"]


@dataclass(frozen=True)
class RolePermissions:
    view: frozenset[str] = ALL_ROLES
    add: frozenset[str] = field(default_factory=frozenset)
    change: frozenset[str] = field(default_factory=frozenset)
    delete: frozenset[str] = field(default_factory=frozenset)
    # Who may read a record's change history; by default whoever may view the record.
    history: frozenset[str] | None = None

    def roles_for(self, action: Action) -> frozenset[str]:
        if action == "history":
            return self.view if self.history is None else self.history
        roles: frozenset[str] = getattr(self, action)
        return roles


def model_permissions(model: type[Any]) -> RolePermissions:
    perms = getattr(model, "role_permissions", None)
    if not isinstance(perms, RolePermissions):
        raise TypeError(f"{model.__name__} declares no role_permissions")
    return perms


def user_can(user: Actor | None, action: Action, model: type[Any]) -> bool:
    """Whether ``user``'s role allows ``action`` on ``model`` at all (scope is checked apart)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return getattr(user, "role", None) in model_permissions(model).roles_for(action)


def acting_role(user: Actor | None) -> str:
    """The role ``user`` acts in: a superuser acts as the city bureau (as the services take
    them); "" for no role."""
    if getattr(user, "is_superuser", False):
        return str(Role.CITY_ADMIN)
    return str(getattr(user, "role", "") or "")


def user_has_role(user: Actor | None, roles: frozenset[str]) -> bool:
    """Whether an active user holds one of ``roles`` (a superuser holds them all); for pages
    that show aggregates rather than one model's records (the cockpit)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in roles)
