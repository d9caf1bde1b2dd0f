"""A model's pages, declared once (NetBox's ``register_model_view`` / ``get_model_urls``).

An app declares, for each model, what its pages need — the selector that reads the records,
the filterset, the table, the form, the detail template — and gets the standard pages and
their URLs: ``<model>_list``, ``<model>`` (detail), ``<model>_add``, ``<model>_edit``,
``<model>_delete``, ``<model>_history``. A page that does more than the generic one is a class
registered for its action; a page of its own (an action such as "generate" or "mark paid") is
registered with its path::

    station_pages = model_pages(
        Station,
        prefix="",
        queryset=selectors.station_list,
        filterset=filtersets.StationFilterSet,
        table=tables.StationTable,
        form=forms.StationForm,
    )

    @station_pages.register("detail")
    class StationDetailView(generic.ObjectDetailView):
        template_name = "stations/station.html"
        ...

and in ``urls.py``: ``urlpatterns = [*get_model_urls("stations")]``.

A model whose writes have rules names its two services, and its add and edit pages write
through them (the form's model fields as keywords; the update gets the record by the keyword
it names first after ``actor``)::

    station_pages = model_pages(
        Station,
        ...,
        create=services.station_create,   # station_create(*, actor, **fields)
        update=services.station_update,   # station_update(*, actor, station, **changes)
    )
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.views import View

from swstation.core.views.generic import (
    PAGE_ACTIONS,
    EditServices,
    ModelPermissionMixin,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    restricting,
)

STANDARD_ACTIONS = PAGE_ACTIONS
DEFAULT_DETAIL_TEMPLATE = "core/object_detail.html"

_GENERIC_VIEWS: dict[str, type[View]] = {
    "list": ObjectListView,
    "detail": ObjectDetailView,
    "edit": ObjectEditView,
    "delete": ObjectDeleteView,
    "history": ObjectHistoryView,
}


@dataclass
class _ExtraPage:
    view: type[View]
    route: str
    name: str


@dataclass
class ModelPages:
    """The pages of one model (see the module's docstring)."""

    model: type[models.Model]
    prefix: str
    queryset: Callable[..., QuerySet[Any]] | None = None
    filterset: type | None = None
    table: type | None = None
    form: type | None = None
    template: str = DEFAULT_DETAIL_TEMPLATE
    actions: tuple[str, ...] = STANDARD_ACTIONS
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    _views: dict[str, type[View]] = field(default_factory=dict)
    _extra: list[_ExtraPage] = field(default_factory=list)
    _services: EditServices | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        unknown = set(self.actions) - set(STANDARD_ACTIONS)
        if unknown:
            raise ValueError(f"{self.model.__name__}: no such pages {sorted(unknown)}")
        if (self.create is None) != (self.update is None):
            raise TypeError(f"{self.model.__name__}: declare both create= and update=, or neither")
        if self.create is not None and self.update is not None:
            self._services = EditServices(self.create, self.update)

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name or ""

    def scoped_queryset(self, view: Any) -> QuerySet[Any]:
        """The records a page of this model starts from: the declared selector's, for the
        page's user (the generic views narrow them to the user's scope whatever they are)."""
        if self.queryset is not None:
            return self.queryset(actor=view.request.user)
        manager: Any = self.model._default_manager
        return manager.all()

    def _adopt(self, cls: type[View]) -> None:
        """Give a registered page this model and its selector, unless it names its own."""
        if not issubclass(cls, ModelPermissionMixin):
            raise TypeError(f"{cls.__name__}: a model page is a ModelPermissionMixin view")
        if getattr(cls, "model", None) is None:
            cls.model = self.model
        cls.page_actions = self.actions
        if issubclass(cls, ObjectEditView) and cls.edit_services is None:
            cls.edit_services = self._services
        inherited = getattr(cls.scoped_queryset, "__wrapped__", None)
        if inherited is ModelPermissionMixin.scoped_queryset:
            pages = self
            cls.scoped_queryset = restricting(  # type: ignore[method-assign]
                functools.wraps(inherited)(lambda view: pages.scoped_queryset(view))
            )

    def register[V: type[View]](self, action: str, *, route: str | None = None) -> Callable[[V], V]:
        """Register ``cls`` as the page of ``action``: a standard one (``list``, ``detail``…)
        or, with ``route`` (after the model's prefix, e.g. ``"<int:pk>/generate/"``), a page
        of its own named ``<model>_<action>``."""

        def decorate(cls: V) -> V:
            self._adopt(cls)
            if route is None:
                if action not in STANDARD_ACTIONS:
                    raise ValueError(f"{action}: a page of its own needs a route")
                self._views[action] = cls
            else:
                name = f"{self.model_name}_{action.replace('-', '_')}"
                self._extra.append(_ExtraPage(cls, f"{self.prefix}{route}", name))
            return cls

        return decorate

    def view(self, action: str) -> type[View]:
        """The registered page of ``action``, or the generic one built from the declarations."""
        if action in self._views:
            return self._views[action]
        pages = self
        attributes: dict[str, Any] = {
            "__module__": self.model.__module__,
            "model": self.model,
            "scoped_queryset": lambda view: pages.scoped_queryset(view),
            "page_actions": self.actions,
        }
        if action == "list":
            attributes |= {"filterset_class": self.filterset, "table_class": self.table}
        elif action == "detail":
            attributes["template_name"] = self.template
        elif action == "edit":
            attributes |= {"form_class": self.form, "edit_services": self._services}
        name = f"{self.model.__name__}{action.title()}View"
        view = type(name, (_GENERIC_VIEWS[action],), attributes)
        self._views[action] = view
        return view

    def urls(self) -> list[URLPattern]:
        """This model's URL patterns: its own pages first, then the standard ones."""
        base, name = self.prefix, self.model_name
        patterns = [path(page.route, page.view.as_view(), name=page.name) for page in self._extra]
        routes = {
            "list": [(base, f"{name}_list")],
            "detail": [(f"{base}<int:pk>/", name)],
            "edit": [(f"{base}add/", f"{name}_add"), (f"{base}<int:pk>/edit/", f"{name}_edit")],
            "delete": [(f"{base}<int:pk>/delete/", f"{name}_delete")],
            "history": [(f"{base}<int:pk>/history/", f"{name}_history")],
        }
        for action in self.actions:
            view = self.view(action).as_view()
            patterns += [path(route, view, name=url_name) for route, url_name in routes[action]]
        return patterns


_REGISTRY: dict[str, list[ModelPages]] = {}


def model_pages(model: type[models.Model], **declarations: Any) -> ModelPages:
    """Declare ``model``'s pages (registered under its app for :func:`get_model_urls`)."""
    pages = ModelPages(model, **declarations)
    registered = _REGISTRY.setdefault(model._meta.app_label, [])
    if any(other.model is model for other in registered):
        raise ValueError(f"{model.__name__}'s pages are declared twice")
    registered.append(pages)
    return pages


def get_model_urls(app_label: str) -> list[URLPattern]:
    """The URL patterns of every model page an app declared, in declaration order."""
    return [pattern for pages in _REGISTRY.get(app_label, []) for pattern in pages.urls()]
