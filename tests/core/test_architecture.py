"""Meta-tests: every scoped model has its full set of layers, and views keep to selectors."""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLResolver, get_resolver, reverse
from django.utils.functional import Promise

from swstation.core.permissions import RolePermissions
from swstation.core.scoping import ScopedQuerySet
from swstation.core.views import registry
from swstation.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)
from swstation.core.views.imports import ImportViewMixin

SRC = Path(__file__).resolve().parents[2] / "src" / "swstation"


def scoped_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("swstation.")
        and isinstance(getattr(model, "role_permissions", None), RolePermissions)
        and not model.__name__.startswith("Historical")
    ]


def test_there_are_scoped_models() -> None:
    names = {m.__name__ for m in scoped_models()}
    assert {"Region", "Population", "User"} <= names


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m.__name__)
def test_model_has_every_layer(model: type[models.Model]) -> None:
    app = model._meta.app_config.name  # models may be a package (evaluation.models.rounds)
    name = model.__name__
    assert isinstance(model._default_manager.all(), ScopedQuerySet), "manager lacks visible_to"
    path = model.scope_path  # type: ignore[attr-defined]
    if path is not None:  # None: city-wide policy data, readable by every role
        model._default_manager.filter(**{f"{path}__startswith": "33"}).exists  # noqa: B018
    assert hasattr(model, "history"), "no django-simple-history"
    for module, attr in [
        ("filtersets", f"{name}FilterSet"),
        ("tables", f"{name}Table"),
        ("api.serializers", f"{name}Serializer"),
        ("api.views", f"{name}ViewSet"),
    ]:
        assert hasattr(importlib.import_module(f"{app}.{module}"), attr), f"{app}.{module}.{attr}"
    label, model_name = model._meta.app_label, model._meta.model_name
    for suffix, args in (("_list", []), ("", [1]), ("_history", [1])):  # its pages
        reverse(f"{label}:{model_name}{suffix}", args=args)
    assert isinstance(model._meta.verbose_name, Promise), "verbose_name is not translatable"
    assert model._meta.ordering, "no default ordering"
    assert model.__str__ is not models.Model.__str__
    assert hasattr(model, "get_absolute_url")


def test_views_and_api_views_do_not_query_models_directly() -> None:
    """architecture.md: no <Model>.objects in views (views.py or views/*.py) or API views
    (api/views.py or api/views/*.py); use selectors."""
    offenders = []
    paths = [*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py")]
    paths += [*SRC.glob("*/api/views.py"), *SRC.glob("*/api/views/*.py")]
    assert SRC / "cases" / "views" / "records.py" in paths
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\b[A-Z]\w*\.objects\b", line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


GENERIC_PAGES = (
    ObjectListView,
    ObjectDetailView,
    ObjectEditView,
    ObjectDeleteView,
    ObjectHistoryView,
)


def routed_pages() -> list[tuple[str, str, type]]:
    """(namespace, URL name, view class) of every class-based page the project routes."""
    found: list[tuple[str, str, type]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (view_class := getattr(pattern.callback, "view_class", None)) is not None:
                found.append((namespace, pattern.name or "", view_class))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_model_page_is_declared_through_the_registry() -> None:
    """architecture.md: an app's model pages come from core.views.registry (model_pages,
    register, get_model_urls), never from a path() of their own — a generic page class, or a
    URL named after one of the app's models (<model>, <model>_list, <model>_<action>...). The
    import pages of core.views.imports are mounted by import_urlpatterns."""
    routed = routed_pages()  # imports every app's views, which declare their pages
    declared = {
        (app_label, pattern.name, pattern.callback.view_class)  # type: ignore[attr-defined]
        for app_label, pages in registry._REGISTRY.items()
        for declaration in pages
        for pattern in declaration.urls()
    }
    model_names = {
        (model._meta.app_label, model._meta.model_name or "") for model in scoped_models()
    }
    assert len(declared) > 100 and len(routed) > len(declared)
    offenders = []
    for namespace, name, view in routed:
        if issubclass(view, ImportViewMixin) or (namespace, name, view) in declared:
            continue
        names_a_model = any(
            namespace == app and (name == model or name.startswith(f"{model}_"))
            for app, model in model_names
        )
        if names_a_model or issubclass(view, GENERIC_PAGES):
            offenders.append(f"{namespace}:{name} ({view.__name__})")
    assert offenders == []
