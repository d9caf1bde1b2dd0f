"""Jurisdiction scoping, in one place.

See domain.md §4 and architecture.md, "Scoping once, re-checked on write".

A user's jurisdiction is one region; they see and change only records whose region code starts
with that region's significant prefix. Each scoped model names the path from itself to a region
code in ``scope_path`` (``"code"`` for a region, ``"region__code"`` for most records, a copied
column such as a service's ``"region_code"`` where a large list needs its own index, None for
city-wide policy data; see :func:`prefix_condition`) and uses
:class:`ScopedQuerySet` as its manager. Every list, detail, API, search and export goes through
:meth:`ScopedQuerySet.visible_to`; every write is re-checked with :func:`ensure_visible` inside
its transaction.
"""

from typing import Any, Self

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.http import Http404
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.core.roles import ASSIGNED_ROLES


def user_scope_prefix(user: Actor | None) -> str | None:
    """The region-code prefix of ``user``'s jurisdiction; "" sees all, None sees nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    prefix: str | None = getattr(user, "scope_prefix", None)
    return prefix


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    # The prefixes this queryset is already narrowed to: a selector's ``visible_to`` and the
    # view's ``restrict`` would otherwise repeat the same ``LIKE '330205%'`` two or three times,
    # and PostgreSQL, multiplying their selectivities, would take a district's 30,000 rows for
    # one and sort them all instead of reading a page in the list's order (issue 10).
    _scope_prefixes: frozenset[str] = frozenset()

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._scope_prefixes = self._scope_prefixes
        return clone

    def in_region_prefix(self, prefix: str) -> Self:
        path = scope_path_of(self.model)
        if prefix == "" or path is None:
            return self
        if any(applied.startswith(prefix) for applied in self._scope_prefixes):
            return self._chain()  # type: ignore[attr-defined]
        narrowed = self.filter(prefix_condition(self.model, path, prefix))
        narrowed._scope_prefixes = self._scope_prefixes | {prefix}
        return narrowed

    def visible_to(self, user: Actor | None, *, for_write: bool = False) -> Self:
        """The records ``user`` may see: their role may view the model, inside their region.

        A model that sets ``shared_downward = True`` (supervisors, agencies, courses: things a
        higher level provides to those below) is also readable from below: a district officer
        sees the city's supervisors and can pick them. ``for_write=True`` keeps to the strict
        jurisdiction: a record of a higher level is read, never changed, from below.
        """
        prefix = user_scope_prefix(user)
        if prefix is None or not user_can(user, "view", self.model):
            return self.none()
        if getattr(user, "role", None) in ASSIGNED_ROLES and not user.is_superuser:  # type: ignore[union-attr]
            return self.assigned_to(user)
        path = scope_path_of(self.model)
        if (
            for_write
            or path is None
            or prefix == ""
            or not getattr(self.model, "shared_downward", False)
        ):
            return self.in_region_prefix(prefix)
        return self.filter(
            Q(**{f"{path}__startswith": prefix}) | Q(**{f"{path}__in": ancestor_codes(prefix)})
        )

    def assigned_to(self, user: Actor | None) -> Self:
        """The records of ``user``'s assignments: a model an assigned role (the evaluator,
        issue 15) may read names in ``assignment_path`` the lookup from itself to the assigned
        user (a station evaluation's ``"evaluator"``, a round's ``"evaluations__evaluator"``);
        a model that names none shows them nothing, whatever its permissions say, unless it is
        city-wide data (no ``scope_path``) that their role may view."""
        path: str | None = getattr(self.model, "assignment_path", None)
        if path is None and scope_path_of(self.model) is None:
            return self  # city-wide data their role may read (the evaluation standards)
        if path is None or user is None:
            return self.none()
        assigned = self.model._default_manager.filter(**{path: user}).values("pk")
        return self.filter(pk__in=assigned)


# The manager of every scoped model (core.models.ScopedModel.objects). Built with
# ``from_queryset`` so that django-stubs types it per model: ``Recipient.objects.visible_to(user)``
# is a ``ScopedQuerySet[Recipient]`` for mypy, with no annotation at the call.
ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def ancestor_codes(prefix: str) -> list[str]:
    """Full codes of the regions above a jurisdiction prefix: 330205103 → city and county."""
    return [prefix[:digits].ljust(12, "0") for digits in (4, 6, 9) if len(prefix) > digits]


def prefix_condition(model: type[models.Model], path: str, prefix: str) -> Q | Exact:
    """``path`` starts with ``prefix``. A model whose scope path is a column of its own may
    declare ``scope_prefix_indexes``, the prefix lengths it indexes (``LEFT(column, 6)`` with
    the list's order): a jurisdiction of such a length is compared as ``LEFT(column, n) =
    prefix``, an equality those indexes serve in the list's order (a district's first page is
    the district's 51 newest rows, whatever the size of the city), where ``LIKE '330205%'``
    would read the whole district and sort it."""
    if len(prefix) in getattr(model, "scope_prefix_indexes", ()):
        return Exact(Left(path, len(prefix)), Value(prefix))
    return Q(**{f"{path}__startswith": prefix})


def scope_path_of(model: type[models.Model]) -> str | None:
    """The lookup to the record's region code; None for city-wide policy data that every
    role reads (reward amounts, construction standards) and only the city bureau writes."""
    if not hasattr(model, "scope_path"):
        raise TypeError(f"{model.__name__} declares no scope_path")
    path: str | None = model.scope_path
    return path


def restrict[M: models.Model](
    queryset: models.QuerySet[M], user: Actor | None, *, for_write: bool = False
) -> models.QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may read (or, ``for_write``, change).

    The generic views and viewsets pass whatever queryset a subclass or selector returns
    through here, so that a subclass cannot forget the jurisdiction: a queryset that is not a
    :class:`ScopedQuerySet` is a programming error, not a silent leak.
    """
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(
            f"{queryset.model.__name__}: a scoped view needs a ScopedQuerySet, "
            f"got {type(queryset).__name__}"
        )
    return queryset.visible_to(user, for_write=for_write)


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Lock one row (``SELECT … FOR UPDATE``) until the current transaction ends, so that two
    writes of the same record take turns; a malformed key locks nothing (the lookup that
    follows answers 404). SQLite locks the whole database on write and ignores this."""
    try:
        # No ordering: a Meta ordering on a related field would join, and PostgreSQL refuses
        # FOR UPDATE on the nullable side of an outer join.
        rows = model._default_manager.select_for_update().filter(pk=pk).order_by()
        list(rows.values_list("pk", flat=True))
    except (ValueError, TypeError, ValidationError):
        return


def get_object_for_user[M: models.Model](
    queryset: models.QuerySet[M], user: Actor | None, **lookup: Any
) -> M:
    """The record matching ``lookup`` if ``user`` may see it; 404 otherwise (never 403)."""
    scoped = queryset.visible_to(user)  # type: ignore[attr-defined]  # ScopedQuerySet only
    try:
        obj: M = scoped.get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404(_("No such record in your jurisdiction.")) from exc
    return obj


def ensure_visible(user: Actor | None, obj: models.Model) -> None:
    """Refuse a write whose result would fall outside ``user``'s jurisdiction.

    Called inside the write's transaction, after saving, so that raising rolls it back.
    """
    manager = type(obj)._default_manager
    if not manager.visible_to(user, for_write=True).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("This record would be outside your jurisdiction."))


def ensure_writable(user: Actor | None, obj: models.Model) -> None:
    """Refuse to change or delete a record the user only reads from below (shared_downward)."""
    manager = type(obj)._default_manager
    if not manager.visible_to(user, for_write=True).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied(
            _("This record belongs to a higher level: you may read it but not change it.")
        )
