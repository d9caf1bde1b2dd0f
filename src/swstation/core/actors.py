"""Who acts: a person (a ``User``) or, explicitly, the platform itself.

Services take ``actor`` as a required keyword. A person's writes are checked against their
jurisdiction; the platform's own writes (the demo build, management commands, scheduled
tasks) pass :data:`SYSTEM`, which sees the whole city and is recorded in the history as "no
person". ``actor=None`` is refused: a forgotten actor must never mean "skip the checks".
"""

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    """What scoping and permissions read of whoever acts (a ``User`` or :data:`SYSTEM`).

    Read-only members, so that a request's ``User | AnonymousUser`` satisfies it: an anonymous
    request reaches a selector as an actor who sees nothing, never as a missing actor."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...


class SystemActor:
    """The platform acting on its own behalf. Sees and writes everything, like a superuser,
    but is no person: the history records no user for its writes."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = None
    scope_prefix = ""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"SystemActor({self.name!r})"


SYSTEM = SystemActor("system")


def require_actor(actor: Any) -> Actor:
    """``actor`` itself, or a TypeError when it is missing: no write without someone acting."""
    if actor is None:
        raise TypeError(
            "actor is required: pass the acting user, or core.actors.SYSTEM for the platform"
        )
    acting: Actor = actor
    return acting


def history_user(actor: Any) -> Any:
    """The user to record in the history for ``actor``'s write: None for the platform."""
    return None if isinstance(actor, SystemActor) else require_actor(actor)
