"""State changes lock the row: one transition of a record at a time, and the loser is told.

A service that moves a record from one state to another (a case's stage, a closure, a payment
batch's status, a subsidy's payment, a merge...) loads nothing itself: it receives the record
the page or the API loaded a moment before, outside any lock. Two such requests sent together
would both check their rules against the same old state and both succeed. So the service calls
:func:`lock_for_transition` first thing inside its transaction:

- the row is re-read with ``SELECT ... FOR UPDATE``: a second transition of the same row waits
  there until the first one has committed or rolled back;
- the state fields the caller names are compared with the copy the caller loaded; if one of
  them changed meanwhile (or the row was deleted), :class:`StateConflict` is raised and nothing
  is written. The API answers it with 409 and a Chinese ``detail``; pages show the message;
- otherwise the caller's instance now holds the fresh row (it is refreshed in place, so every
  reference to it stays valid) and the service checks its rules on it. A rule that refuses the
  transition because of the record's *state* (a batch that is no longer a draft, a case that
  is already at the requested stage or already closed) raises StateConflict too: that is what
  the second of two requests sees when the page or the API had already locked the row before
  loading it (core/views/generic.py, core/api/viewsets.py), so that it waited for the first.

Records locked together are locked in primary-key order (:func:`lock_all_for_transition`), so
that two requests locking the same rows never wait on each other in a circle. A view that
locks its own record before loading it (the generic views and viewsets do, for every write)
and then hands the service a second record of the same model calls :func:`lock_rows` with
both keys first, so that its own lock does not come out of order.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

__all__ = ["StateConflict", "lock_all_for_transition", "lock_for_transition", "lock_rows"]


class StateConflict(ValidationError):
    """The record is not, or no longer, in a state that allows the request: someone else moved
    it on meanwhile, or the same request was sent twice. The API answers 409
    (``core.api.exceptions``) with the message as ``detail``. It is a ValidationError, so that
    a page or caller that shows a service's refusals shows this one too; ``message`` may be a
    dict naming the field, like any ValidationError."""

    def __init__(self, message: str | dict[str, str]) -> None:
        super().__init__(message, code="state_conflict")


def changed_message(obj: models.Model) -> str:
    """The default refusal: the record, by its name, changed under the request."""
    return _(
        "%(model)s “%(object)s” was changed by someone else in the meantime: reload it and "
        "try again."
    ) % {"model": capfirst(obj._meta.verbose_name), "object": obj}


def deleted_message(obj: models.Model) -> str:
    return _("%(model)s “%(object)s” was deleted by someone else in the meantime.") % {
        "model": capfirst(obj._meta.verbose_name),
        "object": obj,
    }


def _require_atomic(using: str) -> None:
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError(
            "Row locks are taken inside transaction.atomic(): a row stays locked until that "
            "transaction ends."
        )


def lock_for_transition[M: models.Model](
    obj: M, *state: str, conflict: Callable[[M], str] | None = None
) -> M:
    """Lock ``obj``'s row until the end of the current transaction and refresh ``obj`` from it.

    ``state`` names the fields whose values, as the caller loaded them, the transition was
    asked against (``"stage"``, ``"status"``, ``"worker"``...). If any of them differs in the
    locked row, raise :class:`StateConflict` with ``conflict(fresh)`` or a message naming the
    record. With no ``state``, only lock and refresh (the service then re-checks its rules on
    the fresh row). Returns ``obj``, refreshed in place; values set on it before the call are
    replaced by the stored ones, so call this before changing anything.

    Must run inside ``transaction.atomic()``: a lock outside a transaction would be released
    at once (and SQLite would not even complain).
    """
    if obj.pk is None:
        raise ValueError(f"{type(obj).__name__} has not been saved: there is no row to lock.")
    using = obj._state.db or DEFAULT_DB_ALIAS
    _require_atomic(using)
    attnames = [getattr(obj._meta.get_field(name), "attname", name) for name in state]
    seen = {name: getattr(obj, name) for name in attnames}
    locked = type(obj)._base_manager.db_manager(using).select_for_update()
    try:
        obj.refresh_from_db(using=using, from_queryset=locked)
    except ObjectDoesNotExist as exc:
        raise StateConflict(deleted_message(obj)) from exc
    if any(getattr(obj, name) != value for name, value in seen.items()):
        raise StateConflict(conflict(obj) if conflict is not None else changed_message(obj))
    return obj


def lock_all_for_transition[M: models.Model](
    objs: Iterable[M], *state: str, conflict: Callable[[M], str] | None = None
) -> list[M]:
    """:func:`lock_for_transition` for several records, locked in primary-key order whatever
    the order given (two requests that lock the same rows in opposite orders would otherwise
    deadlock). Returns them in the order given."""
    objs = list(objs)
    for obj in sorted(objs, key=lambda item: (item._meta.label, item.pk)):
        lock_for_transition(obj, *state, conflict=conflict)
    return objs


def lock_rows(model: type[models.Model], *pks: Any) -> None:
    """Lock the rows of ``model`` with these primary keys, in key order, until the current
    transaction ends. Keys that are malformed or match no row lock nothing: the lookups that
    follow answer them (404, or the field's error)."""
    _require_atomic(DEFAULT_DB_ALIAS)
    assert model._meta.pk is not None
    keys = set()
    for pk in pks:
        try:
            key = model._meta.pk.to_python(pk)
        except ValidationError:
            continue
        if key is not None:
            keys.add(key)
    for key in sorted(keys):
        list(
            model._base_manager.select_for_update()
            .filter(pk=key)
            .order_by()
            .values_list("pk", flat=True)
        )
